#!/usr/bin/env bash
# The external-cluster path of `archsim check` (--bootstrap-servers), against
# a separate `archsim broker` process: with the candidate's topics created up
# front the run delivers every event exactly once; without them, topic
# creation through the admin API is refused by the mock broker (it does not
# implement CreateTopics), which must be exit 4 naming the topic.
# Usage: external_cluster.sh ARCHSIM RUN_CHECK_PY OUTDIR (from the source tree)
set -uo pipefail
archsim=$1
run_check=$2
outdir=$3
mkdir -p "$outdir"
pid=""
cleanup() { if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

# Each start writes fresh files (broker-N.out): reading a previous broker's
# address before the new one truncates the file would be a race.
starts=0
start_broker() {
  starts=$((starts + 1))
  local out="$outdir/broker-$starts.out"
  rm -f "$out"
  "$archsim" broker "$@" >"$out" 2>"$outdir/broker-$starts.err" &
  pid=$!
  bootstrap=""
  for _ in $(seq 100); do
    bootstrap=$(sed -n 's/^bootstrap.servers=//p' "$out" 2>/dev/null)
    [ -n "$bootstrap" ] && return 0
    sleep 0.1
  done
  fail "archsim broker printed no bootstrap.servers within 10 s"
}
stop_broker() {
  kill -TERM "$pid"
  local stopped=0
  wait "$pid" || stopped=$?
  [ "$stopped" -eq 143 ] || fail "archsim broker exited $stopped on SIGTERM, expected 143 (a clean stop on SIGTERM)"
  pid=""
}

start_broker --topic archsim.kappa-lean.in:12 --topic archsim.kappa-lean.out:12
python3 "$run_check" "$archsim" "$outdir/external.json" --external --min-sent 2000 -- \
  scenarios/kappa-reference.json --candidate kappa-lean --bootstrap-servers "$bootstrap" \
  --rate 2000 --duration 1s --warmup 200ms || fail "check against the external broker"
stop_broker

start_broker
output=$(timeout 40 "$archsim" check scenarios/kappa-reference.json --candidate kappa-lean \
  --bootstrap-servers "$bootstrap" --rate 2000 --duration 1s 2>&1)
code=$?
stop_broker
[ "$code" -eq 4 ] || fail "missing topic: exit $code, expected 4: $output"
[[ $output == *"topic archsim.kappa-lean.in does not exist"* ]] || fail "missing topic not named: $output"
echo "OK: external cluster run delivered every event once; a topic that cannot be created is exit 4"
