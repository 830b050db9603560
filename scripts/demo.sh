#!/usr/bin/env bash
# The main job in one command: install what is missing, build, simulate a
# shipped example, write its HTML report, then check the recommended design
# against a real Kafka-protocol broker (librdkafka's embedded mock cluster).
# Usage: scripts/demo.sh [scenario.json]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
scenario=${1:-scenarios/kappa-reference.json}
archsim=build/release/cli/archsim
out=build/release/demo
mkdir -p "$out"
"$archsim" simulate "$scenario" --json "$out/result.json" --report "$out/report.html"
candidate=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["recommended"] or r["candidates"][0]["name"])' "$out/result.json")
echo
echo "Checking '$candidate' against the embedded Kafka broker..."
"$archsim" check "$scenario" --candidate "$candidate" --duration 10s --json "$out/check.json"
echo
echo "Report: $out/report.html   Results: $out/result.json, $out/check.json"
