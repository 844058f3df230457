#!/bin/sh
# Lock contention benchmark: Contacts under a few Accounts that own most of them, loaded
# with sfbulk in Parallel mode (a) plainly, (b) with --group-by AccountId, (c) with
# --group-by AccountId --retry-locked, (d) in Serial mode, and the same rows without an
# AccountId (no contention) for the ratio. Prints one Markdown row per case: median wall
# time of the runs, the ratio to no contention, rows failed, lock failures, rows resent.
#
#   bench/lock_contention.sh [--records N] [--accounts N] [--skew S,S,...] [--runs N]
#                            [--build-dir DIR] [-- EMULATOR_ARGS...]
#
# --skew gives the shares of the rows owned by the first accounts (default
# 0.12,0.12,0.12,0.12,0.12: five accounts own 60 %); the others share the rest evenly at
# random. EMULATOR_ARGS go to sfdc-bulk-emulator (default: --workers 4
# --cost-per-record-us 40; add e.g. --lock-failure-share 0.02). Needs python3 and a build
# of sfbulk and sfdc-bulk-emulator (default build dir: build/bench, see run.sh).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build/bench
records=200000
accounts=500
skew=0.12,0.12,0.12,0.12,0.12
runs=3
while [ $# -gt 0 ]; do
  case $1 in
    --records) records=$2; shift 2 ;;
    --accounts) accounts=$2; shift 2 ;;
    --skew) skew=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --build-dir) build=$2; shift 2 ;;
    --) shift; break ;;
    -h | --help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "lock_contention.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
case $build in /*) ;; *) build=$PWD/$build ;; esac
sfbulk=$build/tools/sfbulk/sfbulk
emulator=$build/emulator/sfdc-bulk-emulator
for binary in "$sfbulk" "$emulator"; do
  [ -x "$binary" ] || { echo "lock_contention.sh: $binary is not built" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'kill ${epid:-} 2>/dev/null; rm -rf "$work"' EXIT INT TERM
cd "$work"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
[ $# -gt 0 ] || set -- --workers 4 --cost-per-record-us 40
export SFDC_INSTANCE_URL=http://127.0.0.1:$port
export SFDC_TOKEN_URL=http://127.0.0.1:$port/services/oauth2/token
export SFDC_CLIENT_ID=emulator-client-id SFDC_CLIENT_SECRET=emulator-client-secret
export SFDC_REFRESH_TOKEN=emulator-refresh-token

python3 -c "
print('Name')
for i in range($accounts): print(f'Account {i}')" >accounts.csv

# Every load starts from a fresh org holding only the Accounts: an org grown by the loads
# before would make each case slower than the one before it. The ids come from the
# emulator's counters, so a fresh emulator gives the Accounts the same ids again.
fresh_emulator() {
  if [ -n "${epid:-}" ]; then kill "$epid" 2>/dev/null || true; wait "$epid" 2>/dev/null || true; fi
  "$emulator" --port "$port" "$@" >emulator.log 2>&1 &
  epid=$!
  python3 -c "
import socket, time
for _ in range(500):
    try:
        socket.create_connection(('127.0.0.1', $port)).close(); break
    except OSError: time.sleep(0.01)"
  "$sfbulk" load --object Account --operation insert --file accounts.csv --success accounts-ok.csv \
    --batch-size "$accounts" -q
}
emulator_args="$*"
fresh_emulator "$@"
python3 - "$records" "$skew" <<'EOF'
import csv, random, sys
records, shares = int(sys.argv[1]), [float(s) for s in sys.argv[2].split(',')]
ids = [row['sf__Id'] for row in csv.DictReader(open('accounts-ok.csv'))]
rest = ids[len(shares):]
random.seed(7)
def account():
    r, edge = random.random(), 0.0
    for i, share in enumerate(shares):
        edge += share
        if r < edge:
            return ids[i]
    return random.choice(rest)
for name, parent in (('skewed.csv', account), ('plain.csv', lambda: '')):
    with open(name, 'w') as out:
        out.write('FirstName,LastName,Email,AccountId\n')
        for i in range(records):
            out.write(f'First{i},Last{i},c{i}@example.com,{parent()}\n')
EOF

# One load: prints seconds|failed|lockFailures|recordsRetried.
measure() {
  fresh_emulator $emulator_args
  start=$(python3 -c 'import time; print(time.time())')
  "$sfbulk" load --object Contact --operation insert --json -q "$@" >summary.json 2>/dev/null || true
  python3 -c "
import json, time
s = json.load(open('summary.json'))
print(f\"{time.time() - $start:.2f}|{s['failed']}|{s['lockFailures']}|{s['recordsRetried']}\")"
}

case_line() {
  label=$1; shift
  : >times
  i=0
  while [ $i -lt "$runs" ]; do measure "$@" >>times; i=$((i + 1)); done
  python3 - "$label" "${base:-0}" <<'EOF'
import statistics, sys
rows = [line.strip().split('|') for line in open('times')]
median = statistics.median(float(r[0]) for r in rows)
base = float(sys.argv[2]) or median
last = rows[-1]
print(f"| {sys.argv[1]} | {median:.2f} s | {median / base:.2f} | {last[1]} | {last[2]} | {last[3]} |")
EOF
}

echo "$records Contacts over $accounts Accounts, shares $skew; emulator: $*; median of $runs runs"
echo
echo "| load | wall time | vs no contention | rows failed | lock failures | rows resent |"
echo "|---|---|---|---|---|---|"
line=$(case_line "no contention (no AccountId)" --file plain.csv --no-retry-locked)
echo "$line"
base=$(echo "$line" | sed 's/^| [^|]* | \([0-9.]*\) s.*/\1/')
case_line "(a) Parallel" --file skewed.csv --no-retry-locked
case_line "(b) Parallel --group-by AccountId" --file skewed.csv --group-by AccountId --no-retry-locked
case_line "(c) Parallel --group-by AccountId --retry-locked" --file skewed.csv --group-by AccountId \
  --retry-locked
runs=1 case_line "(d) --serial" --file skewed.csv --serial --no-retry-locked
