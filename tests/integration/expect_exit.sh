#!/usr/bin/env bash
# Runs a command and checks its exit code and output, for CTest.
# Usage: expect_exit.sh [--absent PATH]... EXPECTED_CODE REGEX -- CMD [ARGS...]
#   EXPECTED_CODE  the exit code the command must return
#   REGEX          an extended regex that stdout+stderr (as one text: `.`
#                  matches newlines too) must match; "" matches anything
#   --absent PATH  PATH must not exist after the command (e.g. no file left)
# Prints the command's output when a check fails; exits 0 when all pass.
set -uo pipefail

absent=()
while [ "${1:-}" = "--absent" ]; do
  absent+=("$2")
  shift 2
done
if [ $# -lt 4 ] || [ "$3" != "--" ]; then
  echo "usage: $0 [--absent PATH]... EXPECTED_CODE REGEX -- CMD [ARGS...]" >&2
  exit 2
fi
expected=$1
regex=$2
shift 3

output=$("$@" 2>&1)
code=$?
failed=0
if [ "$code" -ne "$expected" ]; then
  echo "FAIL: exit code $code, expected $expected: $*"
  failed=1
fi
if ! [[ $output =~ $regex ]]; then
  echo "FAIL: output does not match /$regex/: $*"
  failed=1
fi
for path in "${absent[@]}"; do
  if [ -e "$path" ]; then
    echo "FAIL: $path exists after the command"
    failed=1
  fi
done
if [ "$failed" -ne 0 ]; then
  echo "----- output -----"
  printf '%s\n' "$output"
  exit 1
fi
echo "ok: exit $code, output matches /$regex/"
