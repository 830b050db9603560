#!/usr/bin/env bash
# All tests in one command: install what is missing, build, run CTest
# (every label, including the bounded `validation` and `bench` ones), then
# the sanitizer runs, each failing CI when it fails (scripts/sanitize.sh):
#   asan  clang ASan+UBSan tree (build/asan): unit and quick CLI tests, then
#         the libFuzzer targets of the same tree for a bounded time (label fuzz)
#   tsan  ThreadSanitizer tree (build/tsan): the threaded tests
# ARCHSIM_SKIP_SANITIZERS=1 skips the asan and tsan runs, ARCHSIM_SKIP_FUZZ=1
# the bounded fuzzing.
# Usage: scripts/test.sh [extra ctest args for the main suite]
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh || exit $?
scripts/build.sh || exit $?
jobs=${ARCHSIM_JOBS:-$(nproc)}
rm -f build/release/bench/simulation_speed.txt
ctest --test-dir build/release --output-on-failure -j "$jobs" "$@" | tee build/release/ctest.log
main_status=${PIPESTATUS[0]}

# run_step NAME LOG COMMAND...: runs one sanitizer step, prints its time,
# keeps its output in LOG; the step's status goes into status_NAME.
run_step() {
  local name=$1 log=$2 start=$SECONDS
  shift 2
  echo "$name: $*"
  mkdir -p "$(dirname "$log")"
  "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  echo "$name: exit $status after $((SECONDS - start)) s"
  printf -v "status_$name" '%s' "$status"
}
status_asan=0 status_fuzz=0 status_tsan=0
rm -f build/asan-ctest.log build/fuzz-ctest.log build/tsan-ctest.log  # no stale summaries
if [ -z "${ARCHSIM_SKIP_SANITIZERS:-}" ]; then
  run_step asan build/asan-ctest.log scripts/sanitize.sh asan --output-on-failure
fi
if [ -z "${ARCHSIM_SKIP_FUZZ:-}" ]; then
  run_step fuzz build/fuzz-ctest.log bash -c "cmake --preset asan >/dev/null &&
    cmake --build --preset asan -j $jobs --target archsim_fuzz_targets >/dev/null &&
    ctest --test-dir build/asan --output-on-failure -L fuzz"
fi
if [ -z "${ARCHSIM_SKIP_SANITIZERS:-}" ]; then
  run_step tsan build/tsan-ctest.log scripts/sanitize.sh tsan --output-on-failure
fi

# A CI log may be shown only in part (its end): repeat each failed test's
# last output lines here, then the speed figure the bench label measured
# (ctest hides passing tests' output), then the summaries as closing lines.
python3 scripts/failure_tails.py build/release/ctest.log build/asan-ctest.log build/fuzz-ctest.log \
  build/tsan-ctest.log
if [ -f build/release/bench/simulation_speed.txt ]; then
  echo "simulation speed (bench.simulation_speed):"
  grep BM_ build/release/bench/simulation_speed.txt || true
fi
for step in asan fuzz tsan; do
  log=build/$step-ctest.log
  [ -f "$log" ] || continue
  summary=$(grep -E '^[0-9]+% tests passed' "$log" | tail -n 1)
  echo "$step: ${summary:-no test summary (did the build fail? see $log)}"
done
grep -E "^[0-9]+% tests passed" build/release/ctest.log | tail -n 1
[ "$main_status" -eq 0 ] && [ "$status_asan" -eq 0 ] && [ "$status_fuzz" -eq 0 ] && [ "$status_tsan" -eq 0 ]
