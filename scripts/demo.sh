#!/usr/bin/env bash
# The main job in one command: install what is missing, build, and simulate
# the shipped reference example. Usage: scripts/demo.sh [scenario.json]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
scenario=${1:-scenarios/kappa-reference.json}
exec build/release/cli/archsim simulate "$scenario" --json build/release/demo-result.json
