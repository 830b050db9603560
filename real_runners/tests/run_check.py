#!/usr/bin/env python3
"""Runs `archsim check ... --json OUT` and checks the run and its Result JSON:
exit 0; the comparison table on stdout; OUT holds the simulated candidate
NAME and the measured one "NAME (measured)"; every event was delivered
exactly once (by sequence number) and at least --min-sent events were sent.
Counts and fields only, never latency values (they depend on the machine).

With --gate-tolerance PCT the check runs with --gate --tolerance PCT and may
exit 0 or 3: the test asserts that it exits 3 exactly when the Result's
measured verdicts fail or a relative error of throughput, p50 or p99
(computed here from the JSON) exceeds PCT, and that the agreement line and
note say the same.

Usage: run_check.py ARCHSIM OUT_JSON [--min-sent N] [--gate-tolerance PCT] -- CHECK_ARGS...
"""
import argparse
import json
import re
import subprocess
import sys


def fail(msg, proc=None):
    print("FAIL:", msg)
    if proc is not None:
        print("--- stdout\n" + proc.stdout + "\n--- stderr\n" + proc.stderr)
    sys.exit(1)


def main():
    argv = sys.argv[1:]
    if "--" not in argv:
        print(__doc__)
        return 2
    split = argv.index("--")
    parser = argparse.ArgumentParser()
    parser.add_argument("archsim")
    parser.add_argument("out_json")
    parser.add_argument("--min-sent", type=int, default=1)
    parser.add_argument("--external", action="store_true",
                        help="the run used --bootstrap-servers: expect an external-cluster note instead of the "
                             "embedded broker's limits")
    parser.add_argument("--gate-tolerance", type=float)
    opts = parser.parse_args(argv[:split])
    check_args = argv[split + 1:]
    if opts.gate_tolerance is not None:
        check_args += ["--gate", "--tolerance", f"{opts.gate_tolerance:g}%"]
    cmd = [opts.archsim, "check", *check_args, "--json", opts.out_json]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=150)
    allowed = (0, 3) if opts.gate_tolerance is not None else (0,)
    if proc.returncode not in allowed:
        fail(f"exit {proc.returncode}, expected {' or '.join(map(str, allowed))}: {' '.join(cmd)}", proc)
    if "agreement (--tolerance" not in proc.stdout:
        fail("stdout lacks the agreement line", proc)
    for word in ("PREDICTED", "MEASURED", "REL. ERROR", "throughput", "p50 end-to-end", "p99 end-to-end",
                 "p99.9 end-to-end", "predicted on:"):
        if word not in proc.stdout:
            fail(f"stdout lacks {word!r}", proc)

    name = check_args[check_args.index("--candidate") + 1]
    with open(opts.out_json) as f:
        result = json.load(f)
    by_name = {c["name"]: c for c in result["candidates"]}
    sim = by_name.get(name)
    real = by_name.get(name + " (measured)")
    if sim is None or real is None:
        fail(f"expected candidates {name!r} and {name + ' (measured)'!r}, found {sorted(by_name)}")
    if sim["source"] != "simulated" or real["source"] != "measured":
        fail(f"sources: {sim['source']!r}, {real['source']!r}")
    for c in (sim, real):
        e2e = c["end_to_end"]
        for key in ("p50_s", "p95_s", "p99_s", "p999_s"):
            if not (e2e[key]["value"] or 0) > 0:
                fail(f"{c['name']}: end_to_end.{key} missing or zero: {e2e[key]}")
        if not c["achieved_eps"] > 0 or not c["offered_eps"] > 0:
            fail(f"{c['name']}: achieved/offered eps missing")
    stages = [s["stage"] for s in real["stages"]]
    for stage in ("publish delay", "produce ack"):
        if stage not in stages:
            fail(f"measured stages lack {stage!r}: {stages}")
    notes = "\n".join(real["notes"])
    expected_notes = ("external cluster at", "fetch.wait.max.ms", "rate ") if opts.external else (
        "embedded mock cluster", "one I/O thread", "5 MiB", "fetch.wait.max.ms", "rate ")
    for word in expected_notes:
        if word not in notes:
            fail(f"measured notes lack {word!r}:\n{notes}")
    m = re.search(r"delivery: (\d+) events sent, (\d+) acknowledged, (\d+) produce errors.*?, (\d+) received at the "
                  r"sink, lost (\d+), duplicated (\d+)", notes)
    if m is None:
        fail(f"no delivery note:\n{notes}")
    sent, acked, errors, received, lost, duplicated = map(int, m.groups())
    if sent < opts.min_sent:
        fail(f"{sent} events sent, expected at least {opts.min_sent}")
    if (lost, duplicated, errors) != (0, 0, 0) or received != sent or acked != sent:
        fail(f"delivery: sent {sent}, acked {acked}, errors {errors}, received {received}, lost {lost}, "
             f"duplicated {duplicated}")
    delivery = [v for v in real["verdicts"] if v["requirement"].startswith("delivery")]
    if len(delivery) != 1 or not delivery[0]["pass"] or delivery[0]["value"] != 0:
        fail(f"delivery verdict: {delivery}")
    if opts.gate_tolerance is not None:
        def rel(p, m):
            return (p - m) / m * 100 if m > 0 else float("inf")
        errors = {"throughput": rel(sim["achieved_eps"], real["achieved_eps"]),
                  "p50": rel(sim["end_to_end"]["p50_s"]["value"], real["end_to_end"]["p50_s"]["value"]),
                  "p99": rel(sim["end_to_end"]["p99_s"]["value"], real["end_to_end"]["p99_s"]["value"])}
        # the boundary itself is ambiguous in print precision: leave a hair either side untested
        if any(abs(abs(e) - opts.gate_tolerance) < 0.01 for e in errors.values()):
            print(f"SKIP-CONSISTENCY: an error sits on the tolerance: {errors}")
        else:
            agrees = all(abs(e) <= opts.gate_tolerance for e in errors.values())
            want = 0 if agrees and real["meets_all"] else 3
            if proc.returncode != want:
                fail(f"--gate exit {proc.returncode}, expected {want}: errors {errors}, measured meets_all "
                     f"{real['meets_all']}", proc)
            said = [n for n in real["notes"] if n.startswith("agreement with the prediction:")]
            if len(said) != 1 or ("(within" in said[0]) != agrees:
                fail(f"agreement note {said} contradicts the errors {errors}")
            if ("): yes" in proc.stdout) == ("): NO" in proc.stdout) or ("): yes" in proc.stdout) != agrees:
                fail(f"agreement line contradicts the errors {errors}", proc)
            print(f"OK: --gate --tolerance {opts.gate_tolerance:g}% exited {proc.returncode}: errors "
                  + ", ".join(f"{k} {v:+.1f}%" for k, v in errors.items()))
    print(f"OK: {sent} events sent and received exactly once; measured {real['achieved_eps']:.0f} ev/s, "
          f"p50 {real['end_to_end']['p50_s']['value'] * 1e3:.2f} ms, p99 {real['end_to_end']['p99_s']['value'] * 1e3:.2f} ms; "
          f"predicted p50 {sim['end_to_end']['p50_s']['value'] * 1e3:.2f} ms, p99 {sim['end_to_end']['p99_s']['value'] * 1e3:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
