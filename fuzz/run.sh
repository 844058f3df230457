#!/usr/bin/env bash
# Runs the fuzz targets, each for the given number of seconds (default 30), from its seed
# corpus in fuzz/corpus/<target> with its format's dictionary, after replaying the inputs
# kept in fuzz/crashes/<target>; prints one line per target. Exits non-zero when any
# target crashed, leaked or timed out, on a kept input or a new one, or is missing.
#
#   fuzz/run.sh [seconds] [target...]      e.g. fuzz/run.sh 600 job_info
#
# SFDC_BULK_FUZZ_BUILD_DIR: build directory configured with -DSFDC_BULK_FUZZ=ON
#   (default build/fuzz). SFDC_BULK_FUZZ_JOBS: targets run at once (default: one per core).
# Logs, the corpus each run grew and crash files go to <build>/fuzz-runs/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-30}
[ $# -gt 0 ] && shift
build=${SFDC_BULK_FUZZ_BUILD_DIR:-build/fuzz}
parallel=${SFDC_BULK_FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}
runs=$build/fuzz-runs

if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for dir in fuzz/corpus/*/; do targets+=("$(basename "$dir")"); done
fi

dictionary() {
  case "$1" in
    csv_reader | query_result_csv | emulator_batch_csv | emulator_bulk2_csv) echo fuzz/dict/csv.dict ;;
    query_result_xml | emulator_batch_xml) echo fuzz/dict/xml.dict ;;
    query_result_json | emulator_batch_json | token_response | bulk2_documents) echo fuzz/dict/json.dict ;;
    emulator_soql) echo fuzz/dict/soql.dict ;;
    gunzip | emulator_zip) ;;  # binary: no tokens to suggest
    # Status documents, DML results and error bodies come as XML or JSON.
    *) echo "$runs/documents.dict" ;;
  esac
}

run_one() {
  local target=$1 dir=$runs/$1
  rm -rf "$dir/crashes" "$dir/log" "$dir/rc" "$dir/replay.log" "$dir/replay-rc"
  mkdir -p "$dir/corpus" "$dir/crashes"
  # Inputs that once crashed a target must not crash it again.
  local replay=0 kept=(fuzz/crashes/"$target"/*)
  if [ -e "${kept[0]}" ]; then
    "$build/fuzz/fuzz_$target" "${kept[@]}" >"$dir/replay.log" 2>&1 || replay=$?
  fi
  echo "$replay" >"$dir/replay-rc"
  local rc=0
  # The first corpus directory receives new inputs; the seeds in the tree stay as they are.
  local dict options=()
  dict=$(dictionary "$target")
  [ -z "$dict" ] || options+=("-dict=$dict")
  "$build/fuzz/fuzz_$target" -max_total_time="$seconds" -print_final_stats=1 -timeout=25 \
    "${options[@]}" -artifact_prefix="$dir/crashes/" \
    "$dir/corpus" "fuzz/corpus/$target" >"$dir/log" 2>&1 || rc=$?
  echo "$rc" >"$dir/rc"
}

missing=0
for target in "${targets[@]}"; do
  if [ ! -x "$build/fuzz/fuzz_$target" ] || [ ! -d "fuzz/corpus/$target" ]; then
    echo "fuzz: no target $target (want $build/fuzz/fuzz_$target and fuzz/corpus/$target)" >&2
    missing=1
  fi
done
[ "$missing" = 0 ] || exit 2

mkdir -p "$runs"
cat fuzz/dict/xml.dict fuzz/dict/json.dict >"$runs/documents.dict"

echo "fuzz: ${#targets[@]} targets, ${seconds} s each, $parallel at a time"
for target in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do wait -n || true; done
  run_one "$target" &
done
wait

failed=0
report='^==[0-9]+==.*(ERROR|WARNING)|runtime error|fuzz property violated|terminate called'
for target in "${targets[@]}"; do
  dir=$runs/$target
  units=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log" | tail -n 1)
  summary="${units:-?} executions, ${rate:-?} exec/s"
  if [ "$(cat "$dir/replay-rc")" != 0 ]; then
    failed=1
    printf 'fuzz %-20s FAILED on an input kept in fuzz/crashes/%s; log %s\n' "$target" "$target" \
      "$dir/replay.log"
    grep -m 1 -B 1 -A 12 -E "$report" "$dir/replay.log" | sed 's/^/    /' || true
  fi
  if [ "$(cat "$dir/rc")" = 0 ]; then
    printf 'fuzz %-20s ok     %s\n' "$target" "$summary"
  else
    failed=1
    crash=$(find "$dir/crashes" -type f | head -n 1)
    printf 'fuzz %-20s FAILED %s; input %s; log %s\n' "$target" "$summary" "${crash:-none}" \
      "$dir/log"
    # The sanitizer's report: what went wrong and the top of the stack.
    if grep -q -E "$report" "$dir/log"; then
      grep -m 1 -A 14 -E "$report" "$dir/log" | sed 's/^/    /'
    else
      tail -n 5 "$dir/log" | sed 's/^/    /'
    fi
  fi
done
exit "$failed"
