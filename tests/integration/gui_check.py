#!/usr/bin/env python3
"""archsim-gui under a real X server (Xvfb, Mesa's software OpenGL).

  gui_check.py screenshot GUI SCENARIO OUT.png FRAMES   the reference: results drawn
  gui_check.py malformed  GUI SCENARIO OUT.png FRAMES   problems listed, still exit 0
  gui_check.py timeline   GUI SCENARIO OUT.png FRAMES   "Over time" tab at ARCHSIM_GUI_SCALE=1.5:
                                                        the scale applied, latency and rate series drawn
  gui_check.py episodes   GUI SCENARIO OUT.png FRAMES   "Over time" tab of a scenario with failure models:
                                                        the run's series above, one panel per modelled
                                                        failure episode below, each with its latency trace
  gui_check.py nodisplay  GUI SCENARIO                  no DISPLAY: exit 4, clear message

The PNG is decoded here (zlib + PNG filters; no PIL needed) and checked:
its size, that it is not blank, and that the regions where the plots sit
hold the series colours the GUI draws with.
"""
import os
import shutil
import struct
import subprocess
import sys
import zlib

WIDTH, HEIGHT = 1600, 1000
BLUE, ORANGE = (0, 114, 178), (213, 94, 0)     # series 0 and 1 (Okabe-Ito)
FAIL_RED = (191, 13, 25)                        # problem text, FAIL verdicts
PASS_GREEN = (0, 115, 64)                       # PASS verdicts
TARGET_RED = (176, 0, 32)                       # target lines
EPISODE_BROWN = (122, 46, 14)                   # a failure episode's modelled latency


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def read_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail(f"{path}: not a PNG")
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            w, h, depth, colour = struct.unpack(">IIBB", body[:10])
            if depth != 8 or colour not in (2, 6):
                fail(f"unexpected PNG format depth={depth} colour={colour}")
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(h):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    pixels = [[tuple(r[x * bpp:x * bpp + 3]) for x in range(w)] for r in rows]
    return w, h, pixels


def near(p, colour, tol=40):
    return all(abs(a - b) <= tol for a, b in zip(p, colour))


def count(pixels, box, colour, step=1):
    x0, y0, x1, y1 = box
    return sum(1 for y in range(y0, y1, step) for x in range(x0, x1, step) if near(pixels[y][x], colour))


def run_gui(gui, args, env=None, timeout=300):
    return subprocess.run(args if gui is None else [gui] + args, env=env, capture_output=True, text=True,
                          timeout=timeout)


def xvfb(gui, args, env=None):
    if not shutil.which("xvfb-run"):
        print("SKIP: xvfb-run missing")
        sys.exit(77)
    return run_gui(None, ["xvfb-run", "-a", "-s", f"-screen 0 {WIDTH}x{HEIGHT}x24", gui] + args, env=env)


def check_common(out_png, proc):
    sys.stderr.write(proc.stderr)
    if proc.returncode != 0:
        fail(f"exit {proc.returncode}, expected 0")
    if not os.path.exists(out_png):
        fail(f"{out_png} not written")
    w, h, px = read_png(out_png)
    if (w, h) != (WIDTH, HEIGHT):
        fail(f"screenshot is {w}x{h}, expected {WIDTH}x{HEIGHT}")
    colours = {px[y][x] for y in range(0, h, 7) for x in range(0, w, 7)}
    if len(colours) < 20:
        fail(f"screenshot looks blank ({len(colours)} distinct colours)")
    print(f"{out_png}: {w}x{h}, {len(colours)} distinct colours (sampled)")
    return w, h, px


def main():
    mode, gui, scenario = sys.argv[1], sys.argv[2], sys.argv[3]
    if mode == "nodisplay":
        env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
        proc = run_gui(gui, ["--scenario", scenario], env=env, timeout=60)
        if proc.returncode != 4:
            fail(f"exit {proc.returncode} without a display, expected 4; stderr: {proc.stderr}")
        if "no display" not in proc.stderr:
            fail(f"stderr does not say 'no display': {proc.stderr!r}")
        print("no display: exit 4,", proc.stderr.strip().splitlines()[0])
        return
    out_png, frames = sys.argv[4], sys.argv[5]
    os.makedirs(os.path.dirname(os.path.abspath(out_png)), exist_ok=True)
    if os.path.exists(out_png):
        os.remove(out_png)
    args = ["--scenario", scenario, "--screenshot", out_png, "--frames", frames]
    env = None
    if mode == "episodes":
        args += ["--tab", "Over time"]
    if mode == "timeline":
        # the "Over time" tab, at a UI scale of 1.5 forced through the HiDPI override
        args += ["--tab", "Over time"]
        env = dict(os.environ, ARCHSIM_GUI_SCALE="1.5")
    proc = xvfb(gui, args, env=env)
    w, h, px = check_common(out_png, proc)
    left_pane = (0, 0, int(w * 0.3), h)
    right_top = (int(w * 0.31), int(h * 0.2), w, int(h * 0.62))      # CDF and scatter
    right_bottom = (int(w * 0.31), int(h * 0.6), w, h)               # cost bars
    if mode == "screenshot":
        if "frame time while simulating" not in proc.stderr:
            fail("no frame-time figure on stderr")
        cdf = (right_top[0], right_top[1], (right_top[0] + w) // 2, right_top[3])
        scatter = ((right_top[0] + w) // 2, right_top[1], w, right_top[3])
        for name, box in (("latency CDF", cdf), ("cost vs p99 scatter", scatter)):
            b, o = count(px, box, BLUE, 2), count(px, box, ORANGE, 2)
            print(f"{name}: {b} blue and {o} orange pixels (sampled)")
            if b < 20 or o < 20:
                fail(f"the {name} region {box} has no drawn series (blue {b}, orange {o})")
        bars = sum(count(px, right_bottom, c, 2) for c in ((0, 158, 115), (204, 121, 167), (230, 159, 0), (86, 180, 233)))
        print(f"cost bars: {bars} bar pixels (sampled)")
        if bars < 200:
            fail(f"the cost bars region {right_bottom} has no bars")
        table = (int(w * 0.31), int(h * 0.06), w, int(h * 0.2))
        passes = count(px, table, PASS_GREEN, 1)
        print(f"verdict table: {passes} PASS-green pixels")
        if passes < 100:
            fail(f"the verdict table region {table} shows no PASS verdict")
        if count(px, left_pane, FAIL_RED, 2) > 50:
            fail("the reference scenario shows problems")
    elif mode == "timeline":
        if "UI scale 1.5 (ARCHSIM_GUI_SCALE)" not in proc.stderr:
            fail("stderr does not say the UI scale 1.5 from ARCHSIM_GUI_SCALE was applied")
        latency_plot = (int(w * 0.31), int(h * 0.12), w, int(h * 0.68))
        rate_plot = (int(w * 0.31), int(h * 0.68), w, h)
        b, t = count(px, latency_plot, BLUE, 2), count(px, latency_plot, TARGET_RED, 2)
        print(f"latency over time: {b} blue series and {t} target-red pixels (sampled)")
        if b < 20 or t < 5:
            fail(f"the latency-over-time region {latency_plot} lacks its series (blue {b}) or target line (red {t})")
        r = count(px, rate_plot, BLUE, 2)
        print(f"delivered events/s: {r} blue pixels (sampled)")
        if r < 20:
            fail(f"the delivered-rate region {rate_plot} has no drawn series")
    elif mode == "episodes":
        # The run on its own axis above (no episode drawn over it), the
        # episodes in a row of panels below, each with its own trace.
        run_plot = (int(w * 0.31), int(h * 0.15), w, int(h * 0.45))
        b, brown = count(px, run_plot, BLUE, 2), count(px, run_plot, EPISODE_BROWN, 2)
        print(f"run panel: {b} blue series pixels, {brown} episode-brown pixels (sampled)")
        if b < 20:
            fail(f"the run's latency region {run_plot} has no drawn series (blue {b})")
        if brown > 5:
            fail(f"an episode is drawn over the run's panel {run_plot} ({brown} brown pixels)")
        x0, x1, y0, y1 = int(w * 0.31), w, int(h * 0.72), int(h * 0.95)
        third = (x1 - x0) // 3
        for i in range(3):
            box = (x0 + i * third, y0, x0 + (i + 1) * third, y1)
            n = count(px, box, EPISODE_BROWN, 1)
            print(f"episode panel {i + 1}: {n} episode-brown pixels")
            if n < 30:
                fail(f"episode panel {i + 1} region {box} has no modelled latency trace ({n} brown pixels)")
    elif mode == "malformed":
        red = count(px, left_pane, FAIL_RED, 1)
        print(f"problem text: {red} red pixels in the left pane")
        if red < 100:
            fail("the scenario's problems are not shown in the left pane")
        if "problem" not in proc.stderr:
            fail("stderr does not mention the scenario's problems")
    print("OK")


if __name__ == "__main__":
    main()
