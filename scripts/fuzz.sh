#!/usr/bin/env bash
# Longer local fuzzing than CI's bounded runs: builds only the libFuzzer
# targets with clang (build/fuzz, ARCHSIM_FUZZ_ONLY: no simulator, quick) and
# runs each for SECONDS (default 600).
# A crash input is kept under build/fuzz/tests/fuzz/corpus/<target>.artifacts/;
# copy it into tests/fuzz/regressions/<target>/ so CI replays it for ever.
# Usage: scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
scripts/setup.sh
CXX=clang++ cmake -S . -B build/fuzz -DARCHSIM_FUZZ=ON -DARCHSIM_FUZZ_ONLY=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DARCHSIM_FUZZ_SECONDS="$seconds" -DCMAKE_CXX_COMPILER_LAUNCHER="$(command -v ccache || true)"
cmake --build build/fuzz -j "$(nproc)"
ctest --test-dir build/fuzz --output-on-failure -L fuzz --timeout $((seconds + 300))
