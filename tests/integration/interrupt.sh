#!/usr/bin/env bash
# Ctrl-C during `archsim simulate` (issue 8): the command stops within a few
# seconds with exit status 128 + signal, kills its simulation processes (none
# is left running), writes no --json file, and keeps an existing one intact.
# Usage: interrupt.sh ARCHSIM SCENARIO WORKDIR SIGNAL EXPECTED_CODE
set -uo pipefail
archsim=$1 scenario=$2 work=$3 sig=$4 expected=$5
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*"; echo "--- stderr"; cat "$work/stderr" 2>/dev/null; exit 1; }

# A long run: two candidates, 10 minutes of simulated time each.
python3 - "$scenario" "$work/long.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s["simulation"]["duration"] = "600s"
s["simulation"].pop("p99_ci_rel_width", None)
s.pop("$schema", None)
json.dump(s, open(sys.argv[2], "w"))
PY
echo '{"previous": "result"}' > "$work/result.json"
"$archsim" simulate "$work/long.json" --json "$work/result.json" -j 2 >"$work/stdout" 2>"$work/stderr" &
pid=$!
# wait until the simulation processes exist (children of $pid)
for _ in $(seq 100); do
  [ -n "$(pgrep -P "$pid")" ] && break
  sleep 0.1
done
children=$(pgrep -P "$pid" | tr '\n' ' ')
[ -n "$children" ] || fail "no simulation process started"
sleep 1
kill "-$sig" "$pid"
start=$(date +%s)
wait "$pid"
code=$?
took=$(( $(date +%s) - start ))
[ "$code" -eq "$expected" ] || fail "exit status $code after SIG$sig, expected $expected"
[ "$took" -le 10 ] || fail "took $took s to stop after SIG$sig"
for c in $children; do
  if kill -0 "$c" 2>/dev/null; then fail "simulation process $c still running after the command exited"; fi
done
grep -q "interrupted by" "$work/stderr" || fail "no 'interrupted by' message on stderr"
[ "$(cat "$work/result.json")" = '{"previous": "result"}' ] || fail "the existing --json file was changed"
ls "$work" | grep -q '\.tmp' && fail "a temporary file was left behind: $(ls "$work")"
echo "OK: SIG$sig stopped simulate in ${took} s with exit $expected; children ($children) gone; result.json untouched"
