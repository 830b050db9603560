#!/usr/bin/env python3
"""Agreement grid: predicted (local twin) vs measured end-to-end p50 and p99
on the embedded broker over a grid of configurations (linger.ms, rate,
partitions, injected broker RTT).

Calibrates once (`archsim calibrate`), then runs `archsim check --json` for
each configuration on a copy of the scenario with the candidate's linger and
partitions replaced, and writes OUT_DIR/agreement.md and agreement.csv.

It asserts what does not depend on the machine's speed: every configuration
ran (exit 0), delivered every event exactly once, sent at least 80% of the
events its rate asks, and the table has one row per configuration. The
agreement figures themselves are printed and recorded, not asserted.

Usage: agreement_grid.py ARCHSIM SCENARIO CANDIDATE OUT_DIR [--duration 5s] [--calibration FILE]
"""
import argparse
import json
import os
import subprocess
import sys
import time

# (name, linger_ms, rate_eps, partitions, injected_rtt_ms)
GRID = [
    ("base", 5, 10000, 12, 0),
    ("low-rate", 5, 2000, 12, 0),
    ("high-rate", 5, 20000, 12, 0),
    ("linger-0", 0, 10000, 12, 0),
    ("linger-0-low-rate", 0, 2000, 12, 0),
    ("linger-20", 20, 10000, 12, 0),
    ("partitions-4", 5, 10000, 4, 0),
    ("partitions-1", 5, 5000, 1, 0),
    ("rtt-5ms", 5, 10000, 12, 5),
    ("rtt-20ms", 5, 10000, 12, 20),
    # linger.ms above the round trip: librdkafka's idempotent producer then
    # does not busy-poll while a partition waits for its previous request
    ("rtt-5ms-linger-10", 10, 10000, 12, 5),
    ("rtt-20ms-linger-30", 30, 10000, 12, 20),
]


# A row whose embedded broker thread waited this share of the window for a
# CPU measured contention the local twin does not simulate
# (kBrokerThreadContended in kappa_runner.hpp).
CONTENDED_PCT = 10
# A row whose embedded broker thread ran this share of the window was near
# saturation (kBrokerThreadSaturated): the mock's fetch walks each partition's
# message sets from the oldest (no offset index), so with small batches its
# cost grows through the run and the stand-in, not the design, sets the tail.
SATURATED_PCT = 70
# A row where one of the clients' librdkafka I/O threads was runnable this
# share of the window busy-polled throughout (kClientBusyPoll): librdkafka
# 2.0's idempotent producer polls without sleeping while a partition's next
# batch is ready and its previous request unacknowledged (linger.ms below the
# round trip), and on a small machine those threads take the CPUs the data
# path needs; the local twin does not simulate client CPU.
BUSY_POLL_PCT = 90


def fail(msg, proc=None):
    print("FAIL:", msg)
    if proc is not None:
        print("--- stdout\n" + proc.stdout[-4000:] + "\n--- stderr\n" + proc.stderr[-4000:])
    sys.exit(1)


def seconds(text):
    return float(text[:-2]) / 1000 if text.endswith("ms") else float(text.rstrip("s"))


def err(pred, meas):
    return (pred - meas) / meas * 100 if meas > 0 else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("archsim")
    ap.add_argument("scenario")
    ap.add_argument("candidate")
    ap.add_argument("out_dir")
    ap.add_argument("--duration", default="5s")
    ap.add_argument("--warmup", default="1s")
    ap.add_argument("--calibration", help="reuse this calibration file instead of calibrating")
    a = ap.parse_args()
    os.makedirs(a.out_dir, exist_ok=True)
    with open(a.scenario) as f:
        base = json.load(f)
    names = [c["name"] for c in base["candidates"]]
    if a.candidate not in names:
        fail(f"candidate {a.candidate!r} not in {names}")

    cal = a.calibration
    if cal is None:
        cal = os.path.join(a.out_dir, "calibration.json")
        proc = subprocess.run([a.archsim, "calibrate", "-o", cal, "-q"], capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            fail(f"archsim calibrate exit {proc.returncode}", proc)
    with open(cal) as f:
        calibration = json.load(f)

    rows = []
    for name, linger, rate, parts, rtt in GRID:
        sc = json.loads(json.dumps(base))
        sc["candidates"] = [c for c in sc["candidates"] if c["name"] == a.candidate]
        c = sc["candidates"][0]
        c["producer"]["linger"] = f"{linger}ms"
        c["broker"]["partitions"] = parts
        # relative catalog paths stay valid from the copy's directory
        path = os.path.join(a.out_dir, f"grid-{name}.json")
        with open(path, "w") as f:
            json.dump(sc, f, indent=1)
        out = os.path.join(a.out_dir, f"grid-{name}.result.json")
        cmd = [a.archsim, "check", path, "--candidate", a.candidate, "--rate", str(rate), "--duration", a.duration,
               "--warmup", a.warmup, "--calibration", cal, "--json", out, "-q"]
        if rtt:
            cmd += ["--inject-rtt", str(rtt)]
        t0 = time.time()
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            fail(f"{name}: exit {proc.returncode}: {' '.join(cmd)}", proc)
        with open(out) as f:
            result = json.load(f)
        by = {x["name"]: x for x in result["candidates"]}
        pred, meas = by[a.candidate], by[a.candidate + " (measured)"]
        delivery = [v for v in meas["verdicts"] if v["requirement"].startswith("delivery")]
        if not delivery or not delivery[0]["pass"]:
            fail(f"{name}: delivery verdict failed: {delivery}", proc)
        sent_note = [n for n in meas["notes"] if n.startswith("delivery:")]
        sent = int(sent_note[0].split()[1]) if sent_note else 0
        expected = rate * (seconds(a.duration) + seconds(a.warmup))
        if sent < 0.8 * expected:
            fail(f"{name}: sent {sent} events, expected about {expected:.0f}", proc)
        row = dict(config=name, linger_ms=linger, rate_eps=rate, partitions=parts, rtt_ms=rtt, sent=sent,
                   pred_p50_ms=pred["end_to_end"]["p50_s"]["value"] * 1e3,
                   meas_p50_ms=meas["end_to_end"]["p50_s"]["value"] * 1e3,
                   pred_p99_ms=pred["end_to_end"]["p99_s"]["value"] * 1e3,
                   meas_p99_ms=meas["end_to_end"]["p99_s"]["value"] * 1e3,
                   wall_s=time.time() - t0)
        util = {u["resource"]: u["mean"] for u in meas.get("utilisation", [])}
        row["broker_busy_pct"] = 100 * util.get("embedded broker I/O thread", float("nan"))
        row["broker_wait_pct"] = 100 * util.get("embedded broker I/O thread waiting for a CPU", float("nan"))
        row["client_io_runnable_pct"] = 100 * util.get("busiest librdkafka client I/O thread, runnable", float("nan"))
        row["contended"] = row["broker_wait_pct"] >= CONTENDED_PCT
        row["busy_poll"] = row["client_io_runnable_pct"] >= BUSY_POLL_PCT
        row["saturated"] = row["broker_busy_pct"] >= SATURATED_PCT
        row["err_p50_pct"] = err(row["pred_p50_ms"], row["meas_p50_ms"])
        row["err_p99_pct"] = err(row["pred_p99_ms"], row["meas_p99_ms"])
        rows.append(row)
        print(f"{name}: p50 {row['pred_p50_ms']:.2f} vs {row['meas_p50_ms']:.2f} ms ({row['err_p50_pct']:+.0f}%), "
              f"p99 {row['pred_p99_ms']:.2f} vs {row['meas_p99_ms']:.2f} ms ({row['err_p99_pct']:+.0f}%), broker thread "
              f"busy {row['broker_busy_pct']:.0f}% waiting {row['broker_wait_pct']:.0f}%, busiest client I/O thread runnable "
              f"{row['client_io_runnable_pct']:.0f}%", flush=True)

    if len(rows) != len(GRID):
        fail(f"table has {len(rows)} rows, expected {len(GRID)}")
    cols = ["config", "linger_ms", "rate_eps", "partitions", "rtt_ms", "sent", "pred_p50_ms", "meas_p50_ms",
            "err_p50_pct", "pred_p99_ms", "meas_p99_ms", "err_p99_pct", "broker_busy_pct", "broker_wait_pct",
            "client_io_runnable_pct"]
    with open(os.path.join(a.out_dir, "agreement.csv"), "w") as f:
        f.write(",".join(cols) + "\n")
        for r in rows:
            f.write(",".join(f"{r[c]:.3f}" if isinstance(r[c], float) else str(r[c]) for c in cols) + "\n")
    within = lambda key, rs=rows: sum(1 for r in rs if abs(r[key]) <= 20)
    calm = [r for r in rows if not r["contended"] and not r["saturated"] and not r["busy_poll"]]
    md = [f"# Agreement grid: {a.candidate} of {os.path.basename(a.scenario)}, embedded broker",
          "",
          f"Calibration: {calibration.get('host')} {calibration.get('created_utc')}, produce RTT "
          f"{calibration['produce_rtt_s']*1e6:.0f} us, {calibration['request_cost_s']*1e6:.1f} us/request, "
          f"empty fetch held: {calibration['empty_fetch_held']}. Runs: {a.duration} after {a.warmup} warm-up.",
          "",
          "| config | linger ms | rate ev/s | partitions | RTT ms | p50 pred | p50 meas | p50 err | p99 pred | "
          "p99 meas | p99 err | broker thread busy | waiting for a CPU | busiest client I/O thread runnable |",
          "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        md.append(f"| {r['config']} | {r['linger_ms']} | {r['rate_eps']} | {r['partitions']} | {r['rtt_ms']} | "
                  f"{r['pred_p50_ms']:.2f} ms | {r['meas_p50_ms']:.2f} ms | {r['err_p50_pct']:+.0f}% | "
                  f"{r['pred_p99_ms']:.2f} ms | {r['meas_p99_ms']:.2f} ms | {r['err_p99_pct']:+.0f}% | "
                  f"{r['broker_busy_pct']:.0f}%{' (saturated)' if r['saturated'] else ''} | "
                  f"{r['broker_wait_pct']:.0f}%{' (contended)' if r['contended'] else ''} | "
                  f"{r['client_io_runnable_pct']:.0f}%{' (busy-poll)' if r['busy_poll'] else ''} |")
    md += ["", f"Within 20%: p50 {within('err_p50_pct')}/{len(rows)}, p99 {within('err_p99_pct')}/{len(rows)}."]
    if len(calm) < len(rows):
        md += [f"Rows where the embedded broker stood for a broker of its own (its thread waiting < {CONTENDED_PCT}% "
               f"of the window for a CPU and busy < {SATURATED_PCT}%) and the clients' I/O threads slept between "
               f"requests (none runnable {BUSY_POLL_PCT}% of the window or more), what the local twin simulates: "
               f"p50 {within('err_p50_pct', calm)}/{len(calm)}, p99 {within('err_p99_pct', calm)}/{len(calm)}. "
               "A contended row measured this machine's CPU shortage as well as the design; a saturated row measured "
               "the embedded broker's own fetch cost, which grows through the run with small batches (its fetch walks "
               "each partition's message sets from the oldest: librdkafka 2.0 rdkafka_mock.c, msgset_find); a "
               "busy-poll row measured librdkafka 2.0's idempotent producer polling without sleeping while a "
               "partition's next batch waited for its previous request (linger.ms below the round trip: "
               "rdkafka_broker.c, rd_kafka_toppar_producer_serve), which took the CPUs the data path needed."]
    with open(os.path.join(a.out_dir, "agreement.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    print("\n".join(md))
    return 0


if __name__ == "__main__":
    sys.exit(main())
