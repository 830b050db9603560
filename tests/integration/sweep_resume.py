#!/usr/bin/env python3
"""Sweep journal tests, end to end through `archsim sweep`.

Usage: sweep_resume.py ARCHSIM SCENARIO OUT_DIR MODE
  MODE resume:      an uninterrupted run (-j 2) vs a run killed with SIGKILL at a
                    random moment and resumed with the same command: sweep.json
                    and sweep.csv byte-identical, each point once in the journal.
  MODE interrupt:   Ctrl-C (SIGINT to the sweep only) mid-sweep: exit 130 within
                    seconds, no simulation process left, the journal holds only
                    whole lines; the same command resumes to the full result.
  MODE determinism: -j 1 vs -j 2: byte-identical sweep.json and sweep.csv.
  MODE torn:        a finished journal cut back by three points plus half a line:
                    the rerun drops the torn line (and says so), redoes the three
                    points, and ends byte-identical to the first run; then a sweep
                    of another grid into the same directory is refused (exit 2).
"""
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time

VARY = ["--vary", "/candidates/0/processing/parallelism=2,4",
        "--vary", "/candidates/0/broker/partitions=3:9:3",
        "--vary", "/workload/rate/mean_eps=2e3..4e3 n2"]


def sweep(archsim, scenario, out, jobs, check=True):
    cmd = [archsim, "sweep", scenario, *VARY, "--out", out, "-j", str(jobs)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if check and proc.returncode != 0:
        sys.exit(f"FAIL: {' '.join(cmd)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


def read(path):
    with open(path, "rb") as f:
        return f.read()


def same_outputs(a, b, what):
    for name in ("sweep.json", "sweep.csv"):
        if read(os.path.join(a, name)) != read(os.path.join(b, name)):
            subprocess.run(["diff", os.path.join(a, name), os.path.join(b, name)])
            sys.exit(f"FAIL: {name} differs: {what}")


def journal_points(out):
    with open(os.path.join(out, "journal.jsonl")) as f:
        lines = [json.loads(line) for line in f]
    assert "archsim_sweep_journal" in lines[0], "no header line"
    return [line["point"] for line in lines[1:]]


def fresh(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def main():
    archsim, scenario, out_dir, mode = sys.argv[1:5]
    os.makedirs(out_dir, exist_ok=True)
    full = fresh(os.path.join(out_dir, f"{mode}-full"))
    start = time.monotonic()
    first = sweep(archsim, scenario, full, 1 if mode == "determinism" else 2)
    wall = time.monotonic() - start
    points = json.load(open(os.path.join(full, "sweep.json")))["points"]
    total = len(points)
    assert total == 12, f"expected 12 points, found {total}"
    assert sorted(journal_points(full)) == list(range(total)), "journal of the full run"
    print(f"full run: {total} points in {wall:.1f} s")

    other = fresh(os.path.join(out_dir, f"{mode}-other"))
    if mode == "determinism":
        sweep(archsim, scenario, other, 2)
        same_outputs(full, other, "-j 1 vs -j 2")
        print("ok: -j 1 and -j 2 give byte-identical sweep.json and sweep.csv")
    elif mode == "resume":
        rng = random.Random()
        # The killed run goes one point at a time (-j 1: the same results,
        # sweep.determinism shows) so that a fast machine still has points
        # left when the kill comes; a kill that came after the last point
        # is tried again, sooner.
        for attempt in range(5):
            other = fresh(os.path.join(out_dir, f"{mode}-other"))
            cmd = [archsim, "sweep", scenario, *VARY, "--out", other, "-j", "1", "-q"]
            started = time.monotonic()
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            # kill at a random moment after the first point is journaled, well before the end
            journal = os.path.join(other, "journal.jsonl")
            while time.monotonic() - started < 60 and proc.poll() is None:
                if os.path.exists(journal) and len(open(journal, "rb").read().splitlines()) >= 2:
                    break
                time.sleep(0.005)
            time.sleep(rng.uniform(0, wall / 3) / (attempt + 1))
            delay = time.monotonic() - started
            os.killpg(proc.pid, signal.SIGKILL)  # the sweep and its simulation processes, like a power loss
            proc.wait()
            done_before = len(journal_points(other)) if os.path.exists(os.path.join(other, "journal.jsonl")) else 0
            print(f"killed after {delay:.2f} s with {done_before} of {total} points in the journal")
            if 0 < done_before < total:
                break
        assert 0 < done_before < total, "the kill did not land mid-sweep in 5 tries"
        resumed = sweep(archsim, scenario, other, 2)
        ids = journal_points(other)
        assert sorted(ids) == list(range(total)), f"each point once in the journal, found {sorted(ids)}"
        same_outputs(full, other, "resumed vs uninterrupted")
        print("ok: the resumed sweep equals the uninterrupted one, point for point")
    elif mode == "interrupt":
        # one point at a time, so that a fast machine still has points left at the signal
        cmd = [archsim, "sweep", scenario, *VARY, "--out", other, "-j", "1"]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        journal = os.path.join(other, "journal.jsonl")
        started = time.monotonic()
        while time.monotonic() - started < 60 and proc.poll() is None:
            if os.path.exists(journal) and len(open(journal, "rb").read().splitlines()) >= 2:
                break
            time.sleep(0.005)
        children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
        proc.send_signal(signal.SIGINT)
        sent = time.monotonic()
        try:
            _, stderr = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            sys.exit("FAIL: the sweep did not stop within 15 s of SIGINT")
        took = time.monotonic() - sent
        if proc.returncode != 130:
            sys.exit(f"FAIL: exit {proc.returncode} after SIGINT, expected 130\n{stderr}")
        if "interrupted" not in stderr:
            sys.exit(f"FAIL: no word of the interrupt\n{stderr}")
        time.sleep(0.2)
        alive = [c for c in children if os.path.exists(f"/proc/{c}") and "archsim" in open(f"/proc/{c}/cmdline", "rb").read().decode(errors="replace")]
        if alive:
            sys.exit(f"FAIL: simulation processes {alive} still running after the sweep exited")
        done_before = len(journal_points(other))  # every line parses: no torn line
        print(f"SIGINT: exit 130 in {took:.2f} s with {done_before} of {total} points journaled, {len(children)} point processes gone")
        sweep(archsim, scenario, other, 2)
        ids = journal_points(other)
        assert sorted(ids) == list(range(total)), f"each point once in the journal, found {sorted(ids)}"
        same_outputs(full, other, "interrupted and resumed vs uninterrupted")
        print("ok: the interrupted sweep resumed to the uninterrupted result")
    elif mode == "torn":
        shutil.copytree(full, other, dirs_exist_ok=True)
        journal = os.path.join(other, "journal.jsonl")
        lines = open(journal, "rb").read().splitlines(keepends=True)
        torn = lines[-1][: len(lines[-1]) // 2]
        with open(journal, "wb") as f:
            f.writelines(lines[:-3])
            f.write(torn)
        os.remove(os.path.join(other, "sweep.json"))
        proc = sweep(archsim, scenario, other, 2)
        if "dropped a torn last line" not in proc.stderr:
            sys.exit(f"FAIL: no word of the torn line\n{proc.stderr}")
        ids = journal_points(other)
        assert sorted(ids) == list(range(total)), f"each point once in the journal, found {sorted(ids)}"
        same_outputs(full, other, "after a torn journal line")
        print("ok: torn last line dropped, missing points redone, outputs identical")
        # the journal of this grid refuses another grid (exit 2) and is left as it was
        before = read(journal)
        cmd = [archsim, "sweep", scenario, "--vary", "/candidates/0/processing/parallelism=2,8", "--out", other]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 2 or "belongs to a different sweep (grid_hash differs" not in proc.stderr:
            sys.exit(f"FAIL: another grid into the same --out: exit {proc.returncode}\n{proc.stderr}")
        assert read(journal) == before, "the refused sweep changed the journal"
        print("ok: a journal of another grid is refused with exit 2")
    else:
        sys.exit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
