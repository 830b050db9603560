#!/usr/bin/env python3
"""Credentials from --kafka-config never appear in archsim's output: a run on
the embedded broker (exit 0), an unreachable cluster (exit 4, within 30 s)
and a malformed line carrying a secret (exit 2, the line named) never print
or write the secret value, in stdout, stderr or the Result JSON.

Usage: secrets_hidden.py ARCHSIM SCENARIO OUTDIR
"""
import os
import subprocess
import sys
import time

SECRET = "SECRETXYZ"


def run(cmd, expected, timeout=120):
    start = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    elapsed = time.monotonic() - start
    if proc.returncode != expected:
        print(f"FAIL: exit {proc.returncode}, expected {expected}: {' '.join(cmd)}")
        print("--- stdout\n" + proc.stdout + "\n--- stderr\n" + proc.stderr)
        sys.exit(1)
    for stream, text in (("stdout", proc.stdout), ("stderr", proc.stderr)):
        if SECRET in text:
            print(f"FAIL: the secret appears in {stream} of {' '.join(cmd)}")
            sys.exit(1)
    return proc, elapsed


def main():
    archsim, scenario, outdir = sys.argv[1:4]
    os.makedirs(outdir, exist_ok=True)
    props = os.path.join(outdir, "secret.properties")
    with open(props, "w") as f:
        f.write("# credentials that must never be shown\nclient.id=archsim-secret-test\n"
                f"sasl.password={SECRET}\nssl.key.password={SECRET}\n")
    out_json = os.path.join(outdir, "secret-result.json")
    base = [archsim, "check", scenario, "--candidate", "kappa-lean", "--kafka-config", props]

    proc, _ = run(base + ["--rate", "2000", "--duration", "1s", "--warmup", "200ms", "--json", out_json], 0)
    with open(out_json) as f:
        if SECRET in f.read():
            print("FAIL: the secret appears in the Result JSON")
            return 1
    if "sasl.password=<redacted>" not in proc.stderr:
        print("FAIL: the properties are not listed with the secret redacted\n" + proc.stderr)
        return 1

    proc, elapsed = run(base + ["--bootstrap-servers", "127.0.0.1:1", "--duration", "1s"], 4, timeout=60)
    if elapsed > 30 or "127.0.0.1:1" not in proc.stderr:
        print(f"FAIL: unreachable broker took {elapsed:.1f} s or was not named\n" + proc.stderr)
        return 1

    bad = os.path.join(outdir, "bad-secret.properties")
    with open(bad, "w") as f:
        f.write(f"client.id=x\nsasl.password {SECRET}\n")
    proc, _ = run([archsim, "check", scenario, "--candidate", "kappa-lean", "--kafka-config", bad], 2)
    if f"{bad}:2:" not in proc.stderr:
        print("FAIL: the malformed line is not named\n" + proc.stderr)
        return 1
    print(f"OK: the secret never appeared (embedded run, unreachable broker in {elapsed:.1f} s, malformed line)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
