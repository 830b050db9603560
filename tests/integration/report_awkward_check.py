#!/usr/bin/env python3
"""Reports from awkward inputs, opened in Debian's headless Chromium.

Usage: report_awkward_check.py ARCHSIM RESULT.json OUT_DIR FAILED.json

FAILED.json is a Result in which one candidate failed to simulate (written
by simulate_failed_candidate.py: kappa-wide stopped by --max-memory): its
report must name it, with its reason, in the summary and the matrix.
From one simulated Result (with at least two candidates) it derives, writes
with `archsim report --format html` and opens in Chromium:
  - silent:  a candidate that delivered nothing (no latency samples, no
             stages, no verdicts, overloaded with that as its reason);
  - single:  one candidate;
  - twenty:  20 candidates;
  - hostile: scenario, file and candidate names full of HTML special
             characters and markup (must show as text, never as elements);
  - check:   a simulated candidate and its measurement (as `archsim check
             --json` writes them, with a broker-down fault on its timeline):
             the predicted-vs-measured chart and the measured timeline;
  - sweep:   a sweep.json of 10,000 points (100 x 100), generated here.
Each page: the DOM holds its sections, every <svg> has a <title>, no
console error, no request made by the page (net log). For the sweep it
prints the HTML size and the time Chromium took to load it and dump its
DOM, and fails above generous bounds (8 MB, 60 s) only.
"""
import copy
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report_browser_check import check_screenshot, fail, open_in_chromium  # noqa: E402

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>&amp; \"quoted\" 'single' </td></tr>"
MAX_SWEEP_BYTES = 8 * 1024 * 1024
MAX_OPEN_SECONDS = 60


def report(archsim, source, out_html):
    if os.path.exists(out_html):
        os.remove(out_html)
    run = subprocess.run([archsim, "report", source, "--format", "html", "-o", out_html],
                         capture_output=True, text=True, timeout=120)
    if run.returncode != 0 or not os.path.exists(out_html):
        fail(f"archsim report {source} exited {run.returncode}: {run.stderr}")


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=1)


def opened(name, html, needles):
    """Opens `html`; fails on a console error, a request or a missing needle; returns the DOM."""
    dom, console_errors, requests, seconds = open_in_chromium(html, timeout=120)
    if console_errors:
        fail(f"{name}: console errors:\n" + "\n".join(console_errors))
    if requests:
        fail(f"{name}: the page made {len(requests)} request(s): {requests}")
    svgs = re.findall(r"<svg\b[^>]*>\s*<title>([^<]+)</title>", dom)
    if dom.count("<svg") != len(svgs):
        fail(f"{name}: every <svg> needs a <title>: {dom.count('<svg')} svg, {len(svgs)} titled")
    for needle in needles:
        if needle not in dom:
            fail(f"{name}: the DOM lacks {needle!r}")
    print(f"ok: {name}: {os.path.getsize(html)} bytes, {len(svgs)} titled charts, no console error, "
          f"0 requests, opened in {seconds:.1f} s")
    return dom, seconds


def failed_candidate(base):
    r = copy.deepcopy(base)
    c = r["candidates"][-1]
    c["name"] = "silent-candidate"
    empty = {k: v for k, v in c["end_to_end"].items()}
    for key, value in empty.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            empty[key] = 0
        elif isinstance(value, dict):
            empty[key] = {k: 0 for k in value}
        elif isinstance(value, list):
            empty[key] = []
    c["end_to_end"] = empty
    c["stages"] = []
    c["verdicts"] = []
    c["meets_all"] = False
    c["achieved_eps"] = 0
    c["overloaded"] = True
    c["overload_reason"] = "the sink received no event in the measured window"
    if r.get("recommended") == "silent-candidate":
        r["recommended"] = ""
    return r


def main():
    if len(sys.argv) != 5:
        fail(__doc__)
    archsim, result_path, out_dir, failed_path = sys.argv[1:]
    os.makedirs(out_dir, exist_ok=True)
    out_dir = os.path.abspath(out_dir)
    base = json.load(open(result_path, encoding="utf-8"))
    if len(base["candidates"]) < 2:
        fail(f"{result_path}: expected a Result with at least two candidates")

    # A candidate that failed to simulate (a real run: stopped by --max-memory), next to two that did.
    failed = json.load(open(failed_path, encoding="utf-8"))
    stopped = [c for c in failed["candidates"] if "error" in c]
    if len(stopped) != 1:
        fail(f"{failed_path}: expected one candidate with an error, found {len(stopped)}")
    html = os.path.join(out_dir, "failed.html")
    report(archsim, failed_path, html)
    dom, _ = opened("failed", html,
                    [f"<strong>{stopped[0]['name']}</strong>: simulation failed:", stopped[0]["error"]["message"],
                     "Not simulated (1 of 3 candidates)", "✘ NOT SIMULATED", 'id="latency-cdf"', 'id="availability"'])
    if f"Recommended: {stopped[0]['name']}" in dom:
        fail("failed: the summary recommends the candidate that was not simulated")
    check_screenshot(html, os.path.join(out_dir, "failed.png"), 1280, 2000)

    # A candidate that delivered nothing, next to one that did.
    path = os.path.join(out_dir, "silent.json")
    write_json(path, failed_candidate(base))
    report(archsim, path, os.path.join(out_dir, "silent.html"))
    dom, _ = opened("silent", os.path.join(out_dir, "silent.html"),
                    ["silent-candidate", "the sink received no event in the measured window", "OVERLOADED",
                     "no targets", 'id="latency-cdf"', 'id="availability"'])

    # One candidate: no runner-up.
    single = copy.deepcopy(base)
    single["candidates"] = single["candidates"][:1]
    single["recommended"] = single["candidates"][0]["name"] if single["candidates"][0]["meets_all"] else ""
    path = os.path.join(out_dir, "single.json")
    write_json(path, single)
    report(archsim, path, os.path.join(out_dir, "single.html"))
    dom, _ = opened("single", os.path.join(out_dir, "single.html"), ['id="summary"', 'id="matrix"', "1 candidate "])
    if "Runner-up" in dom:
        fail("single: a lone candidate has no runner-up")

    # Twenty candidates: every one a row of the matrix and a line of the CDF table.
    twenty = copy.deepcopy(base)
    twenty["candidates"] = []
    for i in range(20):
        c = copy.deepcopy(base["candidates"][i % len(base["candidates"])])
        c["name"] = f"candidate-{i + 1:02d}"
        c["cost_usd_month"] = c["cost_usd_month"] * (1 + i / 10)
        twenty["candidates"].append(c)
    twenty["recommended"] = ""
    path = os.path.join(out_dir, "twenty.json")
    write_json(path, twenty)
    html = os.path.join(out_dir, "twenty.html")
    report(archsim, path, html)
    dom, _ = opened("twenty", html, [f"candidate-{i:02d}" for i in range(1, 21)] + ["20 candidates"])
    matrix = re.search(r'id="matrix">(.*?)</section>', dom, re.S).group(1)
    rows = len(re.findall(r'<tr><th scope="row"', matrix))
    if rows != 20:
        fail(f"twenty: the matrix has {rows} candidate rows, expected 20")
    check_screenshot(html, os.path.join(out_dir, "twenty.png"), 1280, 2000)

    # Hostile names: escaped text, never markup.
    hostile = copy.deepcopy(base)
    hostile["scenario_name"] = "scenario " + HOSTILE
    hostile["scenario_file"] = "dir/" + HOSTILE + ".json"
    hostile["candidates"][0]["name"] = HOSTILE
    hostile["candidates"][0]["notes"] = ["note " + HOSTILE]
    if hostile.get("recommended") == base["candidates"][0]["name"]:
        hostile["recommended"] = HOSTILE
    path = os.path.join(out_dir, "hostile.json")
    write_json(path, hostile)
    report(archsim, path, os.path.join(out_dir, "hostile.html"))
    dom, _ = opened("hostile", os.path.join(out_dir, "hostile.html"),
                    ["&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&amp;amp;"])
    for element in ("<script", "<img", "onerror=alert(2)>"):
        if element in dom.replace("&lt;img src=x onerror=alert(2)&gt;", ""):
            fail(f"hostile: the DOM holds {element!r}: a name became markup")
    if len(re.findall(r"<title>", dom)) < 2:
        fail("hostile: the page lost its titles")
    print("ok: hostile: the names show as text; the DOM has no <script> or <img> element")

    # A check: the prediction and its measurement, 30% slower, with wider intervals.
    check = copy.deepcopy(base)
    predicted = check["candidates"][0]
    measured = copy.deepcopy(predicted)
    measured["name"] = predicted["name"] + " (measured)"
    measured["source"] = "measured"
    for key in ("p50_s", "p95_s", "p99_s", "p999_s"):
        e = measured["end_to_end"][key]
        e["value"] *= 1.3
        e["lo"], e["hi"] = e["value"] * 0.8, e["value"] * 1.2
    # its run as `archsim check --broker-down 4s:3.5s:2` records it: 1 s windows on the fault's clock
    p99 = predicted["end_to_end"]["p99_s"]["value"]
    measured["timeline"] = {"source": "measured", "basis": "measured run, by intended send time", "window_s": 1,
                            "points": [{"t_s": t, "count": 1000, "p50_s": p99 / 3, "p99_s": p99 * (40 if 4 <= t < 8 else 1),
                                        "max_s": p99 * (50 if 4 <= t < 8 else 1.2), "delivered_eps": 1000}
                                       for t in range(12)]}
    measured["faults"] = [{"fault": "broker down", "target": "broker 2", "start_s": 4.0, "end_s": 7.5, "lifted": True,
                           "detail": "connections dropped"}]
    check["candidates"] = [predicted, measured]
    check["recommended"] = ""
    path = os.path.join(out_dir, "check.json")
    write_json(path, check)
    report(archsim, path, os.path.join(out_dir, "check.html"))
    dom, _ = opened("check", os.path.join(out_dir, "check.html"),
                    ['id="check"', "Predicted versus measured end-to-end latency", "-23.1%",
                     "(measured run)</title>", "broker down (broker 2) from 4.00 s to 7.50 s",
                     "time since the first intended send (s)"])

    # A sweep of 10,000 points over two parameters, timed against an empty page (Chromium's own start-up).
    empty = os.path.join(out_dir, "empty.html")
    with open(empty, "w", encoding="utf-8") as f:
        f.write("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>empty</title></head>"
                "<body><p>empty</p></body></html>\n")
    _, _, _, baseline = open_in_chromium(empty)
    sweep = sweep_json(100, 100)
    path = os.path.join(out_dir, "sweep-10k.json")
    write_json(path, sweep)
    html = os.path.join(out_dir, "sweep-10k.html")
    report(archsim, path, html)
    size = os.path.getsize(html)
    if size > MAX_SWEEP_BYTES:
        fail(f"sweep: the HTML of 10,000 points is {size} bytes, above {MAX_SWEEP_BYTES}")
    dom, seconds = opened("sweep-10k", html, ["p99 heatmap: lean", "feasibility boundary", "of 10000 cells meet"])
    if seconds > MAX_OPEN_SECONDS:
        fail(f"sweep: Chromium took {seconds:.1f} s to open the 10,000-point report")
    print(f"ok: sweep of 10,000 points: HTML {size / 1e6:.2f} MB, Chromium loaded it and dumped its DOM in "
          f"{seconds:.1f} s, an empty page in {baseline:.1f} s (bounds {MAX_SWEEP_BYTES / 1e6:.1f} MB, "
          f"{MAX_OPEN_SECONDS} s)")
    check_screenshot(html, os.path.join(out_dir, "sweep-10k.png"), 1280, 1600)


def sweep_json(nx, ny):
    """A sweep.json as `archsim sweep` writes it: /a across, /b down, p99 falling with /a and rising with /b."""
    points = []
    for y in range(1, ny + 1):
        for x in range(1, nx + 1):
            p99 = 0.05 * y / x + 0.001 * x
            meets = p99 <= 0.1
            overloaded = x == 1 and y > ny // 2
            candidate = {
                "name": "lean", "kind": "kappa", "cost_usd_month": 100.0 * x + y, "latency_count": 1000,
                "p50_s": p99 / 3, "p95_s": p99 / 2, "p99_s": p99, "p99_lo_s": p99 * 0.95, "p99_hi_s": p99 * 1.05,
                "achieved_eps": 1000.0, "offered_eps": 1000.0, "overloaded": overloaded, "overload_reason": "",
                "meets_all": meets and not overloaded,
                "verdicts": [{"requirement": "p99 latency", "pass": meets, "value": p99, "target": 0.1, "unit": "s",
                              "headroom": (0.1 - p99) / 0.1}],
            }
            point = {"point": len(points), "key": f"/a={x} /b={y}", "overrides": {"/a": x, "/b": y}}
            if (x * 7 + y * 13) % 997 == 0:
                point.update({"status": "invalid", "error": "the loader refused this point"})
            else:
                point.update({"status": "ok", "candidates": [candidate]})
            points.append(point)
    return {"format": "archsim-sweep", "version": 1, "scenario_name": "sweep <of> 10k & more", "candidate": "lean",
            "dims": [{"path": "/a", "spec": f"1:{nx}", "values": list(range(1, nx + 1))},
                     {"path": "/b", "spec": f"1:{ny}", "values": list(range(1, ny + 1))}],
            "points": points, "summary": []}


if __name__ == "__main__":
    main()
