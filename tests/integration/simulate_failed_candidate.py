#!/usr/bin/env python3
"""A candidate that fails to simulate, end to end.

Usage: simulate_failed_candidate.py ARCHSIM SCENARIO OUT_DIR

SCENARIO is fixtures/memory-bound.json: two small Kappa candidates (about
12 MiB of resident memory each) and kappa-wide (100,000 partitions, about
150 MiB). `archsim simulate --max-memory 48MiB` must stop kappa-wide only,
exit 1, and still print and write the other two (byte-identical with -j 2):
the Result JSON (schema 4,
kappa-wide with an "error" and no figures, never recommended) and the HTML,
Markdown and CSV reports, each naming kappa-wide with its reason. OUT_DIR
keeps failed.json for report_awkward_check.py.
"""
import csv
import json
import os
import subprocess
import sys

BOUND = "48MiB"
REASON = "above the --max-memory bound of 48.0 MiB"


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def main():
    if len(sys.argv) != 4:
        fail(__doc__)
    archsim, scenario, out_dir = sys.argv[1:]
    os.makedirs(out_dir, exist_ok=True)
    paths = {ext: os.path.join(out_dir, "failed." + ext) for ext in ("json", "html", "md", "csv")}
    for p in paths.values():
        if os.path.exists(p):
            os.remove(p)
    run = subprocess.run([archsim, "simulate", scenario, "--max-memory", BOUND, "-j", "1", "-q",
                          "--json", paths["json"], "--report", paths["html"]],
                         capture_output=True, text=True, timeout=300)
    if run.returncode != 1:
        fail(f"exit {run.returncode}, expected 1 (a candidate could not be simulated):\n{run.stdout}\n{run.stderr}")
    table = [line for line in run.stdout.splitlines() if line.startswith("kappa-")]
    wide = [line for line in table if line.startswith("kappa-wide")]
    if len(table) != 3 or len(wide) != 1 or "NOT SIMULATED" not in wide[0]:
        fail("the table must list the three candidates, kappa-wide NOT SIMULATED:\n" + run.stdout)
    if "kappa-wide was not simulated: simulation failed:" not in run.stderr or REASON not in run.stderr:
        fail("stderr must name kappa-wide and the bound:\n" + run.stderr)
    print("ok: simulate --max-memory " + BOUND + " exits 1; " + wide[0].split()[-2] + " " + wide[0].split()[-1]
          + " for kappa-wide")

    result = json.load(open(paths["json"], encoding="utf-8"))
    if result["schema_version"] != 4:
        fail(f"schema_version {result['schema_version']}, expected 4")
    by_name = {c["name"]: c for c in result["candidates"]}
    if list(by_name) != ["kappa-baseline", "kappa-wide", "kappa-lean"]:
        fail(f"candidates {list(by_name)}")
    err = by_name["kappa-wide"].get("error")
    if not err or err["stage"] != "simulation" or REASON not in err["message"]:
        fail(f"kappa-wide's error: {err}")
    for name in ("kappa-baseline", "kappa-lean"):
        c = by_name[name]
        if "error" in c or c["end_to_end"]["count"] == 0 or c["cost_usd_month"] <= 0 or not c["verdicts"]:
            fail(f"{name} should have been simulated and judged")
    wide_c = by_name["kappa-wide"]
    if wide_c["end_to_end"]["count"] != 0 or wide_c["verdicts"] or wide_c["meets_all"] or wide_c["cost"]:
        fail("kappa-wide must carry no figures")
    if result["recommended"] != "kappa-baseline":
        fail(f"recommended {result['recommended']!r}, expected kappa-baseline (cheapest of the two meeting all... "
             f"lean fails delivery)")
    print(f"ok: the Result has kappa-wide's error ({err['message']}) and the others' figures; "
          f"recommended {result['recommended']}")

    # Same scenario and seed, other --jobs: the same bytes, the failure included (its words do not
    # depend on when the bound was looked at).
    again = os.path.join(out_dir, "failed-j2.json")
    run2 = subprocess.run([archsim, "simulate", scenario, "--max-memory", BOUND, "-j", "2", "-q", "--json", again],
                          capture_output=True, text=True, timeout=300)
    if run2.returncode != 1 or open(again, "rb").read() != open(paths["json"], "rb").read():
        fail(f"a second run with -j 2 (exit {run2.returncode}) wrote different bytes: {again} vs {paths['json']}")
    print("ok: -j 1 and -j 2 write byte-identical Results")

    # Every report names it with its reason.
    for fmt in ("md", "csv"):
        r = subprocess.run([archsim, "report", paths["json"], "--format", fmt, "-o", paths[fmt]],
                           capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            fail(f"archsim report --format {fmt} exited {r.returncode}: {r.stderr}")
    page = open(paths["html"], encoding="utf-8").read()
    for needle in ("Not simulated (1 of 3 candidates)", "<strong>kappa-wide</strong>: simulation failed:", REASON,
                   "Recommended: kappa-baseline"):
        if needle not in page:
            fail(f"the HTML lacks {needle!r}")
    md = open(paths["md"], encoding="utf-8").read()
    for needle in ("- **kappa-wide** could not be simulated (simulation failed:", "| kappa-wide | kappa | - | - | - | - | "
                   "**NOT SIMULATED** |", "We choose **kappa-baseline**"):
        if needle not in md:
            fail(f"the Markdown lacks {needle!r}")
    rows = list(csv.DictReader(open(paths["csv"], encoding="utf-8", newline="")))
    wide_row = [r for r in rows if r["candidate"] == "kappa-wide"]
    if len(rows) != 3 or len(wide_row) != 1 or wide_row[0]["status"] != "not simulated" \
            or REASON not in wide_row[0]["error"] or wide_row[0]["p99_s"] != "" or wide_row[0]["cost_usd_month"] != "":
        fail(f"CSV rows: {rows}")
    if any(r["status"] != "ok" for r in rows if r["candidate"] != "kappa-wide"):
        fail("the simulated candidates' CSV status must be ok")
    print("ok: HTML, Markdown and CSV name kappa-wide with its reason; the others keep their figures")


if __name__ == "__main__":
    main()
