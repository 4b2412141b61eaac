#!/usr/bin/python3
"""Draws docs/images/bench-latency.svg from the JSON of `./nanobroker bench --json-file FILE`.

Standard library only (Debian's python3, no pip): p50 (solid) and p99 (light) latency per transport
and frame size, as bars on a log scale.

    /usr/bin/python3 benchmarks/plot_latency.py bench.json docs/images/bench-latency.svg
"""
import json
import math
import sys

SIZES = [("64b", "64 B"), ("1mb", "1 MB"), ("8mb", "1080p, 8.3 MB")]
TRANSPORTS = [
    ("floor", "cache line (floor)", "#7f7f7f"),
    ("ring", "NanoBroker ring", "#1f77b4"),
    ("agrona", "Agrona broadcast", "#9467bd"),
    ("uds", "Unix domain socket", "#ff7f0e"),
    ("tcp", "TCP loopback", "#2ca02c"),
    ("pipe", "pipe (FIFO)", "#d62728"),
]


def lighten(colour, amount=0.6):
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    r, g, b = (round(c + (255 - c) * amount) for c in (r, g, b))
    return "#%02x%02x%02x" % (r, g, b)


def label(ns):
    if ns < 1000:
        return "%d ns" % ns
    if ns < 1_000_000:
        return "%.3g µs" % (ns / 1e3)
    return "%.3g ms" % (ns / 1e6)


def main(source, target):
    with open(source) as f:
        data = json.load(f)
    groups = []  # (size label, [(transport label, colour, p50, p99)])
    for size, size_label in SIZES:
        bars = []
        for key, name, colour in TRANSPORTS:
            base = "floor" if key == "floor" else key + "_" + size
            if key == "floor" and size != "64b":
                continue
            p50, p99 = data.get(base + "_p50_ns"), data.get(base + "_p99_ns")
            if p50 is not None and p99 is not None:
                bars.append((name, colour, max(p50, 1), max(p99, 1)))
        if bars:
            groups.append((size_label, bars))

    width, height = 900, 420
    left, right, top, bottom = 70, 20, 50, 70
    plot_w, plot_h = width - left - right, height - top - bottom
    low, high = 1e1, 1e8  # 10 ns .. 100 ms
    def y(ns):
        v = min(max(ns, low), high)
        return top + plot_h * (1 - (math.log10(v) - math.log10(low)) / (math.log10(high) - math.log10(low)))

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="11">' % (width, height),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="20" font-size="14" font-weight="bold">One-way hand-off latency between two JVMs, p50 (dark) and p99 (light), log scale</text>' % left,
           '<text x="%d" y="36" fill="#555">%d run(s) on %d vCPUs; median of runs. Ring and Agrona readers busy-spin; socket receivers spin, the pipe blocks.</text>'
           % (left, data.get("runs", 1), data.get("cpus", 0))]
    for exp in range(1, 9):
        yy = y(10 ** exp)
        out.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/>' % (left, width - right, yy, yy))
        out.append('<text x="%d" y="%.1f" text-anchor="end" fill="#555">%s</text>' % (left - 6, yy + 4, label(10 ** exp)))
    group_w = plot_w / max(len(groups), 1)
    for g, (size_label, bars) in enumerate(groups):
        x0 = left + g * group_w
        bar_w = (group_w - 30) / (2 * len(bars))
        for b, (name, colour, p50, p99) in enumerate(bars):
            x = x0 + 15 + b * 2 * bar_w
            for i, (value, fill) in enumerate(((p50, colour), (p99, lighten(colour)))):
                yy = y(value)
                out.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s %s p%s: %s</title></rect>'
                           % (x + i * bar_w, yy, bar_w - 1, top + plot_h - yy, fill, name, size_label, "50" if i == 0 else "99", label(value)))
            out.append('<text x="%.1f" y="%.1f" text-anchor="middle" font-size="9">%s</text>' % (x + bar_w, y(p50) - 3, label(p50)))
        out.append('<text x="%.1f" y="%d" text-anchor="middle" font-size="12">%s</text>' % (x0 + group_w / 2, top + plot_h + 18, size_label))
    legend_x = left
    for key, name, colour in TRANSPORTS:
        out.append('<rect x="%d" y="%d" width="10" height="10" fill="%s"/>' % (legend_x, height - 28, colour))
        out.append('<text x="%d" y="%d">%s</text>' % (legend_x + 14, height - 19, name))
        legend_x += 20 + 7 * len(name)
    out.append('</svg>')
    with open(target, "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: plot_latency.py BENCH.json OUT.svg")
    main(sys.argv[1], sys.argv[2])
