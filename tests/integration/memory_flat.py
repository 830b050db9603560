#!/usr/bin/env python3
"""Memory does not grow with simulated duration: the reference scenario's
baseline candidate simulated for 8 s and for 32 s must peak at about the same
resident memory (latencies go into constant-size histograms, not vectors).
Peak RSS is a count of pages, not a speed: this test does not depend on how
fast the machine is. Usage: memory_flat.py ARCHSIM SOURCE_DIR OUT_DIR"""
import json
import os
import subprocess
import sys

archsim, source_dir, out_dir = sys.argv[1:4]
os.makedirs(out_dir, exist_ok=True)
with open(os.path.join(source_dir, "scenarios/kappa-reference.json")) as f:
    scenario = json.load(f)


def peak_rss_kib(duration):
    sc = dict(scenario)
    sc["simulation"] = dict(scenario["simulation"], duration=duration, p99_ci_rel_width=0)
    path = os.path.join(out_dir, f"reference-{duration}.json")
    with open(path, "w") as f:
        json.dump(sc, f)
    # a fresh interpreter per run, so RUSAGE_CHILDREN covers this run only
    probe = ("import resource,subprocess,sys;"
             "r=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL);"
             "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, archsim, "simulate", path, "--candidate", "kappa-baseline", "-q"],
                         capture_output=True, text=True, check=True).stdout.split()
    if out[0] != "0":
        sys.exit(f"FAIL: simulate {path} exited {out[0]}")
    return int(out[1])


short, long = peak_rss_kib("8s"), peak_rss_kib("32s")
print(f"peak RSS: 8 simulated s {short / 1024:.1f} MiB, 32 simulated s {long / 1024:.1f} MiB")
if long > short * 1.15 + 2048:
    sys.exit("FAIL: memory grows with the simulated duration")
print("ok: memory flat in the simulated duration")
