#!/usr/bin/env bash
# Ctrl-C during `archsim check` (issue 8): the real run on the embedded broker
# stops within seconds with exit 130, its threads joined and the broker
# stopped (the process exits), and no --json file is written.
# Usage: check_interrupt.sh ARCHSIM SCENARIO CANDIDATE WORKDIR
set -uo pipefail
archsim=$1 scenario=$2 candidate=$3 work=$4
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*"; echo "--- stderr"; cat "$work/stderr" 2>/dev/null; exit 1; }
"$archsim" check "$scenario" --candidate "$candidate" --rate 1000 --duration 60s --platform catalog \
  --json "$work/check.json" >"$work/stdout" 2>"$work/stderr" &
pid=$!
# interrupt once the measured run is under way
for _ in $(seq 200); do
  grep -q "broker:" "$work/stderr" 2>/dev/null && break
  sleep 0.1
done
sleep 2
kill -INT "$pid"
start=$(date +%s)
wait "$pid"
code=$?
took=$(( $(date +%s) - start ))
[ "$code" -eq 130 ] || fail "exit status $code after SIGINT, expected 130"
[ "$took" -le 15 ] || fail "took $took s to stop after SIGINT"
grep -q "interrupted by SIGINT" "$work/stderr" || fail "no 'interrupted by SIGINT' message"
[ ! -e "$work/check.json" ] || fail "check.json was written by an interrupted check"
echo "OK: SIGINT stopped check in ${took} s with exit 130; no check.json"
