#!/usr/bin/env bash
# The test command: installs what is missing, builds with warnings as errors, runs every
# test (unit, emulator, integration, conformance), then rebuilds the unit tests under
# AddressSanitizer + UndefinedBehaviorSanitizer and runs them again, and last runs every
# fuzz target for 10 s (clang, libFuzzer). Each phase prints the time it starts.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

jobs=$(nproc 2>/dev/null || echo 2)
build=${SFDC_BULK_BUILD_DIR:-build/ci}
asan=${SFDC_BULK_ASAN_DIR:-build/asan}
fuzz=${SFDC_BULK_FUZZ_DIR:-build/fuzz}

echo "== build ($build) at $(date +%T)"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSFDC_BULK_WERROR=ON -DSFDC_BULK_BUILD_DOCS=ON
cmake --build "$build" -j "$jobs"

echo "== tests at $(date +%T)"
ctest --test-dir "$build" --output-on-failure -j "$jobs" --timeout 600

echo "== unit tests under ASan+UBSan ($asan) at $(date +%T)"
cmake -S . -B "$asan" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSFDC_BULK_WERROR=ON \
  -DSFDC_BULK_SANITIZE=ON -DSFDC_BULK_BUILD_EXAMPLES=OFF -DSFDC_BULK_BUILD_CLI=OFF \
  -DSFDC_BULK_BUILD_BENCHMARKS=OFF -DSFDC_BULK_INSTALL=OFF
cmake --build "$asan" -j "$jobs" --target sfdc_bulk_unit_tests sfdc_bulk_emulator_tests \
  sfdc_bulk_integration_tests
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir "$asan" --output-on-failure -j "$jobs" -L "unit|emulator|integration" --timeout 600

echo "== fuzz targets, 10 s each, under ASan+UBSan ($fuzz) at $(date +%T)"
cmake -S . -B "$fuzz" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DSFDC_BULK_FUZZ=ON -DSFDC_BULK_WERROR=ON -DSFDC_BULK_BUILD_TESTS=OFF \
  -DSFDC_BULK_BUILD_EXAMPLES=OFF -DSFDC_BULK_BUILD_CLI=OFF -DSFDC_BULK_BUILD_BENCHMARKS=OFF \
  -DSFDC_BULK_INSTALL=OFF
cmake --build "$fuzz" -j "$jobs" --target sfdc_bulk_fuzzers
SFDC_BULK_FUZZ_BUILD_DIR="$fuzz" SFDC_BULK_FUZZ_JOBS="$jobs" bash fuzz/run.sh 10
echo "== done at $(date +%T)"
