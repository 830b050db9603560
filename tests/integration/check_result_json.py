#!/usr/bin/env python3
"""Checks a Result JSON written by `archsim simulate --json` against its
scenario: schema_version 2, one entry per scenario candidate (same names, same
order), and the key figures present and numeric.
Usage: check_result_json.py RESULT.json SCENARIO.json"""
import json
import math
import sys


def main() -> int:
    result_path, scenario_path = sys.argv[1], sys.argv[2]
    with open(result_path, encoding="utf-8") as f:
        result = json.load(f)
    with open(scenario_path, encoding="utf-8") as f:
        scenario = json.load(f)
    problems = []
    if result.get("schema_version") != 2:
        problems.append(f"schema_version is {result.get('schema_version')!r}, expected 2")
    expected = [c["name"] for c in scenario["candidates"]]
    found = [c.get("name") for c in result.get("candidates", [])]
    if found != expected:
        problems.append(f"candidates {found}, expected {expected}")
    for i, c in enumerate(result.get("candidates", [])):
        p99 = c.get("end_to_end", {}).get("p99_s", {})
        for key in ("value", "lo", "hi"):
            if not isinstance(p99.get(key), (int, float)) or not math.isfinite(p99[key]):
                problems.append(f"/candidates/{i}/end_to_end/p99_s/{key} is {p99.get(key)!r}")
        if not isinstance(c.get("cost_usd_month"), (int, float)):
            problems.append(f"/candidates/{i}/cost_usd_month is {c.get('cost_usd_month')!r}")
        if not isinstance(c.get("meets_all"), bool):
            problems.append(f"/candidates/{i}/meets_all is {c.get('meets_all')!r}")
    if result.get("recommended") not in expected + [""]:
        problems.append(f"recommended {result.get('recommended')!r} is not a candidate")
    for p in problems:
        print("FAIL:", p, file=sys.stderr)
    if not problems:
        print(f"ok: {result_path}: schema_version 2, candidates {found}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
