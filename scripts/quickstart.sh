#!/usr/bin/env bash
# The main job: builds the SDK and runs the quick start example. With no SFDC_*
# credentials in the environment it runs against the embedded emulator.
set -euo pipefail
cd "$(dirname "$0")/.."

SFDC_BULK_SKIP_NODE=1 bash scripts/install-deps.sh

build=${SFDC_BULK_BUILD_DIR:-build/release}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSFDC_BULK_BUILD_TESTS=OFF \
  -DSFDC_BULK_BUILD_EXAMPLES=ON >/dev/null
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" --target example_quickstart
exec "$build/examples/example_quickstart" "$@"
