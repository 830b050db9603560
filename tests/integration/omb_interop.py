#!/usr/bin/env python3
"""OpenMessaging Benchmark interop (issue 6), end to end through the CLI.

1. `archsim export omb` writes workload.yaml and driver-kafka.yaml whose OMB
   fields carry the scenario's and candidate's values (partitions, rate,
   producers, replication, acks, linger.ms, batch.size, fetch settings).
2. `archsim report RESULT --omb-result OMB.json` adds the OMB measurement as a
   measured candidate: in CSV its p99 is OMB's 17 ms in seconds, and it is
   judged on the simulated Result's p99 target.
3. A malformed OMB file is refused with exit 2 naming the JSON path, and no
   report file is written.
Usage: omb_interop.py ARCHSIM SCENARIO OMB_FIXTURE BAD_OMB_FIXTURE WORKDIR
"""
import csv
import io
import json
import os
import shutil
import subprocess
import sys

archsim, scenario, omb, bad_omb, work = sys.argv[1:6]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)


def run(*args, expect=0):
    p = subprocess.run([archsim, *args], capture_output=True, text=True, timeout=600)
    if p.returncode != expect:
        sys.exit(f"FAIL: archsim {' '.join(args)} exited {p.returncode}, expected {expect}\n{p.stdout}\n{p.stderr}")
    return p


def yaml_fields(path):
    """The top-level 'key: value' lines and 'key: |' blocks of a simple YAML file."""
    fields, block = {}, None
    for line in open(path):
        if line.startswith("#") or not line.strip():
            continue
        if line.startswith("  ") and block:
            k, _, v = line.strip().partition("=")
            fields[f"{block}.{k}"] = v
            continue
        key, _, value = line.partition(":")
        value = value.strip()
        block = key if value == "|" else None
        if value != "|":
            fields[key] = value.strip('"')
    return fields


sc = json.load(open(scenario))
cand = sc["candidates"][0]
run("export", "omb", scenario, "--candidate", cand["name"], "-o", work, "--bootstrap-servers", "kafka-1:9092")
w = yaml_fields(os.path.join(work, "workload.yaml"))
d = yaml_fields(os.path.join(work, "driver-kafka.yaml"))
expected = {
    "partitionsPerTopic": str(cand["broker"]["partitions"]),
    "producerRate": str(int(sc["workload"]["rate"]["mean_eps"])),
    "topics": "1",
    "subscriptionsPerTopic": "1",
}
for k, v in expected.items():
    if w.get(k) != v:
        sys.exit(f"FAIL: workload.yaml {k} = {w.get(k)!r}, expected {v!r}")
for k in ["name", "keyDistributor", "messageSize", "producersPerTopic", "consumerPerSubscription", "testDurationMinutes", "warmupDurationMinutes"]:
    if k not in w:
        sys.exit(f"FAIL: workload.yaml lacks {k}: {w}")
if d.get("replicationFactor") != str(cand["broker"]["replication_factor"]):
    sys.exit(f"FAIL: driver replicationFactor {d.get('replicationFactor')!r}")
if d.get("commonConfig.bootstrap.servers") != "kafka-1:9092":
    sys.exit(f"FAIL: driver bootstrap.servers {d.get('commonConfig.bootstrap.servers')!r}")
for k in ["producerConfig.acks", "producerConfig.linger.ms", "producerConfig.batch.size", "consumerConfig.fetch.max.wait.ms", "topicConfig.min.insync.replicas"]:
    if k not in d:
        sys.exit(f"FAIL: driver-kafka.yaml lacks {k}: {d}")

result = os.path.join(work, "result.json")
run("simulate", scenario, "--candidate", cand["name"], "--json", result, "-q")
p = run("report", result, "--omb-result", omb, "--format", "csv")
rows = list(csv.DictReader(io.StringIO(p.stdout)))
omb_rows = [r for r in rows if r["candidate"] == "Kafka (OMB)"]
if len(omb_rows) != 1:
    sys.exit(f"FAIL: expected one 'Kafka (OMB)' row, got {[r['candidate'] for r in rows]}")
row = omb_rows[0]
if row["source"] != "measured" or abs(float(row["p99_s"]) - 0.017) > 1e-9 or abs(float(row["p50_s"]) - 0.005) > 1e-9:
    sys.exit(f"FAIL: OMB row {row}")
html = os.path.join(work, "vs-omb.html")
run("report", result, "--omb-result", omb, "--omb-label", "prod cluster <OMB>", "-o", html)
page = open(html).read()
if "prod cluster &lt;OMB&gt;" not in page or "<OMB>" in page:
    sys.exit("FAIL: the OMB label is not in the HTML report, or not escaped")

bad_report = os.path.join(work, "bad.html")
p = run("report", result, "--omb-result", bad_omb, "-o", bad_report, expect=2)
if "/aggregatedEndToEndLatency99pct" not in p.stderr:
    sys.exit(f"FAIL: the error does not name the missing field: {p.stderr}")
if os.path.exists(bad_report):
    sys.exit("FAIL: a report was written despite the bad OMB file")
print(f"OK: exported OMB files ({len(w)} workload fields, {len(d)} driver fields); imported OMB p99 17 ms as a measured candidate; bad file refused: {p.stderr.strip()}")
