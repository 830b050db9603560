#!/usr/bin/env python3
"""Checks the real paths of `archsim check` beyond plain Kappa, on the
embedded broker, by counts and bounds only (never by speed: the machine may
be loaded):

  eos    ARCHSIM SCENARIO CANDIDATE OUTDIR   exactly-once Kappa: transactions
         committed, every event delivered exactly once, the transaction-commit
         wait measured and predicted, end-to-end (read_committed visibility)
         never earlier than the sink's receipt.
  lambda ARCHSIM SCENARIO CANDIDATE OUTDIR   Lambda: the last batch view equals
         the speed view and holds every acknowledged event; accuracy latency in
         (0, interval + longest batch run + longest produce ack].
  edge   ARCHSIM SCENARIO CANDIDATE OUTDIR   edge: runs without and with an
         injected WAN round trip; the RTT shows in core latency, not in
         local-decision latency; nothing lost or duplicated.
"""
import json
import os
import re
import subprocess
import sys


def fail(msg, proc=None):
    print("FAIL:", msg)
    if proc is not None:
        print("--- stdout\n" + proc.stdout + "\n--- stderr\n" + proc.stderr[-4000:])
    sys.exit(1)


def check(archsim, scenario, candidate, out_json, *args):
    cmd = [archsim, "check", scenario, "--candidate", candidate, "--json", out_json, "-q", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=240)
    if proc.returncode != 0:
        fail(f"exit {proc.returncode}, expected 0: {' '.join(cmd)}", proc)
    with open(out_json) as f:
        result = json.load(f)
    by_name = {c["name"]: c for c in result["candidates"]}
    sim, real = by_name.get(candidate), by_name.get(candidate + " (measured)")
    if sim is None or real is None:
        fail(f"expected {candidate!r} and its measured twin, found {sorted(by_name)}", proc)
    print(proc.stdout)
    return proc, sim, real


def stage(c, name):
    for s in c["stages"]:
        if s["stage"] == name:
            return s["latency"]
    return None


def delivery_counts(proc, real):
    notes = "\n".join(real["notes"])
    m = re.search(r"(\d+) events sent, (\d+) acknowledged.*? lost (\d+), duplicated (\d+)", notes)
    if m is None:
        fail(f"no delivery note:\n{notes}", proc)
    return tuple(map(int, m.groups()))


def eos(archsim, scenario, candidate, outdir):
    proc, sim, real = check(archsim, scenario, candidate, os.path.join(outdir, "eos.json"),
                            "--rate", "500", "--duration", "4s", "--warmup", "1s")
    if real["delivery"] != "exactly-once":
        fail(f"measured delivery {real['delivery']!r}, expected 'exactly-once'", proc)
    m = re.search(r"exactly-once: (\d+) transactions committed, (\d+) aborted", proc.stdout)
    if m is None or int(m.group(1)) < 5:
        fail("expected at least 5 committed transactions in 5 s with a 100 ms commit interval", proc)
    sent, acked, lost, dup = delivery_counts(proc, real)
    if sent < 2000 or acked != sent or lost != 0 or dup != 0:
        fail(f"expected >= 2000 events, all acknowledged, none lost or duplicated: sent {sent}, acked {acked}, "
             f"lost {lost}, duplicated {dup}", proc)
    commit = stage(real, "transaction commit")
    receipt = stage(real, "sink receipt")
    if commit is None or receipt is None or commit["count"] == 0:
        fail(f"measured stages lack a non-empty 'transaction commit' / 'sink receipt': "
             f"{[s['stage'] for s in real['stages']]}", proc)
    if not 0 < commit["p50_s"]["value"] <= commit["p99_s"]["value"] < 5:
        fail(f"transaction commit wait p50/p99 out of (0, 5 s): {commit['p50_s']}, {commit['p99_s']}", proc)
    for q in ("p50_s", "p99_s"):
        if real["end_to_end"][q]["value"] < receipt[q]["value"] * 0.98:
            fail(f"end-to-end {q} {real['end_to_end'][q]['value']} earlier than the sink's receipt "
                 f"{receipt[q]['value']}: read_committed visibility cannot precede the receipt", proc)
    if stage(sim, "transaction commit") is None:
        fail("the prediction lacks the 'transaction commit' stage", proc)
    for row in ("p50 transaction commit", "p99 transaction commit", "mean commit call"):
        if row not in proc.stdout:
            fail(f"comparison table lacks {row!r}", proc)
    notes = "\n".join(real["notes"])
    if "not hold uncommitted data back" not in notes:
        fail("the measured notes do not say what the embedded broker does not do for read_committed", proc)
    # The notes say the mock hands uncommitted events to read_committed
    # readers: if a librdkafka update makes it hold them back, this fails and
    # the notes (and exactly_once_result.cpp) must be revised.
    m = re.search(r"(\d+) events reached the sink before their commit", notes)
    if m is None or int(m.group(1)) == 0:
        fail("no event reached the sink before its commit: the embedded broker now seems to honour "
             "read_committed; revise the note on its limits", proc)


def lambda_(archsim, scenario, candidate, outdir):
    interval = 1.0
    proc, sim, real = check(archsim, scenario, candidate, os.path.join(outdir, "lambda.json"),
                            "--rate", "500", "--duration", "4s", "--warmup", "1s", "--batch-interval", "1s")
    if real["kind"] != "lambda":
        fail(f"measured kind {real['kind']!r}", proc)
    sent, acked, lost, dup = delivery_counts(proc, real)
    if sent < 2000 or lost != 0 or dup != 0:
        fail(f"speed layer: sent {sent}, lost {lost}, duplicated {dup}", proc)
    m = re.search(r"last batch view (\d+) events, speed view (\d+) events, (\d+) keys, (\d+) differ: aggregates match",
                  proc.stdout)
    if m is None:
        fail("the batch view does not match the speed view", proc)
    view, speed, keys, differ = map(int, m.groups())
    if view != acked or speed != acked or keys == 0 or differ != 0:
        fail(f"views: batch {view}, speed {speed}, acknowledged {acked}, keys {keys}, differing {differ}", proc)
    bl = real["batch_layer"]
    if bl["runs"] < 3:
        fail(f"expected >= 3 batch runs in 5 s at a 1 s interval, found {bl['runs']}", proc)
    acc = real["accuracy_latency"]
    if acc["count"] == 0:
        fail("no accuracy latency measured", proc)
    bound = interval + bl["max_start_delay_s"] + bl["max_run_s"] + real["produce_ack"]["max_s"]
    # The histogram's quantiles are within 1%; max is exact.
    if not 0 < acc["p50_s"]["value"] <= acc["max_s"] <= bound * 1.01:
        fail(f"accuracy latency out of (0, interval {interval} + longest run {bl['max_run_s']:.4f} + longest produce "
             f"ack {real['produce_ack']['max_s']:.4f} = {bound:.4f} s]: p50 {acc['p50_s']['value']}, max "
             f"{acc['max_s']}", proc)
    if sim["accuracy_latency"]["count"] == 0:
        fail("the prediction has no accuracy latency", proc)
    for row in ("p50 accuracy latency", "p99 accuracy latency", "mean batch run"):
        if row not in proc.stdout:
            fail(f"comparison table lacks {row!r}", proc)


def edge(archsim, scenario, candidate, outdir):
    rtt_ms = 100
    runs = {}
    for rtt in (0, rtt_ms):
        proc, sim, real = check(archsim, scenario, candidate, os.path.join(outdir, f"edge-{rtt}.json"),
                                "--rate", "1000", "--duration", "3s", "--warmup", "1s", "--inject-rtt", str(rtt))
        m = re.search(r"(\d+) sent, (\d+) decided at the edge, (\d+) forwarded, (\d+) at the core, lost (\d+), "
                      r"duplicated (\d+)", proc.stdout)
        if m is None:
            fail("no edge delivery line", proc)
        sent, decided, forwarded, at_core, lost, dup = map(int, m.groups())
        if sent < 3000 or decided != sent or at_core != forwarded or forwarded == 0 or lost or dup:
            fail(f"rtt {rtt}: sent {sent}, decided {decided}, forwarded {forwarded}, at core {at_core}, lost {lost}, "
                 f"duplicated {dup}", proc)
        if real["local_decision"]["count"] == 0 or sim["local_decision"]["count"] == 0:
            fail(f"rtt {rtt}: local decision missing (measured or predicted)", proc)
        for row in ("p50 local decision", "p99 local decision"):
            if row not in proc.stdout:
                fail(f"comparison table lacks {row!r}", proc)
        runs[rtt] = (real["local_decision"]["p50_s"]["value"], real["end_to_end"]["p50_s"]["value"], proc)
    (local0, core0, _), (local1, core1, proc) = runs[0], runs[rtt_ms]
    rtt = rtt_ms / 1000
    if core1 - core0 < 0.9 * rtt:
        fail(f"core p50 {core0:.4f} s -> {core1:.4f} s with a {rtt_ms} ms WAN RTT: the RTT does not show", proc)
    if abs(local1 - local0) > 0.5 * rtt:
        fail(f"local decision p50 {local0:.4f} s -> {local1:.4f} s: the WAN RTT leaks into the local decision", proc)
    print(f"core p50 {core0 * 1e3:.1f} -> {core1 * 1e3:.1f} ms, local decision p50 {local0 * 1e3:.1f} -> "
          f"{local1 * 1e3:.1f} ms with a {rtt_ms} ms WAN RTT")


def main():
    if len(sys.argv) != 6 or sys.argv[1] not in ("eos", "lambda", "edge"):
        print(__doc__)
        return 2
    mode, archsim, scenario, candidate, outdir = sys.argv[1:]
    os.makedirs(outdir, exist_ok=True)
    {"eos": eos, "lambda": lambda_, "edge": edge}[mode](archsim, scenario, candidate, outdir)
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
