#!/usr/bin/env python3
"""Checks a Result JSON written by `archsim simulate --json` against its
scenario: schema_version 4, one entry per scenario candidate (same names, same
order), the key figures present and numeric, and a latency timeline whose
windows are time-ordered, at most 200, with p50 <= p99 <= max.
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
    if result.get("schema_version") != 4:
        problems.append(f"schema_version is {result.get('schema_version')!r}, expected 4")
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
        timeline = c.get("timeline", {})
        points = timeline.get("points", [])
        if timeline.get("source") != "simulated":
            problems.append(f"/candidates/{i}/timeline/source is {timeline.get('source')!r}, expected 'simulated'")
        if not 1 <= len(points) <= 200:
            problems.append(f"/candidates/{i}/timeline/points has {len(points)} windows, expected 1 to 200")
        times = [p.get("t_s") for p in points]
        if times != sorted(times):
            problems.append(f"/candidates/{i}/timeline/points are not in time order")
        for k, p in enumerate(points):
            if p.get("count", 0) > 0 and not p["p50_s"] <= p["p99_s"] <= p["max_s"]:
                problems.append(f"/candidates/{i}/timeline/points/{k}: expected p50_s <= p99_s <= max_s, found {p}")
                break
    if result.get("recommended") not in expected + [""]:
        problems.append(f"recommended {result.get('recommended')!r} is not a candidate")
    for p in problems:
        print("FAIL:", p, file=sys.stderr)
    if not problems:
        print(f"ok: {result_path}: schema_version 4, candidates {found}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
