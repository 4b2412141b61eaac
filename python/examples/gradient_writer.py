#!/usr/bin/env python3
"""Writes a moving colour gradient into a ring from Python, straight into the slots (no copy).

    PYTHONPATH=python /usr/bin/python3 python/examples/gradient_writer.py demo-py --size 640x360 --fps 30
    ./nanobroker view demo-py                   # a Java viewer shows it
    ./nanobroker read demo-py --verify          # a Java reader checks every frame's checksum
"""
import argparse
import time

import numpy as np

import nanobroker


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("name")
    ap.add_argument("--size", default="640x360")
    ap.add_argument("--fps", type=float, default=30)
    ap.add_argument("--frames", type=int, default=0, help="0: until Ctrl-C")
    ap.add_argument("--slots", type=int, default=8)
    ap.add_argument("--policy", default="block", choices=["block", "drop", "overwrite"])
    ap.add_argument("--unlink", action="store_true", help="remove the ring at the end")
    args = ap.parse_args()
    width, height = map(int, args.size.split("x"))

    x = np.arange(width, dtype=np.uint16)
    y = np.arange(height, dtype=np.uint16)[:, None]
    period = 1 / args.fps if args.fps > 0 else 0
    with nanobroker.Writer(args.name, width=width, height=height, slots=args.slots, policy=args.policy) as writer:
        start = time.monotonic()
        n = 0
        try:
            while args.frames == 0 or n < args.frames:
                claim = writer.try_claim()
                if claim is not None:
                    with claim as frame:
                        a = frame.array  # (height, width, 4) uint8, B G R A, the slot itself
                        a[..., 0] = (x + 4 * n) & 255          # blue: moves right
                        a[..., 1] = (y + 2 * n) & 255          # green: moves down
                        a[..., 2] = ((x + y) // 4) & 255       # red: diagonal
                        a[..., 3] = 255                        # opaque
                n += 1
                if period:
                    time.sleep(max(0.0, start + n * period - time.monotonic()))
        except KeyboardInterrupt:
            pass
        print(f"published {writer.published}, dropped {writer.dropped}")
    if args.unlink:
        nanobroker.remove(args.name, force=True)


if __name__ == "__main__":
    main()
