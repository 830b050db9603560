#!/usr/bin/env bash
# All tests in one command: install what is missing, build, run CTest
# (every label, including the bounded `validation` and `bench` ones), then
# the sanitizer runs, each failing CI when it fails (scripts/sanitize.sh):
#   asan  clang ASan+UBSan tree (build/asan): unit and quick CLI tests, then
#         the libFuzzer targets of the same tree for a bounded time (label fuzz)
#   tsan  ThreadSanitizer tree (build/tsan): the threaded tests
# Order, for a CI budget on two cores:
#   1. the measurements (label bench, and the agreement grid) run first, alone
#      on the machine, so their figures mean something;
#   2. the sanitizer trees are built in the background at the lowest CPU
#      priority (nice 19) while the functional suite runs: that suite waits on
#      brokers and browsers much of the time, and the builds take only the CPU
#      it leaves idle (no test depends on wall-clock speed);
#   3. the sanitizer tests and the bounded fuzzing run once the trees are built.
# ARCHSIM_SKIP_SANITIZERS=1 skips the asan and tsan runs, ARCHSIM_SKIP_FUZZ=1
# the bounded fuzzing.
# Usage: scripts/test.sh [extra ctest args for the main suite]
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh || exit $?
scripts/build.sh || exit $?
jobs=${ARCHSIM_JOBS:-$(nproc)}
rm -f build/release/bench/simulation_speed.txt
# With extra ctest arguments (a selection of one's own), there is no
# measurement step: the selection runs as one suite.
measured='^validation\.agreement_grid$'
measure_status=0
main_selection=("$@")
rm -f build/release/ctest-measure.log
if [ $# -eq 0 ]; then
  ctest --test-dir build/release --output-on-failure -L bench | tee build/release/ctest-measure.log
  measure_status=${PIPESTATUS[0]}
  ctest --test-dir build/release --output-on-failure -R "$measured" | tee -a build/release/ctest-measure.log
  [ "${PIPESTATUS[0]}" -eq 0 ] || measure_status=1
  main_selection=(-LE bench -E "$measured")
fi

# prebuild_sanitizer_trees: the asan and tsan builds of scripts/sanitize.sh,
# at nice 19, output in build/sanitizer-build.log (a failure shows again,
# with its errors, when scripts/sanitize.sh builds the tree for its tests).
prebuild_sanitizer_trees() {
  for preset in asan tsan; do
    nice -n 19 scripts/sanitize.sh "$preset" --build-only || return $?
  done
}
prebuild_pid=
if [ -z "${ARCHSIM_SKIP_SANITIZERS:-}" ]; then
  mkdir -p build
  prebuild_sanitizer_trees >build/sanitizer-build.log 2>&1 &
  prebuild_pid=$!
  echo "building the sanitizer trees in the background (nice 19): build/sanitizer-build.log"
fi
ctest --test-dir build/release --output-on-failure -j "$jobs" "${main_selection[@]}" | tee build/release/ctest.log
main_status=${PIPESTATUS[0]}
[ "$measure_status" -eq 0 ] || main_status=1
if [ -n "$prebuild_pid" ]; then
  start=$SECONDS
  wait "$prebuild_pid"
  echo "sanitizer trees built (exit $?), waited $((SECONDS - start)) s after the main suite"
fi

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
    ctest --test-dir build/asan --output-on-failure -j $jobs -L fuzz"
fi
if [ -z "${ARCHSIM_SKIP_SANITIZERS:-}" ]; then
  run_step tsan build/tsan-ctest.log scripts/sanitize.sh tsan --output-on-failure
fi

# A CI log may be shown only in part (its end): repeat each failed test's
# last output lines here, then the speed figure the bench label measured
# (ctest hides passing tests' output), then the summaries as closing lines.
python3 scripts/failure_tails.py build/release/ctest-measure.log build/release/ctest.log build/asan-ctest.log build/fuzz-ctest.log \
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
if [ -f build/release/ctest-measure.log ]; then
  echo "measurements (bench, agreement grid): $(grep -E '^[0-9]+% tests passed' build/release/ctest-measure.log | tr '\n' ' ')"
fi
grep -E "^[0-9]+% tests passed" build/release/ctest.log | tail -n 1
[ "$main_status" -eq 0 ] && [ "$status_asan" -eq 0 ] && [ "$status_fuzz" -eq 0 ] && [ "$status_tsan" -eq 0 ]
