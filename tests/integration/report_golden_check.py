#!/usr/bin/env python3
"""Golden test: `archsim report FIXTURE --format FORMAT` must equal EXPECTED byte for byte.

Usage: report_golden_check.py ARCHSIM FIXTURE.json FORMAT EXPECTED

On a difference it prints a unified diff (expected -> got, line ends shown
as \\r where they matter) and fails. To accept a deliberate change of the
output, regenerate the expected files and review the diff in git:

    ARCHSIM_UPDATE_GOLDEN=1 ctest --test-dir build/release -R report.golden

(or run this script with ARCHSIM_UPDATE_GOLDEN=1 set): it then writes
EXPECTED from the current output and passes.
"""
import difflib
import os
import subprocess
import sys


def main():
    if len(sys.argv) != 5:
        print(__doc__)
        sys.exit(2)
    archsim, fixture, fmt, expected_path = sys.argv[1:]
    run = subprocess.run([archsim, "report", fixture, "--format", fmt], capture_output=True, timeout=60)
    if run.returncode != 0:
        print(f"FAIL: archsim report exited {run.returncode}: {run.stderr.decode(errors='replace')}")
        sys.exit(1)
    got = run.stdout
    if os.environ.get("ARCHSIM_UPDATE_GOLDEN") == "1":
        with open(expected_path, "wb") as f:
            f.write(got)
        print(f"updated {expected_path} ({len(got)} bytes): review it with git diff")
        return
    if not os.path.exists(expected_path):
        print(f"FAIL: {expected_path} is missing; create it with ARCHSIM_UPDATE_GOLDEN=1")
        sys.exit(1)
    expected = open(expected_path, "rb").read()
    if got == expected:
        print(f"ok: archsim report --format {fmt} equals {expected_path} ({len(got)} bytes)")
        return

    def lines(data):
        return [line.replace("\r", "\\r") for line in data.decode("utf-8", errors="replace").split("\n")]

    diff = difflib.unified_diff(lines(expected), lines(got), fromfile=expected_path,
                                tofile=f"archsim report --format {fmt}", lineterm="", n=2)
    print("FAIL: the report differs from the golden file:")
    print("\n".join(diff))
    print("\nIf the change is intended: ARCHSIM_UPDATE_GOLDEN=1 ctest --test-dir BUILD -R report.golden, "
          "then review and commit the new expected files.")
    sys.exit(1)


if __name__ == "__main__":
    main()
