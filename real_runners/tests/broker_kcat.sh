#!/usr/bin/env bash
# Interop test for `archsim broker`: it prints bootstrap.servers, kcat lists
# its metadata, produces and consumes a few messages through it, and SIGTERM
# (then, on a second broker, SIGINT) stops it cleanly with exit status 128 + signal (143, 130).
# Usage: broker_kcat.sh ARCHSIM OUTDIR. Exit 77 (skipped) only without kcat.
set -uo pipefail
archsim=$1
outdir=$2
if ! command -v kcat >/dev/null; then
  echo "SKIP: kcat is not installed (scripts/setup.sh installs the Debian package kcat)"
  exit 77
fi
mkdir -p "$outdir"
pid=""
cleanup() { if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; echo "--- broker stdout"; cat "${out:-/dev/null}"; echo "--- broker stderr"; cat "${err:-/dev/null}"; exit 1; }

# Starts a broker in the background; sets pid and bootstrap.
# Each start writes fresh files (broker-N.out): reading a previous broker's
# address before the new one truncates the file would be a race.
starts=0
start_broker() {
  starts=$((starts + 1))
  out="$outdir/broker-$starts.out"
  err="$outdir/broker-$starts.err"
  rm -f "$out" "$err"
  "$archsim" broker --brokers 2 --topic interop:3 >"$out" 2>"$err" &
  pid=$!
  bootstrap=""
  for _ in $(seq 100); do
    bootstrap=$(sed -n 's/^bootstrap.servers=//p' "$out" 2>/dev/null)
    [ -n "$bootstrap" ] && return 0
    kill -0 "$pid" 2>/dev/null || fail "archsim broker exited before printing bootstrap.servers"
    sleep 0.1
  done
  fail "no bootstrap.servers line within 10 s"
}

# Sends signal $1 and checks that the broker stops within 10 s with exit
# status $2 (128 + the signal number).
stop_broker() {
  kill "-$1" "$pid"
  for _ in $(seq 100); do
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid"
      local code=$?
      pid=""
      [ "$code" -eq "$2" ] || fail "archsim broker exited $code after SIG$1, expected $2"
      return 0
    fi
    sleep 0.1
  done
  fail "archsim broker still running 10 s after SIG$1"
}

start_broker
[[ $bootstrap =~ ^127\.0\.0\.1:[0-9]+,127\.0\.0\.1:[0-9]+$ ]] || fail "unexpected bootstrap.servers: $bootstrap"

metadata=$(timeout 20 kcat -b "$bootstrap" -L -m 10 2>&1) || fail "kcat -L failed: $metadata"
[[ $metadata == *"2 brokers"* ]] || fail "kcat -L does not list 2 brokers: $metadata"
[[ $metadata == *'topic "interop" with 3 partitions'* ]] || fail "kcat -L does not list topic interop: $metadata"

printf 'm1\nm2\nm3\nm4\nm5\n' | timeout 20 kcat -b "$bootstrap" -P -t interop -X linger.ms=1 ||
  fail "kcat -P failed"
consumed=$(timeout 20 kcat -b "$bootstrap" -C -t interop -e -q -f '%s\n' -X fetch.wait.max.ms=10 | sort | tr '\n' ' ')
[ "$consumed" = "m1 m2 m3 m4 m5 " ] || fail "kcat -C read '$consumed', expected 'm1 m2 m3 m4 m5 '"
stop_broker TERM 143
grep -q "SIGTERM received" "$err" || fail "no SIGTERM message on stderr"

start_broker
stop_broker INT 130
grep -q "SIGINT received" "$err" || fail "no SIGINT message on stderr"
echo "OK: kcat listed, produced and consumed 5 messages; SIGTERM and SIGINT stopped the broker cleanly (exit 143 and 130)"
