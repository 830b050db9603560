#!/usr/bin/env python3
"""Opens an archsim HTML report in Debian's headless Chromium and checks it.

Usage: report_browser_check.py ARCHSIM RESULT.json OUT_DIR

Writes OUT_DIR/report.html with `archsim report RESULT.json --format html`,
then checks, failing with a message on the first problem:
  - the HTML names no http:// or https:// URL in a src or href attribute
    and loads nothing (no <script>, <link>, url(), @import);
  - Chromium's DOM (--dump-dom) holds the executive summary, the
    requirements matrix and every chart (latency CDF, stages, cost,
    cost vs p99, availability and loss), each <svg> with a <title> and each
    chart with a table behind it;
  - the Result's candidates with a latency timeline each have a "Latency
    over time" chart block: a titled <svg> with at least one drawn line,
    axis titles with units (s, ms) and a table of the windows behind it;
  - Chromium logs no console error (a blocked request would be one: the page's
    Content-Security-Policy forbids every fetch), and its net log shows no
    request made by the page;
  - print-to-PDF shows the <details> contents (as many pages as with every
    <details> open, more than without the print rule);
  - a 1280 px wide and a 412 px (phone) wide screenshot are written, are
    PNGs of that width, and are not one flat colour.
Chromium runs with networking features disabled and a throw-away profile.
"""
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--enable-logging=stderr", "--v=0",
]


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def chromium(args, timeout=40, net_log=None):
    """Runs chromium with a fresh profile; returns (stdout, stderr). With `net_log`, Chromium
    writes its network log (every URL request it starts) to that path."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        fail("chromium is not installed (scripts/setup.sh installs it)")
    profile = tempfile.mkdtemp(prefix="archsim-chromium-")
    extra = [f"--log-net-log={net_log}", "--net-log-capture-mode=Default"] if net_log else []
    try:
        run = subprocess.run([exe, *CHROMIUM_FLAGS, *extra, "--user-data-dir=" + profile, *args],
                             capture_output=True, text=True, timeout=timeout)
        return run.stdout, run.stderr
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def page_requests(net_log):
    """URLs the page itself asked for, from a Chromium net log: requests made on behalf of
    the file:// document (its network isolation key is file://). Chromium's own background
    requests (component updates, accounts), which no page flag fully silences, are not the
    page's and are left out."""
    with open(net_log, encoding="utf-8") as f:
        log = json.load(f)
    names = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    urls = []
    for event in log["events"]:
        params = event.get("params", {})
        if names.get(event["type"]) == "URL_REQUEST_START_JOB" and "file://" in params.get("network_isolation_key", ""):
            urls.append(params.get("url", "?"))
    return urls


def open_in_chromium(html, timeout=60):
    """Loads `html` once (--dump-dom) with a net log: returns (dom, console error lines,
    URLs the page requested, wall seconds)."""
    net_log = html + ".netlog.json"
    if os.path.exists(net_log):
        os.remove(net_log)
    start = time.monotonic()
    dom, log = chromium(["--dump-dom", "file://" + html], timeout=timeout, net_log=net_log)
    seconds = time.monotonic() - start
    if not os.path.exists(net_log):
        fail("chromium wrote no net log: the request count cannot be checked")
    console_errors = [line for line in log.splitlines()
                      if "CONSOLE" in line or "Refused to" in line or "Content Security Policy" in line]
    return dom, console_errors, page_requests(net_log), seconds


def pdf_pages(html, out_pdf):
    """Prints `html` to PDF as Chromium's print-to-PDF does; returns the page count."""
    if os.path.exists(out_pdf):
        os.remove(out_pdf)
    chromium(["--no-pdf-header-footer", f"--print-to-pdf={out_pdf}", "file://" + html], timeout=90)
    if not os.path.exists(out_pdf) or os.path.getsize(out_pdf) == 0:
        fail(f"chromium wrote no PDF {out_pdf}")
    return len(re.findall(rb"/Type\s*/Page(?!s)", open(out_pdf, "rb").read()))


def png_pixels(path):
    """Decodes an 8-bit RGB/RGBA, non-interlaced PNG: (width, height, rows of bytes, bytes per pixel)."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail(f"{path} is not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        fail(f"{path}: unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})")
    bpp = 3 if colour == 2 else 4
    raw, stride, rows, prev, i = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp), 0
    for _ in range(height):
        kind, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, rows, bpp


def check_screenshot(html, out_png, width, height):
    if os.path.exists(out_png):
        os.remove(out_png)
    chromium([f"--screenshot={out_png}", f"--window-size={width},{height}", "file://" + html])
    if not os.path.exists(out_png) or os.path.getsize(out_png) == 0:
        fail(f"chromium wrote no screenshot {out_png}")
    got_w, got_h, rows, bpp = png_pixels(out_png)
    if got_w != width or got_h != height:
        fail(f"{out_png}: {got_w}x{got_h}, expected {width}x{height}")
    colours = set()
    for row in rows[::7]:
        for x in range(0, len(row), bpp * 5):
            colours.add(row[x:x + 3])
    if len(colours) < 16:
        fail(f"{out_png}: only {len(colours)} colours: the page looks blank")
    print(f"ok: {out_png} {got_w}x{got_h}, {len(colours)} sampled colours")


# Chart blocks the report of a simulated Result with failure models must hold (section id:
# the words its chart titles start with).
EXPECTED_CHARTS = {
    "latency-cdf": "End-to-end latency distribution",
    "stages": "Latency by stage",
    "cost": "Monthly cost by component",
    "tradeoff": "Cost versus p99 latency",
    "availability": "Availability per candidate",
}


def check_charts(dom, expected):
    """Every <svg> has a <title>; each expected section holds a chart with its title and a table behind it."""
    svgs = re.findall(r"<svg\b[^>]*>\s*<title>([^<]+)</title>", dom)
    if dom.count("<svg") != len(svgs):
        fail(f"every <svg> needs a <title>: {dom.count('<svg')} svg, titled: {svgs}")
    for section, title in expected.items():
        match = re.search(r'<section class="block" id="' + re.escape(section) + r'">(.*?)</section>', dom, re.S)
        if not match:
            fail(f"the DOM lacks the chart section {section!r}")
        body = match.group(1)
        if not re.search(r"<svg\b[^>]*>\s*<title>" + re.escape(title), body):
            fail(f"section {section!r} has no chart titled {title!r}...")
        if "<table" not in body:
            fail(f"section {section!r} has no table behind its chart")
    print(f"ok: DOM has the summary, the matrix and {len(svgs)} titled charts: {svgs}")


def expected_verdicts(result_path):
    """What the summary and matrix must say for this Result: its recommendation (or that there
    is none), and FAIL when some verdict fails."""
    result = json.load(open(result_path, encoding="utf-8"))
    needles = [f"Recommended: {result['recommended']}" if result.get("recommended")
               else "No candidate meets every requirement"]
    if any(not v["pass"] for c in result["candidates"] for v in c["verdicts"]):
        needles.append("FAIL")
    return needles


def check_print(html, out_dir):
    """Print-to-PDF shows the <details> contents: the page prints as many pages as the same
    page with every <details> open, and more than it would without the print rule."""
    text = open(html, encoding="utf-8").read()
    rule = "details::details-content { content-visibility: visible; display: contents; }"
    if rule not in text:
        fail("the print rule that opens <details> is missing from the CSS")
    variants = {"open": text.replace("<details>", "<details open>"), "no-rule": text.replace(rule, "")}
    pages = {"as-is": pdf_pages(html, os.path.join(out_dir, "report.pdf"))}
    for name, variant in variants.items():
        path = os.path.join(out_dir, f"report-{name}.html")
        with open(path, "w", encoding="utf-8") as f:
            f.write(variant)
        pages[name] = pdf_pages(os.path.abspath(path), os.path.join(out_dir, f"report-{name}.pdf"))
    if pages["as-is"] != pages["open"] or pages["no-rule"] >= pages["as-is"]:
        fail(f"printing should show every <details>: pages {pages}")
    print(f"ok: print-to-PDF shows every <details>: {pages['as-is']} pages, as with every <details> open "
          f"({pages['open']}); without the print rule {pages['no-rule']}")


def main():
    if len(sys.argv) != 4:
        fail(__doc__)
    archsim, result, out_dir = sys.argv[1:]
    os.makedirs(out_dir, exist_ok=True)
    html = os.path.abspath(os.path.join(out_dir, "report.html"))
    if os.path.exists(html):
        os.remove(html)
    run = subprocess.run([archsim, "report", result, "--format", "html", "-o", html],
                         capture_output=True, text=True, timeout=30)
    if run.returncode != 0 or not os.path.exists(html):
        fail(f"archsim report exited {run.returncode}: {run.stderr}")
    text = open(html, encoding="utf-8").read()

    external = re.findall(r"""(?:src|href)\s*=\s*["']?\s*(https?://[^"'\s>]*)""", text, re.I)
    if external:
        fail(f"external URLs in src/href: {external}")
    for needle in ("<script", "<link", "url(", "@import"):
        if needle in text:
            fail(f"the HTML contains {needle!r}")
    print("ok: no external URL, script, stylesheet link or url() in the HTML")

    dom, console_errors, requests, seconds = open_in_chromium(html)
    for needle in ('id="summary"', "Executive summary", 'id="matrix"', "Requirements matrix", "PASS",
                   *expected_verdicts(result)):
        if needle not in dom:
            fail(f"the DOM lacks {needle!r}")
    check_charts(dom, EXPECTED_CHARTS)
    with open(result, encoding="utf-8") as f:
        timelines = [c["name"] for c in json.load(f).get("candidates", []) if c.get("timeline", {}).get("points")]
    blocks = re.findall(r'<section class="block" id="latency-timeline-\d+">(.*?)</section>', dom, re.S)
    if len(blocks) != len(timelines):
        fail(f"expected a latency-over-time chart for each of {timelines}; found {len(blocks)}")
    for name, block in zip(timelines, blocks):
        for needle in (f"End-to-end latency over time: {name}", "time since the measured window's start (s)",
                       "end-to-end latency (ms, log scale)", "<polyline", "<table", "Window start (s)"):
            if needle not in block:
                fail(f"the latency-over-time chart of {name} lacks {needle!r}")
    print(f"ok: a latency-over-time chart with axes, lines and a table for each of {timelines}")
    if console_errors:
        fail("console errors:\n" + "\n".join(console_errors))
    print("ok: no console error")
    if requests:
        fail(f"the page made {len(requests)} request(s): {requests}")
    print(f"ok: the page made 0 requests (Chromium net log); {os.path.getsize(html)} bytes, opened in {seconds:.1f} s")
    check_print(html, out_dir)

    check_screenshot(html, os.path.join(out_dir, "report-laptop.png"), 1280, 2000)
    check_screenshot(html, os.path.join(out_dir, "report-phone.png"), 412, 1600)


if __name__ == "__main__":
    main()
