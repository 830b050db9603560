#!/usr/bin/env python3
"""Distributed sweep on the embedded broker, end to end.

Usage: sweep_distributed.py ARCHSIM SCENARIO OUT_DIR

`archsim broker` runs the cluster; `archsim sweep --cluster` coordinates a
12-point grid; two `archsim worker` processes simulate it. Worker A is killed
with SIGKILL while it is simulating a point (after it has published at least
one result, or B four). Checks:
  - the coordinator, itself killed with SIGKILL right after A and restarted,
    resumes from its journal, publishes no job twice, and exits 0;
  - its journal holds every point exactly once;
  - the point A was killed on is redone by worker B;
  - sweep.json and sweep.csv are byte-identical to a local `-j 1` sweep;
  - rerunning the coordinator resumes from the journal without waiting for
    any worker (nothing left to publish).
Every wait is bounded; nothing depends on how fast the machine is.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

VARY = ["--vary", "/candidates/0/processing/parallelism=2,4",
        "--vary", "/candidates/0/broker/partitions=3:9:3",
        "--vary", "/workload/rate/mean_eps=2e3..4e3 n2"]
POINTS = 12
DEADLINE_S = 240  # the whole distributed run, generous for a loaded 2-core machine

procs = []


def fail(message):
    for p in procs:
        if p.poll() is None:
            p.kill()
    sys.exit(f"FAIL: {message}")


def die_with_test():
    """In the child: SIGKILL when this test dies (a ctest timeout leaves nothing behind)."""
    import ctypes
    ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def start(cmd, out, err):
    p = subprocess.Popen(cmd, stdout=out, stderr=err, preexec_fn=die_with_test)
    procs.append(p)
    return p


def read(path):
    with open(path, "rb") as f:
        return f.read()


def text(path):
    with open(path, errors="replace") as f:
        return f.read()


def results_from(bootstrap, coordinator_log, pid):
    """The points whose result the worker with process id `pid` put on the results topic (read with kcat)."""
    m = re.search(r"results topic (\S+)", coordinator_log)
    if not m:
        fail(f"the coordinator did not name its results topic:\n{coordinator_log}")
    proc = subprocess.run(["kcat", "-C", "-b", bootstrap, "-t", m.group(1), "-e", "-q", "-f", "%s\n"],
                          capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        fail(f"kcat could not read {m.group(1)}: {proc.stderr}")
    points = set()
    for line in proc.stdout.splitlines():
        try:
            result = json.loads(line)
        except ValueError:
            continue
        if str(result.get("worker", "")).endswith(f":{pid}"):
            points.add(int(result["record"]["point"]))
    return points


def wait_exit(proc, seconds, what):
    try:
        return proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        fail(f"{what} did not finish within {seconds} s")


def main():
    archsim, scenario, out = sys.argv[1:4]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    local, dist = os.path.join(out, "local"), os.path.join(out, "dist")

    # The reference: a local sweep with one process.
    ref = subprocess.run([archsim, "sweep", scenario, *VARY, "-j", "1", "-q", "--out", local],
                         capture_output=True, text=True)
    if ref.returncode != 0:
        fail(f"local sweep exited {ref.returncode}: {ref.stderr}")

    broker_out = open(os.path.join(out, "broker.txt"), "w+")
    broker = start([archsim, "broker", "--brokers", "1"], broker_out, subprocess.DEVNULL)
    bootstrap = None
    for _ in range(200):
        broker_out.seek(0)
        m = re.search(r"^bootstrap\.servers=(\S+)$", broker_out.read(), re.M)
        if m:
            bootstrap = m.group(1)
            break
        if broker.poll() is not None:
            fail(f"archsim broker exited {broker.returncode}")
        time.sleep(0.1)
    if not bootstrap:
        fail("archsim broker printed no bootstrap.servers line within 20 s")

    coord_err_path = os.path.join(out, "coordinator.log")
    coord = start([archsim, "sweep", scenario, *VARY, "--cluster", bootstrap, "--out", dist],
                  subprocess.DEVNULL, open(coord_err_path, "w"))
    logs = {name: os.path.join(out, f"worker-{name}.log") for name in "AB"}
    workers = {name: start([archsim, "worker", "--cluster", bootstrap], subprocess.DEVNULL, open(logs[name], "w"))
               for name in "AB"}

    # Kill A while it simulates a point.
    killed_point = None
    started = time.monotonic()
    while killed_point is None:
        if time.monotonic() - started > DEADLINE_S:
            fail("worker A was never seen simulating a point within the deadline")
        if coord.poll() is not None:
            fail(f"the coordinator exited ({coord.returncode}) before worker A could be killed mid-point; "
                 f"worker A log:\n{text(logs['A'])}")
        if workers["A"].poll() is not None:
            fail(f"worker A exited on its own ({workers['A'].returncode}):\n{text(logs['A'])}")
        lines = text(logs["A"]).splitlines()
        published = sum(1 for line in lines if "result published" in line)
        b_published = text(logs["B"]).count("result published")
        # Preferably after A published a result; if B got most partitions
        # first, A's first point will do before too little work is left.
        if (published >= 1 or b_published >= 4) and lines and "simulating point" in lines[-1]:
            killed_point = int(re.search(r"simulating point (\d+)", lines[-1]).group(1))
            workers["A"].send_signal(signal.SIGKILL)
            workers["A"].wait()
            break
        time.sleep(0.02)
    print(f"killed worker A (SIGKILL) while it simulated point {killed_point}")

    # The killed point cannot finish before A's session times out, so the
    # coordinator is still collecting: kill it too, and restart it. It must
    # resume from its journal and publish no job twice.
    if coord.poll() is not None:
        fail(f"the coordinator finished ({coord.returncode}) although point {killed_point} was not redone yet")
    coord.send_signal(signal.SIGKILL)
    coord.wait()
    coord = start([archsim, "sweep", scenario, *VARY, "--cluster", bootstrap, "--out", dist],
                  subprocess.DEVNULL, open(coord_err_path, "w"))
    print("killed the coordinator (SIGKILL) and restarted it")

    rc = wait_exit(coord, DEADLINE_S, "the restarted coordinator")
    if rc != 0:
        fail(f"the restarted coordinator exited {rc}:\n{text(coord_err_path)}")
    log = text(coord_err_path)
    m = re.search(r"(\d+) points: (\d+) resumed from the journal, (\d+) simulated now", log)
    republished = re.search(r"published (\d+) jobs? to \S+ \((\d+) already there", log)
    if not m or not republished or republished.group(1) != "0" or int(republished.group(2)) != int(m.group(3)):
        fail(f"the restarted coordinator should publish no job again (all already on the topic):\n{log}")
    print(f"restarted coordinator: {m.group(2)} points resumed from the journal, {m.group(3)} collected now, "
          f"0 jobs published again ({republished.group(2)} already on the topic)")

    # Every point exactly once in the journal.
    with open(os.path.join(dist, "journal.jsonl")) as f:
        lines = [json.loads(line) for line in f]
    if "archsim_sweep_journal" not in lines[0]:
        fail("the journal has no header line")
    ids = sorted(line["point"] for line in lines[1:])
    if ids != list(range(POINTS)):
        fail(f"journal points: expected each of 0..{POINTS - 1} once, found {ids}")
    print(f"journal: {len(ids)} points, each exactly once")

    # The killed point was redone by B, unless A's result for it was on the
    # results topic already: A logs the point done only after publishing
    # and committing, so a kill can land in between (with points of a few
    # milliseconds, it sometimes does); then A was not killed mid-point and
    # nothing needed redoing. Every point once in the journal holds either way.
    b_points = [int(p) for p in re.findall(r"point (\d+) simulated in", text(logs["B"]))]
    if killed_point not in b_points:
        a_results = results_from(bootstrap, log, workers["A"].pid)
        if killed_point not in a_results:
            fail(f"point {killed_point} (worker A was killed on it) was not redone by worker B, and A had not "
                 f"published it; B did {b_points}, A's results on the topic: {sorted(a_results)}")
        print(f"worker A had published point {killed_point} when the kill landed (after its simulation): "
              "nothing to redo")
    a_points = [int(p) for p in re.findall(r"point (\d+) simulated in", text(logs["A"]))]
    print(f"worker A published {sorted(a_points)} before SIGKILL, worker B published {sorted(b_points)}")

    # Point for point equal to the local -j 1 sweep.
    for name in ("sweep.json", "sweep.csv"):
        if read(os.path.join(local, name)) != read(os.path.join(dist, name)):
            subprocess.run(["diff", os.path.join(local, name), os.path.join(dist, name)])
            fail(f"{name} of the distributed sweep differs from the local -j 1 sweep")
    print("sweep.json and sweep.csv byte-identical to the local -j 1 sweep")

    # A rerun resumes from the journal: nothing to publish, no worker needed.
    again = subprocess.run([archsim, "sweep", scenario, *VARY, "--cluster", bootstrap, "--out", dist],
                           capture_output=True, text=True, timeout=120)
    if again.returncode != 0 or f"{POINTS} resumed from the journal" not in again.stderr:
        fail(f"the rerun should resume all {POINTS} points (exit 0), got exit {again.returncode}:\n{again.stderr}")
    print(f"rerun: {POINTS} points resumed from the journal")

    for p in (workers["B"], broker):
        p.send_signal(signal.SIGTERM)
    if wait_exit(workers["B"], 60, "worker B after SIGTERM") != 143:
        fail(f"worker B exited {workers['B'].returncode} after SIGTERM, expected 143:\n{text(logs['B'])}")
    wait_exit(broker, 60, "the broker after SIGTERM")
    print("PASS")


if __name__ == "__main__":
    main()
