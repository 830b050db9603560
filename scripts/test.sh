#!/usr/bin/env bash
# All tests in one command: install what is missing, build, run CTest
# (every label, including the bounded `validation` and `bench` ones), then
# build the libFuzzer targets with clang and run them for a bounded time
# (label `fuzz`, its own build tree: build/fuzz).
# Usage: scripts/test.sh [extra ctest args for the main suite]
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh || exit $?
scripts/build.sh || exit $?
jobs=${ARCHSIM_JOBS:-$(nproc)}
rm -f build/release/bench/simulation_speed.txt
ctest --test-dir build/release --output-on-failure -j "$jobs" "$@" | tee build/release/ctest.log
main_status=${PIPESTATUS[0]}

fuzz_status=0
if [ -z "${ARCHSIM_SKIP_FUZZ:-}" ]; then
  echo "fuzz: building the libFuzzer targets with clang (build/fuzz)"
  { CXX=clang++ cmake -S . -B build/fuzz -DARCHSIM_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_COMPILER_LAUNCHER="$(command -v ccache || true)" >/dev/null &&
    cmake --build build/fuzz -j "$jobs" >/dev/null &&
    ctest --test-dir build/fuzz --output-on-failure -L fuzz | tee build/fuzz/ctest.log; } || fuzz_status=1
fi

# ctest hides passing tests' output: show the speed figure the bench label
# measured, then the summaries again as the closing lines.
if [ -f build/release/bench/simulation_speed.txt ]; then
  echo "simulation speed (bench.simulation_speed):"
  grep BM_ build/release/bench/simulation_speed.txt || true
fi
[ -f build/fuzz/ctest.log ] && echo "fuzz: $(grep -E '^[0-9]+% tests passed' build/fuzz/ctest.log | tail -n 1)"
grep -E "^[0-9]+% tests passed" build/release/ctest.log | tail -n 1
[ "$main_status" -eq 0 ] && [ "$fuzz_status" -eq 0 ]
