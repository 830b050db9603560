#!/usr/bin/env bash
# Builds archsim with a sanitizer preset and runs the tests under it; CI runs
# both (scripts/test.sh), a failing sanitizer run fails CI.
#   scripts/sanitize.sh asan   clang AddressSanitizer + UndefinedBehaviorSanitizer
#                              (build/asan, which also holds the libFuzzer
#                              targets): the unit tests (label unit) and the
#                              quick CLI tests (label asan in that tree)
#   scripts/sanitize.sh tsan   ThreadSanitizer (build/tsan): the threaded tests:
#                              GUI background simulation, explorer and check
#                              jobs, simulator cancel, real runners (librdkafka
#                              threads). Sweep workers are forked processes
#                              polled from one thread: nothing for TSan there.
#                              die_after_fork=0 (test preset): a simulation
#                              is a forked child that starts SimGrid's
#                              threads, which TSan would otherwise kill when
#                              the parent (a GUI job) has threads of its own.
# The sanitizer options and suppressions (tests/sanitizers/*.supp, each entry
# saying why it is not our defect) are in the test presets (CMakePresets.json).
# Simulations under a sanitizer use SimGrid's thread contexts (see
# make_engine in sim/src/simulator.cpp): sanitizers do not follow SimGrid's
# hand-written context switches.
# --build-only builds the tree and runs nothing (scripts/test.sh builds the
# trees in the background while the main suite runs).
# Usage: scripts/sanitize.sh asan|tsan [--build-only | extra ctest args]
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-asan}
shift || true
build_only=
if [ "${1:-}" = --build-only ]; then build_only=1; shift; fi
jobs=${ARCHSIM_JOBS:-$(nproc)}
case "$preset" in
  asan) targets=(archsim archsim_unit_tests archsim_fuzz_targets) ;;
  tsan) targets=(archsim_unit_tests) ;;  # the threaded tests only (tests/CMakeLists.txt)
  *) echo "usage: scripts/sanitize.sh asan|tsan [ctest args]" >&2; exit 2 ;;
esac
scripts/setup.sh >/dev/null
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$jobs" --target "${targets[@]}" >/dev/null
[ -z "$build_only" ] || exit 0
case "$preset" in
  asan) ctest --preset asan -j "$jobs" -L '^(unit|asan)$' "$@" ;;
  tsan) ctest --preset tsan -j "$jobs" -R '^(Gui[A-Za-z]*\.|SimulatorCancel\.|RealRunners[A-Za-z]*\.)' "$@" ;;
esac
