#!/bin/sh
# End-to-end benchmark: sfdc-bulk (CSV and JSON jobs) and jsforce v3 insert, query and
# delete the same generated Contact file against one emulator; prints a Markdown table
# and writes JSON (default bench/results/latest.json).
#
#   bench/run.sh [--profile loopback|wan] [--records N] [--workers W] [--cost-per-record-us C]
#                [--batch-latency-ms L] [--query-cost-per-record-us Q] [--rtt-ms R]
#                [--bandwidth-bytes-per-second B] [--clients a,b,c]
#                [--phases insert,query,delete] [--query-pk-chunk-size N]
#                [--build-dir DIR] [--no-build]
#                [--out FILE] [--markdown FILE]
#
# --profile loopback (the default): the emulator answers at loopback speed.
# --profile wan: a real org over a real network: 80 ms RTT, 12.5 MB/s per connection,
#   2 ms per record written (a 10,000-record batch takes 20 s), 50 us per row queried,
#   10 server workers, 200,000 rows. Options after --profile override its values.
# Builds what it needs in Release (default build dir: build/bench) and installs jsforce
# (the version the conformance tests pin) into the build tree on first use.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build/bench
out=$root/bench/results/latest.json
do_build=1
pass=""
while [ $# -gt 0 ]; do
  case $1 in
    --build-dir) build=$2; shift 2 ;;
    --no-build) do_build=0; shift ;;
    --out) out=$2; shift 2 ;;
    --profile)
      # harness.py keeps the last value of an option, so later options override these.
      case $2 in
        loopback) ;;
        wan) pass="$pass --records 200000 --workers 10 --cost-per-record-us 2000"
             pass="$pass --batch-latency-ms 0 --query-cost-per-record-us 50"
             pass="$pass --rtt-ms 80 --bandwidth-bytes-per-second 12500000" ;;
        *) echo "run.sh: unknown profile $2 (loopback, wan)" >&2; exit 2 ;;
      esac
      shift 2 ;;
    --records | --workers | --cost-per-record-us | --batch-latency-ms | --clients | --phases | --markdown \
      | --query-cost-per-record-us | --rtt-ms | --bandwidth-bytes-per-second | --query-pk-chunk-size)
      pass="$pass $1 $2"; shift 2 ;;
    -h | --help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
case $build in /*) ;; *) build=$PWD/$build ;; esac

if [ $do_build = 1 ]; then
  if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DSFDC_BULK_BUILD_EXAMPLES=OFF -DSFDC_BULK_BUILD_TESTS=OFF >/dev/null
  fi
  cmake --build "$build" --target sfdc-bulk-emulator sfdc_bulk_bench sfdc-bulk-bench-gen
fi

for tool in node npm python3; do
  command -v $tool >/dev/null || { echo "run.sh: $tool is required (scripts/install-deps.sh)" >&2; exit 1; }
done
version=$(sed -n 's/^set(SFDC_BULK_JSFORCE_VERSION \([0-9.]*\))$/\1/p' "$root/tests/conformance/CMakeLists.txt")
npm_dir=$build/bench/npm
mkdir -p "$npm_dir"
sh "$root/tests/conformance/install_jsforce.sh" npm "$npm_dir" "$version" >&2

mkdir -p "$(dirname "$out")"
# shellcheck disable=SC2086 # $pass holds option/value pairs without spaces
exec python3 "$root/bench/harness.py" --build-dir "$build" --work-dir "$build/bench/data" \
  --jsforce-dir "$npm_dir" --out "$out" $pass
