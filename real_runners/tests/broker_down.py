#!/usr/bin/env python3
"""A leader broker taken down for a few seconds mid-run on the embedded
cluster, idempotent producer: `archsim check --broker-down AT:DURATION`
must exit 0 with no event lost and none duplicated (apart from the copies the
embedded broker appends on a producer retry, which it does not deduplicate:
the runner counts them from the topics' offsets, and the test requires every
duplicate to be one of them), and its Result must show
the fault timeline (down at 4 s, up 3 s later: "faults" with start_s and
end_s, and a note) and the latency over time as its measured "timeline" (1 s
windows on the faults' clock), which the HTML report draws with the outage
shaded on the run's own panel. Prints the
latency spike (worst per-second p99 vs the median per-second p99); asserts
counts and fields only, never latency values.

Usage: broker_down.py ARCHSIM SCENARIO CANDIDATE OUT_JSON CALIBRATION_OUT
"""
import json
import re
import statistics
import subprocess
import sys


def fail(msg, proc=None):
    print("FAIL:", msg)
    if proc is not None:
        print("--- stdout\n" + proc.stdout[-4000:] + "\n--- stderr\n" + proc.stderr[-4000:])
    sys.exit(1)


def ms(text):
    m = re.match(r"([0-9.]+)\s*(us|µs|ms|s)", text.strip())
    if not m:
        return float("nan")
    v = float(m.group(1))
    return {"us": v / 1000, "µs": v / 1000, "ms": v, "s": v * 1000}[m.group(2)]


def main():
    archsim, scenario, candidate, out_json, calibration = sys.argv[1:6]
    cal = subprocess.run([archsim, "calibrate", "-q", "-o", calibration], capture_output=True, text=True, timeout=120)
    if cal.returncode != 0:
        fail("calibrate failed", cal)
    cmd = [archsim, "check", scenario, "--candidate", candidate, "--rate", "5000", "--duration", "9s", "--warmup",
           "1s", "--broker-down", "4s:3s", "--calibration", calibration, "--json", out_json]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    if proc.returncode != 0:
        fail(f"exit {proc.returncode}: {' '.join(cmd)}", proc)
    with open(out_json) as f:
        result = json.load(f)
    real = {c["name"]: c for c in result["candidates"]}[candidate + " (measured)"]
    notes = real["notes"]
    delivery = [n for n in notes if n.startswith("delivery:")]
    if not delivery:
        fail("no delivery note", proc)
    m = re.search(r"(\d+) events sent, (\d+) acknowledged, (\d+) produce errors.*?(\d+) received at the sink, "
                  r"lost (\d+), duplicated (\d+)", delivery[0])
    if not m:
        fail(f"delivery note not understood: {delivery[0]}")
    sent, acked, errors, received, lost, dup = map(int, m.groups())
    print(delivery[0])
    # The embedded broker does not deduplicate an idempotent producer's
    # retries: a produce request whose answer died with the broker's
    # connections is appended again. The runner counts those copies from the
    # topics' offsets (appended_twice); every other duplicate is a defect.
    twice = real["delivery_counts"].get("appended_twice", 0)
    print(f"appended twice by the embedded broker: {twice}")
    if sent < 40000 or lost != 0 or dup != twice or errors != 0 or received != sent:
        fail(f"expected every event exactly once (apart from the broker's {twice} retry copies): sent {sent}, "
             f"received {received}, lost {lost}, duplicated {dup}, errors {errors}")
    timeline = [n for n in notes if n.startswith("fault timeline:")]
    print("\n".join(timeline))
    faults = real.get("faults", [])
    if (len(timeline) != 1 or len(faults) != 1 or faults[0]["fault"] != "broker down" or not faults[0]["lifted"]
            or not faults[0]["start_s"] >= 4.0 or not faults[0]["end_s"] >= 7.0):
        fail(f"expected one broker down from t >= 4 s, up at t >= 7 s, in the fault timeline; found "
             f"notes {timeline}, faults {faults}")
    series = [n for n in notes if n.startswith("end-to-end latency over time")]
    if not series:
        fail("no latency-over-time note")
    p99s = [(int(s), ms(v)) for s, v in re.findall(r"(\d+)s p99 ([0-9.]+\s*(?:us|µs|ms|s))", series[0])]
    if len(p99s) < 8:
        fail(f"latency series too short: {series[0]}")
    worst = max(p99s, key=lambda x: x[1])
    typical = statistics.median(v for _, v in p99s)
    print(series[0])
    print(f"latency spike: worst per-second p99 {worst[1]:.1f} ms (second {worst[0]}) vs median per-second p99 "
          f"{typical:.1f} ms; run p99 {real['end_to_end']['p99_s']['value']*1e3:.1f} ms, max "
          f"{real['end_to_end']['max_s']*1e3:.1f} ms")
    tl = real.get("timeline", {})
    covered = [p["t_s"] for p in tl.get("points", []) if p["count"] > 0]
    if tl.get("source") != "measured" or tl.get("window_s") != 1 or not covered or max(covered) < faults[0]["end_s"]:
        fail(f"expected a measured timeline of 1 s windows past the outage's end; found source "
             f"{tl.get('source')!r}, window {tl.get('window_s')}, windows with events at {covered}")
    if "latency_over_time" in real:
        fail("schema 4 writes the per-second series as the timeline only")
    # The HTML report draws that timeline with the outage shaded on the same clock.
    html = out_json + ".html"
    rep = subprocess.run([archsim, "report", out_json, "--format", "html", "-o", html], capture_output=True, text=True,
                         timeout=60)
    if rep.returncode != 0:
        fail("archsim report failed", rep)
    page = open(html, encoding="utf-8").read()
    start = page.find(f"<title>End-to-end latency over time: {candidate} (measured) (measured run)</title>")
    panel = page[start:page.find("</svg>", start)] if start >= 0 else ""
    shaded = re.search(r'<rect x="[0-9.]+" y="[0-9.]+" width="([0-9.]+)"[^>]*><title>broker down \(broker \d+\) from '
                       r'([0-9.]+) s to ([0-9.]+) s', panel)
    if not shaded or float(shaded.group(1)) < 20:
        fail(f"the HTML's measured timeline panel must shade the broker-down interval (at least 20 px wide); "
             f"panel found: {bool(panel)}")
    print(f"ok: measured timeline of {len(tl['points'])} windows of 1 s; the HTML shades broker down from "
          f"{shaded.group(2)} s to {shaded.group(3)} s ({shaded.group(1)} px wide) on the run's panel")
    return 0


if __name__ == "__main__":
    sys.exit(main())
