#!/usr/bin/env python3
"""`archsim recommend` against brute force on a small design space.

Usage: recommend_check.py ARCHSIM SCENARIO OUT_DIR CANDIDATE MARGIN [--expect-coarse] VARY...
(--expect-coarse: also check that the search ran coarse to fine.)
Runs recommend (--json), then checks:
  1. it ran fewer simulations than the grid has designs, and says "N simulations vs grid M";
  2. the recommended design, simulated on its own (`archsim simulate` on a copy of the
     scenario with the design applied), meets every requirement with the margin;
  3. a brute-force `archsim sweep` over the same space finds no cheaper design that
     meets every requirement with the margin.
"""
import json
import os
import re
import shutil
import subprocess
import sys


def run(cmd, ok=(0,)):
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode not in ok:
        sys.exit(f"FAIL: {' '.join(cmd)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


def set_pointer(doc, pointer, value):
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]
    node = doc
    for t in tokens[:-1]:
        node = node[int(t)] if isinstance(node, list) else node[t]
    last = tokens[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


def meets_with_margin(verdicts, overloaded, margin):
    if overloaded:
        return False
    for v in verdicts:
        if not v["pass"]:
            return False
        if v["unit"] in ("s", "USD/month") and v["headroom"] < margin - 1e-12:
            return False
    return True


def main():
    archsim, scenario, out_dir, candidate, margin_text = sys.argv[1:6]
    varies = sys.argv[6:]
    expect_coarse = bool(varies) and varies[0] == "--expect-coarse"  # the space must be searched coarse to fine
    if expect_coarse:
        varies = varies[1:]
    margin = float(margin_text.rstrip("%")) / 100
    os.makedirs(out_dir, exist_ok=True)
    vary_args = [a for v in varies for a in ("--vary", v)]
    rec_json = os.path.join(out_dir, "recommend.json")
    proc = run([archsim, "recommend", scenario, "--candidate", candidate, "--margin", margin_text, *vary_args,
                "--json", rec_json, "-j", "2"])
    print(proc.stdout)
    m = re.search(r"recommend: (\d+) simulations vs grid (\d+)", proc.stdout)
    assert m, "no 'N simulations vs grid M' line"
    sims, grid = int(m.group(1)), int(m.group(2))
    assert sims < grid, f"{sims} simulations for a grid of {grid}: no cheaper than brute force"
    rec = json.load(open(rec_json))
    entry = rec["candidates"][0]
    assert entry["found"], "recommend found no design"
    if expect_coarse:
        assert entry.get("coarse_to_fine"), "the search was not coarse to fine"
        assert 0 < entry["coarse_visited"] <= sims, f"coarse pass judged {entry['coarse_visited']} designs"

    # 2. the design on its own
    doc = json.load(open(scenario))
    for path, value in entry["design"].items():
        set_pointer(doc, path, value)
    doc.pop("$schema", None)
    alone = os.path.join(out_dir, "recommended-design.json")
    json.dump(doc, open(alone, "w"), indent=1)
    result_path = os.path.join(out_dir, "recommended-result.json")
    run([archsim, "simulate", alone, "--candidate", candidate, "--json", result_path, "-q"])
    result = json.load(open(result_path))
    c = result["candidates"][0]
    assert c["meets_all"], f"the recommended design does not meet every requirement: {c['verdicts']}"
    assert meets_with_margin(c["verdicts"], c["overloaded"], margin), "the recommended design misses the margin"
    assert abs(c["cost_usd_month"] - entry["cost_usd_month"]) < 1e-6 * max(1, entry["cost_usd_month"])
    print(f"ok: {entry['key']} simulated alone meets every requirement with a {margin_text} margin")

    # 3. brute force over the same space
    sweep_dir = os.path.join(out_dir, "brute-force")
    shutil.rmtree(sweep_dir, ignore_errors=True)  # a journal of an older fixture would be refused
    run([archsim, "sweep", scenario, "--candidate", candidate, *vary_args, "--out", sweep_dir, "-j", "2", "-q",
         "--yes"])
    points = json.load(open(os.path.join(sweep_dir, "sweep.json")))["points"]
    assert len(points) == grid, f"brute force has {len(points)} points, recommend's grid {grid}"
    cheaper = []
    for p in points:
        if p["status"] != "ok":
            continue
        pc = p["candidates"][0]
        if meets_with_margin(pc["verdicts"], pc["overloaded"], margin) and pc["cost_usd_month"] < entry["cost_usd_month"] - 1e-9:
            cheaper.append((p["key"], pc["cost_usd_month"]))
    assert not cheaper, f"brute force found cheaper feasible designs: {cheaper}"
    print(f"ok: no cheaper feasible design in the brute-force grid of {grid}; recommend ran {sims} simulations")


if __name__ == "__main__":
    main()
