#!/usr/bin/env bash
# All tests in one command: install what is missing, build, run CTest
# (every label, including the bounded `validation` one).
# Usage: scripts/test.sh [extra ctest args]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
jobs=${ARCHSIM_JOBS:-$(nproc)}
rm -f build/release/bench/simulation_speed.txt
ctest --test-dir build/release --output-on-failure -j "$jobs" "$@" | tee build/release/ctest.log
# ctest hides passing tests' output: show the speed figure the bench label
# measured, then ctest's summary again as the closing line.
if [ -f build/release/bench/simulation_speed.txt ]; then
  echo "simulation speed (bench.simulation_speed):"
  grep BM_ build/release/bench/simulation_speed.txt || true
  grep -E "^[0-9]+% tests passed" build/release/ctest.log | tail -n 1
fi
