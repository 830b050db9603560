#!/usr/bin/env bash
# Same scenario, same seed, different worker counts: the Result JSON files
# must be byte-identical. Usage: determinism.sh ARCHSIM SCENARIO OUT_DIR [SEED]
set -euo pipefail
archsim=$1
scenario=$2
out_dir=$3
seed=${4:-7}
mkdir -p "$out_dir"
rm -f "$out_dir/run-1.json" "$out_dir/run-2.json"
"$archsim" simulate "$scenario" --seed "$seed" -j 1 -q --json "$out_dir/run-1.json" >/dev/null
"$archsim" simulate "$scenario" --seed "$seed" -j 2 -q --json "$out_dir/run-2.json" >/dev/null
if ! cmp "$out_dir/run-1.json" "$out_dir/run-2.json"; then
  echo "FAIL: two runs with seed $seed differ" >&2
  diff "$out_dir/run-1.json" "$out_dir/run-2.json" | head -40 >&2
  exit 1
fi
echo "ok: $(wc -c <"$out_dir/run-1.json") bytes, identical for seed $seed with -j 1 and -j 2"
