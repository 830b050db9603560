#!/usr/bin/env bash
# Builds archsim with a sanitizer preset and runs the tests under it.
#   scripts/sanitize.sh asan   AddressSanitizer + UndefinedBehaviorSanitizer:
#                              unit and integration labels
#   scripts/sanitize.sh tsan   ThreadSanitizer: the threaded tests (GUI
#                              background simulation, real runners, sweep)
# Simulations under a sanitizer use SimGrid's thread contexts (see
# make_engine in sim/src/simulator.cpp): sanitizers do not follow SimGrid's
# hand-written context switches.
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-asan}
shift || true
jobs=${ARCHSIM_JOBS:-$(nproc)}
scripts/setup.sh
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$jobs"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}
case "$preset" in
  asan) ctest --preset asan -j "$jobs" -L "unit|integration" "$@" ;;
  tsan) ctest --preset tsan -j "$jobs" -R "Gui|gui\.|SimulatorCancel|realrunners|sweep\." "$@" ;;
  *) echo "usage: scripts/sanitize.sh asan|tsan [ctest args]" >&2; exit 2 ;;
esac
