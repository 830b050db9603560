#!/usr/bin/env python3
"""Prints, for every failed test in the given CTest logs (ctest
--output-on-failure output as tee'd by scripts/test.sh), the test's name and
the last lines of its output, so the reason for a failure is in the closing
lines of a CI log that is only shown in part.

Usage: failure_tails.py [--lines N] LOG...
"""
import re
import sys

RESULT = re.compile(r"^\s*\d+/\d+ Test\s+#\d+: (\S+) \.*\s*(\*\*\*\S.*|Passed.*|Not Run.*)$")
START = re.compile(r"^\s*Start\s+\d+: ")


def failures(path):
    try:
        lines = open(path, errors="replace").read().splitlines()
    except OSError:
        return
    i = 0
    while i < len(lines):
        m = RESULT.match(lines[i])
        if m and not m.group(2).startswith("Passed"):
            body = []
            j = i + 1
            while j < len(lines) and not RESULT.match(lines[j]) and not START.match(lines[j]):
                body.append(lines[j])
                j += 1
            yield m.group(1), m.group(2).strip(), body
            i = j
        else:
            i += 1


def main(argv):
    keep = 25
    if len(argv) > 2 and argv[1] == "--lines":
        keep = int(argv[2])
        argv = argv[2:]
    for path in argv[1:]:
        for name, status, body in failures(path):
            body = [line for line in body if line.strip()]
            print(f"--- {name} ({status}) in {path}: last {min(keep, len(body))} of {len(body)} output lines")
            for line in body[-keep:]:
                print("    " + line[:400])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
