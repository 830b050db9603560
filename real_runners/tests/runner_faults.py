#!/usr/bin/env python3
"""Runner faults on the embedded broker (issue 8), one scenario per MODE, each
through `archsim check ... --json OUT`; asserts exit codes, delivery counts
and the fault timeline of the measured Result, never latency values or speeds
(it prints the latency per second around the fault: the spike).

  all-down        every broker down from 2 s to past the end of the run, longer
                  than --message-timeout: exit 4 naming what happened; the
                  Result still written with sent = acked + failed + unknown,
                  some acknowledged, some not; within a bounded time.
  request-errors  every broker fails 1% of its Produce and Fetch requests with
                  retriable errors for the whole run, idempotent producer:
                  exit 0, nothing lost, nothing duplicated, every event
                  acknowledged; the timeline entry says how many requests
                  failed, which must be 1% of those served (to the block).
  restart         the processors' consumers dropped without a final commit at
                  4 s and re-created in the same group, then the sink's at 6 s:
                  exit 0, nothing lost, every duplicate explained by the
                  restarts (duplicated == redelivered > 0: at-least-once; the
                  processor does not run transactions, so exactly-once is not
                  claimed).
  restart-exactly-once
                  the same restarts (processors at 3 s, sink at 5 s) with an
                  exactly-once candidate (transactional processors): exit 0,
                  nothing lost, nothing duplicated although the restarts read
                  events again (redelivered > 0); every processor restart
                  honoured (restarts >= 1) and the transactions it abandoned
                  counted aborted (>= 1), their records dropped by the sink's
                  read_committed filter.

Usage: runner_faults.py MODE ARCHSIM SCENARIO CANDIDATE OUT_DIR
"""
import json
import os
import re
import subprocess
import sys
import time


def fail(msg, proc=None):
    print("FAIL:", msg)
    if proc is not None:
        print("--- stdout\n" + proc.stdout[-6000:] + "\n--- stderr\n" + proc.stderr[-4000:])
    sys.exit(1)


def run(cmd, timeout):
    print("$", " ".join(cmd))
    start = time.monotonic()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        fail(f"no exit within {timeout} s (a hang): {' '.join(cmd)}")
    return proc, time.monotonic() - start


def measured(out_json, candidate, proc):
    if not os.path.exists(out_json):
        fail(f"no Result written to {out_json}", proc)
    with open(out_json) as f:
        result = json.load(f)
    found = {c["name"]: c for c in result["candidates"]}
    name = candidate + " (measured)"
    if name not in found:
        fail(f"no candidate {name!r} in {out_json}; found {sorted(found)}")
    real = found[name]
    for key in ("faults", "timeline", "delivery_counts"):
        if key not in real:
            fail(f"the measured candidate has no {key!r}; keys: {sorted(real)}")
    if real["timeline"]["source"] != "measured" or not real["timeline"]["points"]:
        fail(f"the measured candidate's timeline must be its measured series: {real['timeline']}")
    if "latency_over_time" in real:
        fail("schema 4 carries the per-second series as the timeline only, not latency_over_time")
    return real


def print_figures(real):
    d = real["delivery_counts"]
    print("delivery:", ", ".join(f"{k} {d[k]}" for k in
                                 ("sent", "acked", "failed", "unknown", "received", "lost", "duplicated",
                                  "redelivered")))
    if d["explanation"]:
        print("explanation:", d["explanation"])
    for f in real["faults"]:
        print(f"fault: {f['fault']} ({f['target']}) t={f['start_s']:.2f}-{f['end_s']:.2f} s, "
              f"lifted {f['lifted']}: {f['detail']}")
    series = [p for p in real["timeline"]["points"] if p["count"] > 0]
    if series:
        print(f"latency per {real['timeline']['window_s']:g} s window (p50 / p99 / max ms): " + "; ".join(
            f"{s['t_s']:g}s {s['p50_s']*1e3:.1f}/{s['p99_s']*1e3:.1f}/{s['max_s']*1e3:.1f}" for s in series))
        worst = max(series, key=lambda s: s["p99_s"])
        p99s = sorted(s["p99_s"] for s in series)
        print(f"latency spike: worst window p99 {worst['p99_s']*1e3:.1f} ms (at {worst['t_s']:g} s) vs median "
              f"window p99 {p99s[len(p99s)//2]*1e3:.1f} ms")


def check_sum(d):
    if d["sent"] != d["acked"] + d["failed"] + d["unknown"]:
        fail(f"expected sent = acked + failed + unknown, found {d['sent']} != {d['acked']} + {d['failed']} + "
             f"{d['unknown']}")


def run_measured(cmd, out_json, candidate):
    """Runs a check that must exit 0; its measured candidate, figures printed."""
    proc, wall = run(cmd, 150)
    print(f"exit {proc.returncode} after {wall:.1f} s wall")
    if proc.returncode != 0:
        fail(f"expected exit 0, found {proc.returncode}", proc)
    real = measured(out_json, candidate, proc)
    print_figures(real)
    return real


def all_down(archsim, scenario, candidate, out):
    out_json = os.path.join(out, "all-down.json")
    if os.path.exists(out_json):
        os.remove(out_json)
    cmd = [archsim, "check", scenario, "--candidate", candidate, "--rate", "1000", "--duration", "6s", "--warmup",
           "1s", "--broker-down", "2s:60s:all", "--message-timeout", "3s", "--json", out_json]
    proc, wall = run(cmd, 150)
    print(f"exit {proc.returncode} after {wall:.1f} s wall")
    if proc.returncode != 4:
        fail(f"expected exit 4 (environment failure), found {proc.returncode}", proc)
    if ("did not deliver every event" not in proc.stderr or "every broker was down from t=" not in proc.stderr
            or "acknowledged" not in proc.stderr):
        fail("expected stderr to say that every broker was down and the run did not deliver every event, with the "
             "acknowledged count", proc)
    print("stderr:", proc.stderr.strip().splitlines()[-1])
    if "measured delivery: sent" not in proc.stdout:
        fail("expected the measured delivery counts on stdout", proc)
    real = measured(out_json, candidate, proc)
    print_figures(real)
    d = real["delivery_counts"]
    check_sum(d)
    if d["acked"] == 0 or d["failed"] + d["unknown"] == 0:
        fail(f"expected some events acknowledged (before 2 s) and some not, found acked {d['acked']}, failed "
             f"{d['failed']}, unknown {d['unknown']}")
    if d["lost"] < d["failed"] + d["unknown"]:
        fail(f"expected every unacknowledged event counted lost, found lost {d['lost']} < failed {d['failed']} + "
             f"unknown {d['unknown']}")
    downs = [f for f in real["faults"] if f["fault"] == "all brokers down"]
    if len(downs) != 1 or downs[0]["lifted"] or downs[0]["start_s"] < 2.0 or downs[0]["end_s"] <= downs[0]["start_s"]:
        fail(f"expected one 'all brokers down' from t >= 2 s, not lifted during the run; found {real['faults']}")
    delivery = [v for v in real["verdicts"] if v["requirement"].startswith("delivery")]
    if not delivery or delivery[0]["pass"]:
        fail(f"expected a failing delivery verdict, found {delivery}")


def request_errors(archsim, scenario, candidate, out):
    out_json = os.path.join(out, "request-errors.json")
    cmd = [archsim, "check", scenario, "--candidate", candidate, "--rate", "2000", "--duration", "8s", "--warmup",
           "1s", "--request-errors", "1%", "--platform", "catalog", "--json", out_json]
    real = run_measured(cmd, out_json, candidate)
    d = real["delivery_counts"]
    check_sum(d)
    if d["sent"] < 10000:
        fail(f"expected at least 10,000 events sent (2,000 ev/s for 9 s), found {d['sent']}")
    if (d["acked"], d["received"], d["lost"], d["duplicated"], d["failed"]) != (d["sent"], d["sent"], 0, 0, 0):
        fail(f"expected every event acknowledged and received exactly once, found {d}")
    errs = [f for f in real["faults"] if f["fault"] == "request errors"]
    if len(errs) != 1:
        fail(f"expected one 'request errors' timeline entry, found {real['faults']}")
    m = re.search(r"(\d+) of (\d+) requests failed", errs[0]["detail"])
    if not m:
        fail(f"request errors detail does not say how many requests failed: {errs[0]['detail']}")
    failed, served = int(m.group(1)), int(m.group(2))
    # Each broker's Produce and Fetch queues hold 1 error per block of 100,
    # so over 3 brokers x 2 kinds the count is 1% of the served to within 6.
    if served < 1000 or abs(failed - served / 100) > 6:
        fail(f"expected 1% of at least 1,000 requests failed (to within 6), found {failed} of {served}")
    if errs[0]["start_s"] > 0.5 or errs[0]["end_s"] < 9:
        fail(f"expected request errors for the whole run (from t <= 0 s to past 9 s), found "
             f"{errs[0]['start_s']:.2f}-{errs[0]['end_s']:.2f} s")


def restart(archsim, scenario, candidate, out):
    out_json = os.path.join(out, "restart.json")
    cmd = [archsim, "check", scenario, "--candidate", candidate, "--rate", "2000", "--duration", "8s", "--warmup",
           "1s", "--restart-consumer", "4s", "--restart-consumer", "6s:sink", "--platform", "catalog", "--json",
           out_json]
    real = run_measured(cmd, out_json, candidate)
    d = real["delivery_counts"]
    check_sum(d)
    if d["sent"] < 10000 or d["lost"] != 0 or d["failed"] != 0 or d["received"] != d["sent"]:
        fail(f"expected at least 10,000 events, none lost, every one received; found {d}")
    if d["duplicated"] != d["redelivered"] or d["redelivered"] == 0:
        fail(f"expected every duplicate explained by the restarts (duplicated == redelivered > 0), found "
             f"duplicated {d['duplicated']}, redelivered {d['redelivered']}")
    if "at-least-once" not in d["explanation"]:
        fail(f"expected the duplicates explained as at-least-once, found {d['explanation']!r}")
    restarts = [f for f in real["faults"] if f["fault"] == "consumer restart"]
    targets = [f["target"] for f in restarts]
    if targets != ["processor consumers", "sink consumer"] or restarts[0]["start_s"] < 4 or restarts[1]["start_s"] < 6:
        fail(f"expected a processor restart at t >= 4 s then a sink restart at t >= 6 s, found {restarts}")


def note_number(real, pattern, what):
    """The first integer group of `pattern` in the measured candidate's notes."""
    for note in real["notes"]:
        m = re.search(pattern, note)
        if m:
            return int(m.group(1))
    fail(f"no note with {what} ({pattern!r}); notes:\n" + "\n".join(real["notes"]))


def restart_exactly_once(archsim, scenario, candidate, out):
    out_json = os.path.join(out, "restart-exactly-once.json")
    if os.path.exists(out_json):
        os.remove(out_json)
    cmd = [archsim, "check", scenario, "--candidate", candidate, "--rate", "400", "--duration", "6s", "--warmup",
           "1s", "--restart-consumer", "3s", "--restart-consumer", "5s:sink", "--platform", "catalog", "--json",
           out_json]
    real = run_measured(cmd, out_json, candidate)
    if real["delivery"] != "exactly-once":
        fail(f"expected the measured run to be exactly-once, found {real['delivery']!r}")
    d = real["delivery_counts"]
    check_sum(d)
    if d["sent"] < 2000 or d["failed"] != 0 or d["acked"] != d["sent"]:
        fail(f"expected at least 2,000 events, every one acknowledged; found {d}")
    if d["lost"] != 0 or d["duplicated"] != 0 or d["received"] != d["sent"]:
        fail(f"expected every event received exactly once across the restarts (lost 0, duplicated 0), found {d}")
    if d["redelivered"] == 0:
        fail("expected the restarts to make the consumers read events again (redelivered > 0), found 0: were the "
             "consumers restarted?")
    restarts = [f for f in real["faults"] if f["fault"] == "consumer restart"]
    targets = [f["target"] for f in restarts]
    if targets != ["processor consumers", "sink consumer"] or restarts[0]["start_s"] < 3 or restarts[1]["start_s"] < 5:
        fail(f"expected a processor restart at t >= 3 s then a sink restart at t >= 5 s, found {restarts}")
    honoured = note_number(real, r"exactly-once processor restarts: (\d+)", "the processor restarts honoured")
    committed = note_number(real, r"exactly-once: (\d+) transactions committed", "the committed transactions")
    aborted = note_number(real, r"transactions committed \((\d+) aborted\)", "the aborted transactions")
    dropped = note_number(real, r"(\d+) records of aborted transactions dropped", "the records the sink dropped")
    print(f"exactly-once: {honoured} processor restarts honoured, {committed} transactions committed, {aborted} "
          f"aborted, {dropped} records of aborted transactions dropped at the sink")
    if honoured < 1:
        fail("expected the transactional processors to honour the restart (>= 1), found 0")
    if aborted < 1 or committed < 10:
        fail(f"expected the abandoned transactions counted aborted (>= 1) and >= 10 committed, found {aborted} "
             f"aborted, {committed} committed")
    if dropped < 1:
        fail("expected the sink to drop the records the abandoned transactions had written (>= 1), found 0")
    if "exactly-once" not in d["explanation"] or "not explained" in d["explanation"]:
        fail(f"expected the re-reads explained under exactly-once, found {d['explanation']!r}")
    delivery = [v for v in real["verdicts"] if v["requirement"].startswith("delivery")]
    if not delivery or not delivery[0]["pass"]:
        fail(f"expected a passing delivery verdict, found {delivery}")


def main():
    mode, archsim, scenario, candidate, out = sys.argv[1:6]
    os.makedirs(out, exist_ok=True)
    {"all-down": all_down, "request-errors": request_errors, "restart": restart,
     "restart-exactly-once": restart_exactly_once}[mode](archsim, scenario, candidate, out)
    print(f"ok: {mode}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
