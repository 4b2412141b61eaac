#!/usr/bin/env python3
"""Reads a ring's frames into NumPy, in place, and prints each second the mean brightness and the
publish-to-observe latency that this Python reader sees.

    PYTHONPATH=python /usr/bin/python3 python/examples/brightness.py cam0 [--mode every] [--wait spin]
"""
import argparse
import time

import numpy as np

import nanobroker

# BT.601 luma weights for the B, G, R bytes of a BGRA pixel.
LUMA = np.array([0.114, 0.587, 0.299], dtype=np.float32)


def percentile(values, p):
    return sorted(values)[min(len(values) - 1, int(len(values) * p / 100))] if values else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("name")
    ap.add_argument("--mode", default="latest", choices=["latest", "every"])
    ap.add_argument("--wait", default="futex", choices=["futex", "backoff", "spin", "yield"])
    ap.add_argument("--frames", type=int, default=0, help="stop after this many frames (0: until closed)")
    ap.add_argument("--json", action="store_true", help="print only a final summary as JSON")
    args = ap.parse_args()

    poll_latency, python_latency, brightness = [], [], []
    with nanobroker.Reader(args.name, mode=args.mode, wait=30) as reader:
        last = time.monotonic()
        while args.frames == 0 or len(poll_latency) < args.frames:
            try:
                frame = reader.next(timeout=10, wait=args.wait)
            except (nanobroker.RingClosed, TimeoutError):
                break
            with frame:
                seen = time.monotonic_ns()  # the frame is in Python's hands: same clock as the writer's
                # frame.array is (height, width, 4) uint8 BGRA: a view of the slot, no copy.
                y = frame.array[::4, ::4, :3] @ LUMA  # every 4th pixel: enough for a mean
                brightness.append(float(y.mean()))
            if not frame.intact:  # overwritten while we read it (only under "overwrite"): discard
                brightness.pop()
                continue
            poll_latency.append(frame.latency_ns)
            python_latency.append(seen - frame.timestamp_ns)
            if not args.json and time.monotonic() - last >= 1:
                last = time.monotonic()
                print(f"frame {frame.seq}: brightness {brightness[-1]:6.1f}  latency p50 "
                      f"{percentile(python_latency[-500:], 50) / 1000:.1f} us", flush=True)
        summary = dict(frames=reader.frames, skipped=reader.skipped, lost=reader.lost, torn=reader.torn,
                       poll_latency_ns={p: percentile(poll_latency, p) for p in (50, 99, 99.9)},
                       python_latency_ns={p: percentile(python_latency, p) for p in (50, 99, 99.9)},
                       mean_brightness=float(np.mean(brightness)) if brightness else None)
    if args.json:
        import json
        print(json.dumps(summary))
    else:
        print(summary)


if __name__ == "__main__":
    main()
