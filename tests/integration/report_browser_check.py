#!/usr/bin/env python3
"""Opens an archsim HTML report in Debian's headless Chromium and checks it.

Usage: report_browser_check.py ARCHSIM RESULT.json OUT_DIR

Writes OUT_DIR/report.html with `archsim report RESULT.json --format html`,
then checks, failing with a message on the first problem:
  - the HTML names no http:// or https:// URL in a src or href attribute
    and loads nothing (no <script>, <link>, url(), @import);
  - Chromium's DOM (--dump-dom) holds the executive summary, the
    requirements matrix and at least 4 <svg> charts, each with a <title>;
  - the Result's candidates with a latency timeline each have a "Latency
    over time" chart block: a titled <svg> with at least one drawn line,
    axis titles with units (s, ms) and a table of the windows behind it;
  - Chromium logs no console error (a blocked request would be one: the page's
    Content-Security-Policy forbids every fetch);
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
import zlib

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--enable-logging=stderr", "--v=0",
]


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def chromium(args, timeout=40):
    """Runs chromium with a fresh profile; returns (stdout, stderr)."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        fail("chromium is not installed (scripts/setup.sh installs it)")
    profile = tempfile.mkdtemp(prefix="archsim-chromium-")
    try:
        run = subprocess.run([exe, *CHROMIUM_FLAGS, "--user-data-dir=" + profile, *args],
                             capture_output=True, text=True, timeout=timeout)
        return run.stdout, run.stderr
    finally:
        shutil.rmtree(profile, ignore_errors=True)


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

    dom, log = chromium(["--dump-dom", "file://" + html])
    for needle in ('id="summary"', "Executive summary", 'id="matrix"', "Requirements matrix", "PASS", "FAIL"):
        if needle not in dom:
            fail(f"the DOM lacks {needle!r}")
    svgs = re.findall(r"<svg\b[^>]*>\s*<title>([^<]+)</title>", dom)
    if len(svgs) < 4 or dom.count("<svg") != len(svgs):
        fail(f"expected at least 4 <svg> charts, each with a <title>; found {dom.count('<svg')} svg, titled: {svgs}")
    print(f"ok: DOM has the summary, the matrix and {len(svgs)} titled charts: {svgs}")
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
    console_errors = [line for line in log.splitlines()
                      if "CONSOLE" in line or "Refused to" in line or "Content Security Policy" in line]
    if console_errors:
        fail("console errors:\n" + "\n".join(console_errors))
    print("ok: no console error")

    check_screenshot(html, os.path.join(out_dir, "report-laptop.png"), 1280, 2000)
    check_screenshot(html, os.path.join(out_dir, "report-phone.png"), 412, 1600)


if __name__ == "__main__":
    main()
