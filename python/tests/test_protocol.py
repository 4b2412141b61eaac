"""The ring protocol of the C++ implementation on its own: policies, modes, abort, join, replace, close."""

import os
import subprocess
import threading
import time

import numpy as np
import pytest

import nanobroker
from conftest import python_child, wait_until


def _publish(writer, value):
    with writer.claim() as frame:
        frame.array[...] = value


def test_every_mode_reads_frames_in_order_with_their_pixels(ring_name):
    with nanobroker.Writer(ring_name, width=16, height=4, slots=3) as writer, \
            nanobroker.Reader(ring_name, mode="every") as reader:
        for i in range(10):
            _publish(writer, i)
            with reader.next() as frame:
                assert frame.seq == i and frame.array.min() == frame.array.max() == i
                assert frame.source_seq == i, "a frame first published here is its own source"
                assert frame.verify() is True
                assert frame.latency_ns >= 0 and frame.observed_ns == frame.timestamp_ns + frame.latency_ns
        with pytest.raises(TimeoutError, match="within 0.05 s"):
            reader.next(timeout=0.05)
        assert reader.poll() is None
        assert (reader.frames, reader.skipped, reader.lost) == (10, 0, 0)


def test_a_frame_published_with_a_given_time_carries_it_and_the_block_publishes_once(ring_name):
    with nanobroker.Writer(ring_name, width=8, height=2, slots=4) as writer, \
            nanobroker.Reader(ring_name, mode="every") as reader:
        captured = time.monotonic_ns() - 5_000_000
        with writer.claim() as frame:
            frame.array[...] = 1
            assert frame.publish(timestamp_ns=captured) == 0
        assert frame.timestamp_ns == captured and writer.published == 1
        with reader.next() as got:
            assert got.timestamp_ns == captured and got.latency_ns >= 5_000_000
        _publish(writer, 2)
        with reader.next() as got:
            assert got.seq == 1 and got.timestamp_ns > captured


def test_latest_mode_skips_to_the_newest_and_counts_them_as_skipped_not_lost(ring_name):
    with nanobroker.Writer(ring_name, width=8, height=8, slots=8) as writer, \
            nanobroker.Reader(ring_name) as reader:
        assert reader.mode == "latest"
        for i in range(5):
            _publish(writer, i)
        with reader.next() as frame:
            assert frame.seq == 4 and frame.array[0, 0, 0] == 4
        line = nanobroker.status(ring_name)["readers"][0]
        assert (line["mode"], line["frames"], line["skipped"], line["lost"], line["lag"]) == ("latest", 1, 4, 0, 0)
        assert (reader.frames, reader.skipped, reader.lost, reader.torn) == (1, 4, 0, 0)


def test_drop_policy(ring_name):
    with nanobroker.Writer(ring_name, width=8, height=8, slots=2, policy="drop") as writer, \
            nanobroker.Reader(ring_name, mode="every"):
        _publish(writer, 0)
        _publish(writer, 1)
        assert writer.try_claim() is None
        with pytest.raises(nanobroker.FrameDropped, match="drop policy dropped the frame"):
            writer.claim()
        status = nanobroker.status(ring_name)
        assert (status["head"], status["producer_drops"], status["blocked_ns"], writer.dropped) == (2, 2, 0, 2)


def test_block_policy_waits_for_the_reader_then_times_out(ring_name):
    with nanobroker.Writer(ring_name, width=8, height=8, slots=2, policy="block", block_timeout=5) as writer, \
            nanobroker.Reader(ring_name, mode="every") as reader:
        _publish(writer, 0)
        _publish(writer, 1)
        frame = reader.next()
        threading.Timer(0.1, frame.release).start()  # room comes 0.1 s later
        started = time.monotonic()
        _publish(writer, 2)
        assert 0.05 < time.monotonic() - started < 4
        assert frame.intact is True
    with nanobroker.Writer(ring_name, width=8, height=8, slots=2, policy="block", block_timeout=0.05) as writer, \
            nanobroker.Reader(ring_name, mode="every") as reader:
        _publish(writer, 3)
        _publish(writer, 4)
        started = time.monotonic()
        with pytest.raises(nanobroker.FrameDropped):
            writer.claim()
        assert time.monotonic() - started >= 0.05
        assert nanobroker.status(ring_name)["blocked_ns"] >= 50_000_000


def test_overwrite_policy_laps_a_slow_reader_and_tears_a_held_frame(ring_name):
    with nanobroker.Writer(ring_name, width=8, height=8, slots=2, policy="overwrite") as writer, \
            nanobroker.Reader(ring_name, mode="every") as reader:
        _publish(writer, 0)
        with reader.next() as frame:
            for i in range(1, 4):  # frame 2 goes into frame 0's slot while it is held
                _publish(writer, i)
        assert frame.intact is False
        with reader.next() as frame:
            assert frame.seq == 3  # frames 1 and 2: lapped (head 4, 2 slots: 3 is the oldest intact)
        # Frame 0 torn, 1 and 2 lapped: all lost (torn is a subset); an every reader skips nothing.
        assert (reader.frames, reader.skipped, reader.lost, reader.torn) == (1, 0, 3, 1)


def test_exception_in_claim_block_aborts(ring_name):
    with nanobroker.Writer(ring_name, width=8, height=8, slots=2) as writer, \
            nanobroker.Reader(ring_name, mode="every") as reader:
        with pytest.raises(ZeroDivisionError):
            with writer.claim() as claim:
                claim.array[...] = 1
                1 / 0
        assert nanobroker.status(ring_name)["head"] == 0 and reader.poll() is None
        with writer.claim() as claim:
            assert claim.seq == 0  # the aborted sequence is claimed again
            claim.array[...] = 2
        with reader.next() as frame:
            assert frame.seq == 0 and frame.array[0, 0, 0] == 2


def test_join_replace_and_refuse(ring_name):
    with nanobroker.Writer(ring_name, width=8, height=8, slots=2) as first:
        _publish(first, 1)
        # Same geometry: joins (two writers, one lock), sequences continue.
        with nanobroker.Writer(ring_name, width=8, height=8, slots=2) as second:
            _publish(second, 2)
            assert nanobroker.status(ring_name)["live_writers"] == 2
        assert nanobroker.status(ring_name)["state"] == "open", "another live writer is still attached"
        # Other geometry while a producer lives: refused.
        with pytest.raises(nanobroker.RingError, match=r"in use by a live producer \(pid %d\)" % os.getpid()):
            nanobroker.Writer(ring_name, width=16, height=8, slots=2)
        inode = os.stat(f"/dev/shm/{ring_name}").st_ino
        reader = nanobroker.Reader(ring_name, mode="every")
    status = nanobroker.status(ring_name)
    assert (status["head"], status["state"], status["epoch"]) == (2, "closed", 2)
    # Other geometry, no live producer: replaced by a new file; the old one's reader notices.
    with nanobroker.Writer(ring_name, width=16, height=8, slots=3):
        assert os.stat(f"/dev/shm/{ring_name}").st_ino != inode
        status = nanobroker.status(ring_name)
        assert (status["width"], status["slots"], status["head"], status["epoch"]) == (16, 3, 0, 1)
        assert reader.replaced()
        with pytest.raises(nanobroker.RingClosed, match="closed by its producer"):
            reader.next(timeout=1)
    reader.close()


def test_reader_sees_ring_closed_after_reading_everything(ring_name):
    writer = nanobroker.Writer(ring_name, width=8, height=8, slots=4)
    with nanobroker.Reader(ring_name, mode="every") as reader:
        _publish(writer, 1)
        _publish(writer, 2)
        writer.close()
        assert [reader.next().release() for _ in range(2)] == [True, True]
        with pytest.raises(nanobroker.RingClosed):
            reader.next(timeout=5)


def test_creation_leaves_no_temporary_file_and_mode_0600(ring_name):
    with nanobroker.Writer(ring_name, width=8, height=8, slots=1):
        st = os.stat(f"/dev/shm/{ring_name}")
        assert st.st_mode & 0o777 == 0o600 and st.st_uid == os.geteuid()
        assert not [f for f in os.listdir("/dev/shm") if f.startswith(f".{ring_name}.creating-")]


def test_sixteen_readers_then_refused(ring_name):
    with nanobroker.Writer(ring_name, width=8, height=8, slots=1):
        readers = [nanobroker.Reader(ring_name) for _ in range(16)]
        assert sorted(r.line for r in readers) == list(range(16))
        with pytest.raises(nanobroker.RingError, match="all 16 reader slots"):
            nanobroker.Reader(ring_name)
        readers.pop().close()
        readers.append(nanobroker.Reader(ring_name))
        for r in readers:
            r.close()
        assert nanobroker.status(ring_name)["readers"] == []


def test_checksum_worked_examples():
    def unsigned(x):
        return x & (2 ** 64 - 1)

    assert unsigned(nanobroker.checksum(b"")) == 0xCBF29CE484222325
    assert unsigned(nanobroker.checksum(bytes(8))) == 0xAF63BD4C8601B7DF
    assert unsigned(nanobroker.checksum(bytes([1, 2, 3, 4]))) == 0xAE61BC45B84B502C
    assert unsigned(nanobroker.checksum(bytes(range(1, 9)))) == 0x1B77512CB84B502C
    assert unsigned(nanobroker.checksum(bytes(range(1, 13)))) == 0xEC1913F649592CDF
    assert nanobroker.checksum(np.arange(12, dtype=np.uint8) + 1) == nanobroker.checksum(bytes(range(1, 13)))


def test_next_waits_without_the_gil(ring_name):
    """A long next() lets other Python threads run (it waits without the GIL)."""
    with nanobroker.Writer(ring_name, width=8, height=8, slots=2) as writer, \
            nanobroker.Reader(ring_name, mode="every") as reader:
        threading.Timer(0.2, _publish, (writer, 9)).start()
        with reader.next(timeout=10) as frame:
            assert frame.array[0, 0, 0] == 9
        wait_until(lambda: reader.frames == 1, 1, "the frame count")


def test_forked_child_owns_nothing_of_the_parent(ring_name):
    """After fork() the child is another process: it must not unlock, release or close for the parent."""
    with nanobroker.Writer(ring_name, width=8, height=8, slots=2) as writer, \
            nanobroker.Reader(ring_name, mode="every") as reader:
        _publish(writer, 1)
        frame = reader.next()
        claim = writer.claim()  # the parent holds the write lock
        pid = os.fork()
        if pid == 0:  # the child: every use is refused, closing touches nothing
            code = 0
            for use in (frame.release, claim.publish):
                try:
                    use()
                    code = 1
                except nanobroker.RingError as e:
                    code = code or (0 if "forked child" in str(e) else 2)
            writer.close()
            reader.close()
            os._exit(code)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        ring = nanobroker.status(ring_name)
        assert ring["lock_owner_pid"] == os.getpid() and ring["state"] == "open"
        assert [r["pid"] for r in ring["readers"]] == [os.getpid()]
        claim.array[...] = 2
        claim.publish()
        assert frame.release() is True
        with reader.next() as frame:
            assert frame.array[0, 0, 0] == 2


def test_a_symlink_in_the_rings_place_counts_as_replaced(ring_name, ring_names):
    """§2: replacement is judged with lstat: a symlink to the very same file is another file."""
    with nanobroker.Writer(ring_name, width=8, height=8, slots=2), \
            nanobroker.Reader(ring_name, mode="every") as reader:
        assert not reader.replaced()
        kept = ring_names("kept")
        os.rename(f"/dev/shm/{ring_name}", f"/dev/shm/{kept}")
        os.symlink(f"/dev/shm/{kept}", f"/dev/shm/{ring_name}")
        assert os.stat(f"/dev/shm/{ring_name}").st_ino == os.stat(f"/dev/shm/{kept}").st_ino
        assert reader.replaced()
        with pytest.raises(nanobroker.RingClosed, match="was replaced or removed"):
            reader.next(timeout=5)


# A block-policy writer that publishes 3 frames into 2 slots when told to (stdin), then reports.
BLOCKED_WRITER = """
import sys, nanobroker
with nanobroker.Writer(sys.argv[1], width=8, height=8, slots=2, policy="block", block_timeout=60) as writer:
    print("ready", flush=True)
    sys.stdin.readline()
    for i in range(3):
        with writer.claim() as frame:
            frame.array[...] = i
    print(writer.published, writer.dropped, flush=True)
"""


def test_blocked_time_grows_while_the_writer_is_still_blocked(ring_name, children):
    """§8 step 6.3: BLOCKED_NANOS is added while the block wait goes on, so another process sees a
    writer blocked right now (it used to be added only when the wait ended)."""
    writer = python_child(BLOCKED_WRITER, ring_name, stdin=subprocess.PIPE)
    children.append(writer)
    assert writer.stdout.readline() == "ready\n"
    with nanobroker.Reader(ring_name, mode="every") as reader:  # gates at frame 0: the third frame blocks
        writer.stdin.write("go\n")
        writer.stdin.flush()

        def blocked_over(ns):
            s = nanobroker.status(ring_name)
            # Still blocked: both frames published, and the writer holds the lock for the third.
            assert s["head"] <= 2 and s["lock_owner_pid"] in (0, writer.pid), s
            return s["head"] == 2 and s["lock_owner_pid"] == writer.pid and s["blocked_ns"] > ns and s["blocked_ns"]

        first = wait_until(lambda: blocked_over(0), 10, "the blocked time to show while the writer is blocked")
        second = wait_until(lambda: blocked_over(first), 10, "the blocked time to grow while the writer is blocked")
        with reader.next() as frame:
            assert frame.seq == 0
        assert writer.communicate(timeout=30)[0].split() == ["3", "0"]
    assert nanobroker.status(ring_name)["blocked_ns"] >= second > first > 0
