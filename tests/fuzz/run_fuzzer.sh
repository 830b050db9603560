#!/usr/bin/env bash
# Runs one libFuzzer target: first every regression input (each must pass),
# then a bounded fuzzing session from a corpus seeded with the shipped
# scenarios (or the target's own seeds). A crash leaves its input in
# ARTIFACTS (printed) so it can be added to the regressions folder.
# Usage: run_fuzzer.sh BINARY NAME SECONDS CORPUS_DIR REGRESSIONS_DIR SEEDS_DIR SCENARIOS_DIR
set -euo pipefail
bin=$1 name=$2 seconds=$3 corpus=$4 regressions=$5 seeds=$6 scenarios=$7
mkdir -p "$corpus" "$corpus.artifacts"
if [ -d "$seeds" ]; then cp -n "$seeds"/* "$corpus"/ 2>/dev/null || true; fi
if [ "$name" = scenario_loader ]; then cp -n "$scenarios"/*.json "$corpus"/ 2>/dev/null || true; fi
shopt -s nullglob
regression_inputs=("$regressions"/*)
if [ ${#regression_inputs[@]} -gt 0 ]; then
  echo "fuzz $name: replaying ${#regression_inputs[@]} regression inputs"
  "$bin" "${regression_inputs[@]}"
fi
echo "fuzz $name: fuzzing for $seconds s (crash inputs go to $corpus.artifacts/)"
# one job, fixed seed: the run is bounded and repeatable for the same corpus.
# -timeout catches a hang, not slowness: each input takes milliseconds, and a
# loaded machine once starved one past 10 s (no defect), so 60 s.
"$bin" -max_total_time="$seconds" -seed=1 -timeout=60 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$corpus.artifacts/" "$corpus"
