#!/usr/bin/env python3
"""Key figures of each shipped scenario (and of an overload fixture), checked
against ranges that follow from the scenario itself, so a model change that
breaks them is caught. Usage: check_shipped.py ARCHSIM SOURCE_DIR OUT_DIR"""
import json
import os
import subprocess
import sys

archsim, source_dir, out_dir = sys.argv[1:4]
os.makedirs(out_dir, exist_ok=True)
failures = []


def simulate(rel_path):
    out = os.path.join(out_dir, os.path.basename(rel_path))
    if os.path.exists(out):
        os.remove(out)
    proc = subprocess.run([archsim, "simulate", os.path.join(source_dir, rel_path), "-q", "--json", out],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"FAIL: {rel_path}: exit {proc.returncode}\n{proc.stderr}")
    with open(out) as f:
        result = json.load(f)
    return {c["name"]: c for c in result["candidates"]}, result


def check(what, value, lo, hi):
    ok = lo <= value <= hi
    print(f"{'ok  ' if ok else 'FAIL'} {what}: {value:.6g} in [{lo:.6g}, {hi:.6g}]")
    if not ok:
        failures.append(what)


def truth(what, value):
    print(f"{'ok  ' if value else 'FAIL'} {what}")
    if not value:
        failures.append(what)


# kappa-reference: 100,000 ev/s, 3 x m5.xlarge brokers, replication 3.
c, r = simulate("scenarios/kappa-reference.json")
base, lean = c["kappa-baseline"], c["kappa-lean"]
# Delivered rate equals the offered Poisson rate (no overload): within 2%.
check("reference/baseline achieved_eps", base["achieved_eps"], 98000, 102000)
# Every event waits in the accumulator up to linger (5 ms); add replication,
# fetch, CPU and a 2 ms sink write: p99 above 7 ms, well below 40 ms.
check("reference/baseline p99_s", base["end_to_end"]["p99_s"]["value"], 0.007, 0.040)
# linger 20 ms: the mean accumulator wait alone is about 10 ms.
check("reference/lean p50_s", lean["end_to_end"]["p50_s"]["value"], 0.012, 0.060)
# Broker compute is catalog arithmetic: 3 x 0.192 USD/h x 730 h.
brokers = next(x for x in base["cost"] if x["component"] == "brokers")
check("reference/baseline broker cost", brokers["usd_month"], 420.47, 420.49)
truth("reference/baseline not overloaded", not base["overloaded"])
truth("reference/lean fails at-least-once (acks=1)",
      any(v["requirement"] == "delivery semantics" and not v["pass"] for v in lean["verdicts"]))
truth("reference recommends kappa-baseline", r["recommended"] == "kappa-baseline")

# clickstream: 10 s tumbling windows wait on average half a window.
c, r = simulate("scenarios/clickstream-kappa.json")
win, flat = c["windowed-sessions"], c["stateless-enrich"]
check("clickstream/windowed p50_s", win["end_to_end"]["p50_s"]["value"], 4.5, 5.6)
check("clickstream/windowed p99_s", win["end_to_end"]["p99_s"]["value"], 9.5, 10.3)
# Without a window, latency is linger (5 ms) plus the pipeline: tens of ms at most.
check("clickstream/stateless p99_s", flat["end_to_end"]["p99_s"]["value"], 0.005, 0.100)
# The run starts at 13:59, near the 1.6 x peak of a 20,000 ev/s mean, with a
# 2x burst from 20 s to 30 s inside the window: between 1.5 and 2 x the mean.
check("clickstream offered_eps (peak + burst)", flat["offered_eps"], 30000, 40000)

# Overload is flagged, not reported as a huge steady-state latency.
c, r = simulate("tests/integration/fixtures/overloaded-processing.json")
o = c["too-few-tasks"]
truth("overload fixture flagged overloaded", o["overloaded"])
truth("overload reason names the processing tasks", "processing" in o["overload_reason"])
truth("overload fixture fails p99 with the overload reason",
      any(v["requirement"] == "p99 latency" and not v["pass"] and "overloaded" in v["text"] for v in o["verdicts"]))

print(f"{len(failures)} failed" if failures else "all shipped-scenario figures in range")
sys.exit(1 if failures else 0)
