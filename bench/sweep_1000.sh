#!/usr/bin/env bash
# The issue's 1,000-point sweep of the reference scenario (scenarios/kappa-reference.json,
# candidate kappa-baseline) over rate and partitions: 25 rates from 10,000 to 100,000
# events/s (log spaced) x 40 partition counts (3 to 120 by 3), each point simulated for
# 60 s after the 5 s warm-up, or until its p99 95% confidence interval is within 5%
# (simulation.p99_ci_rel_width 0.05), with -j 2. Prints the wall time.
#
#   bench/sweep_1000.sh [ARCHSIM] [OUT_DIR] [-j N]      the full 1,000 points
#   bench/sweep_1000.sh --subset [ARCHSIM] [OUT_DIR]    50 points of the same ranges (5 rates
#                                                       x 10 partition counts) and the full
#                                                       sweep's projected wall time
# Run it alone on the machine: the figure is wall time (the CPU time is printed too, and
# what it gives on idle cores, for a loaded machine). OUT_DIR is removed first (a
# sweep resumes from its journal, which would skip the points).
set -euo pipefail

subset=0
if [[ "${1:-}" == "--subset" ]]; then subset=1; shift; fi
here="$(cd "$(dirname "$0")/.." && pwd)"
archsim="${1:-$here/build/release/cli/archsim}"
out="${2:-/tmp/archsim-sweep-1000}"
jobs=2
if [[ "${3:-}" == "-j" && -n "${4:-}" ]]; then jobs="$4"; fi
scenario="$here/scenarios/kappa-reference.json"

# Rates as the sweep's log range spells them; partitions as a linear range.
full_rates='1e4..1e5 n25'
full_parts='3:120:3'
sub_rates='1e4..1e5 n5'
sub_parts='3:111:12'
if [[ $subset == 1 ]]; then rates="$sub_rates"; parts="$sub_parts"; else rates="$full_rates"; parts="$full_parts"; fi

rm -rf "$out"
cpu_file="$(mktemp)"
trap 'rm -f "$cpu_file"' EXIT
start=$(date +%s.%N)
/usr/bin/time -f "%U %S" -o "$cpu_file" "$archsim" sweep "$scenario" --candidate kappa-baseline -j "$jobs" --yes -q --out "$out" \
  --vary /simulation/duration=60s --vary /simulation/p99_ci_rel_width=0.05 \
  --vary "/workload/rate/mean_eps=$rates" --vary "/candidates/0/broker/partitions=$parts"
end=$(date +%s.%N)

python3 - "$out/sweep.json" "$start" "$end" "$subset" "$jobs" "$cpu_file" <<'PY'
import json, math, sys
path, start, end, subset, jobs = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4] == "1", sys.argv[5]
wall = end - start
user, system = (float(x) for x in open(sys.argv[6]).read().split()[-2:])
cpu = user + system  # every simulation process's, reaped by the sweep
doc = json.load(open(path))
points = doc["points"]
n = len(points)
simulated = sum(1 for p in points if p.get("status") == "ok")
print(f"{n} points ({simulated} simulated) in {wall:.1f} s wall with -j {jobs}: {wall / max(n, 1):.2f} s per point; "
      f"{cpu:.1f} CPU-seconds (wall on {jobs} idle cores would be about {cpu / int(jobs):.1f} s)")
if subset:
    # The full grid's simulated events scale with its mean rate; partitions change the
    # events per point little. Project by the ratio of summed rates (warm-up + 60 s each;
    # points stopped early by the p99 interval make the projection an upper bound).
    def log_range(a, b, k):
        return [a * (b / a) ** (i / (k - 1)) for i in range(k)]
    full = sum(log_range(1e4, 1e5, 25)) * 40
    sub = sum(log_range(1e4, 1e5, 5)) * 10
    ratio = full / sub
    proj = wall * ratio
    print(f"projected 1,000-point sweep (25 rates x 40 partition counts), x {ratio:.1f} (the ratio of simulated events): "
          f"{proj:.0f} s = {proj / 60:.1f} min at this run's wall time; "
          f"{cpu * ratio / int(jobs) / 60:.1f} min on {jobs} idle cores (from the CPU time)")
PY
