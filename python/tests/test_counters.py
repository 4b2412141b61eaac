"""Layout version 3 reader counters: frames, skipped (by design), lost, torn (spec section 12).

Every frame a reader moves past is counted exactly once, so frames + skipped + lost == tail - tail at
attach, and once caught up (nothing held, nothing new) that is the number of frames published since
attach. A latest reader's jumps to the newest frame are skipped, never lost; an every reader never
skips; lost needs an overwrite writer (lapped, or torn: torn is a subset of lost).
"""

import struct
import subprocess
import time

import pytest

import nanobroker
from conftest import python_child

READERS_OFFSET, READER_LENGTH = 320, 192
FRAMES_OFFSET, LOST_OFFSET, TORN_OFFSET, LATENCY_OFFSET, SKIPPED_OFFSET = 128, 136, 144, 152, 160
DESCRIPTORS_OFFSET, DESCRIPTOR_LENGTH = 3392, 64
WRITING_BIT = 1 << 63

# A writer in another process. Each stdin line "N PAUSE" attempts N claims (try_claim: a dropped frame
# is no error), sleeping PAUSE s after each, then prints "published dropped". EOF closes the writer,
# which marks the ring closed (the reader then gets RingClosed once it has caught up).
WRITER = """
import sys, time, nanobroker
name, policy, slots = sys.argv[1], sys.argv[2], int(sys.argv[3])
with nanobroker.Writer(name, width=32, height=8, slots=slots, policy=policy, block_timeout=30) as writer:
    print("ready", flush=True)
    for line in sys.stdin:
        n, pause = int(line.split()[0]), float(line.split()[1])
        for i in range(n):
            frame = writer.try_claim()
            if frame is not None:
                with frame:
                    frame.array[...] = i & 255
            if pause:
                time.sleep(pause)
        print(writer.published, writer.dropped, flush=True)
"""


def _writer(ring_name, children, policy, slots):
    writer = python_child(WRITER, ring_name, policy, str(slots), stdin=subprocess.PIPE)
    children.append(writer)
    assert writer.stdout.readline() == "ready\n", writer.stderr.read()
    return writer


def _command(writer, n, pause=0.0):
    writer.stdin.write(f"{n} {pause}\n")
    writer.stdin.flush()


def _wait_for_counts(writer):
    line = writer.stdout.readline()
    assert line, writer.stderr.read()
    published, dropped = map(int, line.split())
    return published, dropped


def _raw_counters(name, line):
    """The reader line's counters read straight from the file at the spec's offsets."""
    with open(f"/dev/shm/{name}", "rb") as f:
        f.seek(READERS_OFFSET + line * READER_LENGTH + FRAMES_OFFSET)
        frames, lost, torn, _latency, skipped = struct.unpack("<5q", f.read(40))
    return dict(frames=frames, skipped=skipped, lost=lost, torn=torn)


def _counters(reader):
    return dict(frames=reader.frames, skipped=reader.skipped, lost=reader.lost, torn=reader.torn)


def _status_counters(name, line):
    (r,) = [r for r in nanobroker.status(name)["readers"] if r["line"] == line]
    return {k: r[k] for k in ("frames", "skipped", "lost", "torn")}


def _read_slowly_until_closed(reader, hold_s, start):
    """Reads until the producer closed the ring and everything is read, holding each frame hold_s.
    After every release, frames + skipped + lost == tail - tail at attach."""
    while True:
        try:
            frame = reader.next(timeout=30)
        except nanobroker.RingClosed:
            return
        with frame:
            time.sleep(hold_s)
        assert reader.frames + reader.skipped + reader.lost == reader.tail - start, _counters(reader)


@pytest.mark.parametrize("policy", ["block", "drop"])
def test_a_slow_latest_reader_skips_but_loses_nothing(ring_name, children, policy):
    """(a) A latest reader that reads slowly behind a fast writer in another process: it skips to the
    newest frame again and again (skipped > 0), loses nothing under block or drop, and once caught
    up frames + skipped + lost == frames published since attach."""
    writer = _writer(ring_name, children, policy, slots=8)
    with nanobroker.Reader(ring_name, mode="latest") as reader:
        start = reader.tail
        assert start == 0
        # block: the writer runs as fast as the reader lets it; drop: every 0.5 ms, dropping when full.
        _command(writer, 300, 0.0 if policy == "block" else 0.0005)
        writer.stdin.close()
        _read_slowly_until_closed(reader, 0.005, start)
        published, dropped = _wait_for_counts(writer)
        assert writer.wait(timeout=30) == 0
        head = nanobroker.status(ring_name)["head"]
        assert head == published and published + dropped == 300
        if policy == "block":
            assert dropped == 0
        counters = _counters(reader)
        print(policy, counters, "published", published, "dropped", dropped)
        assert counters["skipped"] > 0 and counters["lost"] == 0 and counters["torn"] == 0
        assert counters["frames"] + counters["skipped"] + counters["lost"] == published - start
        assert reader.tail == head, "caught up"
        assert _status_counters(ring_name, reader.line) == counters == _raw_counters(ring_name, reader.line)


def test_an_every_reader_lapped_by_overwrite_loses_but_never_skips(ring_name, children):
    """(b) An every reader that a fast overwrite writer laps: lost > 0, skipped == 0, the invariant
    holds after every release and once caught up."""
    writer = _writer(ring_name, children, "overwrite", slots=4)
    with nanobroker.Reader(ring_name, mode="every") as reader:
        start = reader.tail
        _command(writer, 2000)
        writer.stdin.close()
        _read_slowly_until_closed(reader, 0.001, start)
        published, dropped = _wait_for_counts(writer)
        assert writer.wait(timeout=30) == 0
        assert (published, dropped) == (2000, 0)
        counters = _counters(reader)
        print(counters)
        assert counters["lost"] > 0 and counters["skipped"] == 0
        assert counters["torn"] <= counters["lost"]
        assert counters["frames"] + counters["skipped"] + counters["lost"] == published - start
        assert reader.tail == nanobroker.status(ring_name)["head"]
        assert _status_counters(ring_name, reader.line) == counters == _raw_counters(ring_name, reader.line)


@pytest.mark.parametrize("mode", ["every", "latest"])
def test_a_torn_frame_counts_torn_and_lost(ring_name, children, mode):
    """(c) An overwrite writer in another process rewrites the slot of the frame this reader holds:
    release says so, and the frame counts in torn and in lost, in either mode."""
    slots = 4
    writer = _writer(ring_name, children, "overwrite", slots)
    with nanobroker.Reader(ring_name, mode=mode) as reader:
        _command(writer, 1)
        assert _wait_for_counts(writer) == (1, 0)
        frame = reader.next(timeout=10)
        assert frame.seq == 0
        _command(writer, slots)  # frames 1..slots: frame `slots` goes into frame 0's slot
        assert _wait_for_counts(writer) == (slots + 1, 0)
        assert frame.release() is False and frame.intact is False
        assert _counters(reader) == dict(frames=0, skipped=0, lost=1, torn=1)
        assert _raw_counters(ring_name, reader.line) == _counters(reader)
        while (f := reader.poll()) is not None:
            assert f.release() is True
        if mode == "every":  # frames 1..slots, all intact
            expected = dict(frames=slots, skipped=0, lost=1, torn=1)
        else:  # jumps from 1 to the newest, `slots`: frames 1..slots-1 skipped
            expected = dict(frames=1, skipped=slots - 1, lost=1, torn=1)
        assert _counters(reader) == expected
        assert sum(expected[k] for k in ("frames", "skipped", "lost")) == slots + 1 == reader.tail
        assert _status_counters(ring_name, reader.line) == expected == _raw_counters(ring_name, reader.line)
    writer.stdin.close()
    assert writer.wait(timeout=30) == 0


def test_a_latest_reader_whose_newest_slot_is_being_rewritten_skips_again(ring_name):
    """A latest reader that finds the newest frame's slot already being rewritten (lapped while
    choosing, only under overwrite) skips again: skipped, not lost, since it only ever wants the
    newest frame. The race is made deterministic by putting a WRITING mark in that slot's descriptor
    through the file, as an overwrite writer claiming frame 3 + slots would."""
    slots = 4
    with nanobroker.Writer(ring_name, width=8, height=8, slots=slots, policy="overwrite") as writer, \
            nanobroker.Reader(ring_name, mode="latest") as reader:
        for i in range(4):
            with writer.claim() as claim:
                claim.array[...] = i
        with open(f"/dev/shm/{ring_name}", "r+b") as f:
            f.seek(DESCRIPTORS_OFFSET + 3 * DESCRIPTOR_LENGTH)
            f.write(struct.pack("<Q", (3 + slots) | WRITING_BIT))
        assert reader.poll() is None  # jumped to 3 (skipped 0..2), found it rewritten, skipped it too
        assert _counters(reader) == dict(frames=0, skipped=4, lost=0, torn=0) == _raw_counters(ring_name, reader.line)
        assert reader.tail == 4


def test_attach_resets_skipped_and_lost_left_by_the_previous_owner(ring_name):
    with nanobroker.Writer(ring_name, width=8, height=8, slots=2, policy="overwrite") as writer:
        with nanobroker.Reader(ring_name, mode="latest") as first:
            for i in range(5):
                with writer.claim() as claim:
                    claim.array[...] = i
            with first.next() as frame:
                assert frame.seq == 4
            line = first.line
            assert _raw_counters(ring_name, line) == dict(frames=1, skipped=4, lost=0, torn=0)
        with nanobroker.Reader(ring_name, mode="every") as second:
            start = second.tail
            assert second.line == line
            assert _raw_counters(ring_name, line) == dict(frames=0, skipped=0, lost=0, torn=0)
            for i in range(5):  # 5 frames into 2 slots: only the newest is sure to be intact (section 9)
                with writer.claim() as claim:
                    claim.array[...] = i
            while (f := second.poll()) is not None:
                f.release()
            assert _raw_counters(ring_name, line) == dict(frames=1, skipped=0, lost=4, torn=0)
            assert second.tail - start == 5
