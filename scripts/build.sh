#!/usr/bin/env bash
# Configures and builds archsim (Release, ccache when present) in ./build.
# Usage: scripts/build.sh [extra cmake args]
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${ARCHSIM_JOBS:-$(nproc)}
cmake --preset release "$@" >/dev/null
cmake --build --preset release -j "$jobs"
