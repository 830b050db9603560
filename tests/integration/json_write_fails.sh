#!/usr/bin/env bash
# A --json write that fails (here: a 1 KiB file-size limit stands in for a full
# disk) must exit 4 with the path in the message and leave the previous file
# untouched. Usage: json_write_fails.sh ARCHSIM SCENARIO OUT_DIR [ARGS...]
set -uo pipefail
archsim=$1
scenario=$2
out_dir=$3
shift 3
mkdir -p "$out_dir"
out="$out_dir/limited.json"
echo "previous content" >"$out"
output=$(ulimit -f 1; "$archsim" simulate "$scenario" --json "$out" "$@" 2>&1 >/dev/null)
code=$?
failed=0
[ "$code" -eq 4 ] || { echo "FAIL: exit code $code, expected 4"; failed=1; }
[[ $output == *"cannot write $out"* ]] || { echo "FAIL: stderr does not name $out"; failed=1; }
[ "$(cat "$out")" = "previous content" ] || { echo "FAIL: $out was changed"; failed=1; }
leftovers=$(find "$out_dir" -name '.limited.json.*' | wc -l)
[ "$leftovers" -eq 0 ] || { echo "FAIL: $leftovers temporary file(s) left in $out_dir"; failed=1; }
if [ "$failed" -ne 0 ]; then
  printf -- '----- stderr -----\n%s\n' "$output"
  exit 1
fi
echo "ok: exit 4, previous $out kept: $output"
