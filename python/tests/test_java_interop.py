"""Python and Java on one ring: a Java producer into a Python reader, a Python writer into a Java reader."""

import os
import random
import time

import numpy as np

import nanobroker
from conftest import wait_until

FRAMES = 2000


def test_java_producer_to_python_reader_every_frame_intact_under_block(jvm, ring_name):
    producer = jvm.start("produce", "--headless", "--name", ring_name, "--size", "320x240", "--fps", "0",
                         "--frames", str(FRAMES), "--policy", "block", "--block-timeout-ms", "30000",
                         "--wait-readers", "1", "--unlink", "--json")
    seqs, verified, intact = [], 0, 0
    with nanobroker.Reader(ring_name, mode="every", wait=60) as reader:
        assert (reader.width, reader.height, reader.slots) == (320, 240, 8)
        while True:
            try:
                with reader.next(timeout=30) as frame:
                    assert frame.array.shape == (240, 320, 4) and frame.array.dtype == np.uint8
                    verified += frame.verify() is True
                    seqs.append(frame.seq)
            except nanobroker.RingClosed:
                break
            intact += frame.intact
        assert (reader.frames, reader.skipped, reader.lost, reader.torn) == (FRAMES, 0, 0, 0)
    summary = jvm.finish(producer, timeout=60)
    assert seqs == list(range(FRAMES))
    assert verified == FRAMES, "every frame's pixels match the checksum the Java producer stored"
    assert intact == FRAMES
    assert summary["published"] == FRAMES and summary["producer_drops"] == 0


def test_python_writer_to_java_reader_verifies_every_checksum(jvm, ring_name):
    frames = 600
    reader = jvm.start("read", ring_name, "--verify", "--json", "--timeout-s", "30")
    rng = np.random.default_rng(7)
    rows = rng.integers(0, 256, size=(16, 1, 320, 4), dtype=np.uint8)
    with nanobroker.Writer(ring_name, width=320, height=240, slots=8, policy="block", block_timeout=10) as writer:
        # Attached is not enough: the reader counts frames from the tail it sets right after.
        wait_until(lambda: any(r["tail"] != 2**63 - 1 for r in nanobroker.status(ring_name)["readers"]),
                   60, "the Java reader to attach and set its tail")
        for i in range(frames):
            with writer.claim() as frame:
                frame.array[...] = rows[i % 16]          # a different picture per frame
                frame.array[0, 0] = (i & 255, i >> 8, 0, 255)
        assert (writer.published, writer.dropped) == (frames, 0)
    # Closing the last writer marks the ring closed, which ends the Java reader.
    summary = jvm.finish(reader, timeout=60)
    assert summary["frames"] == frames
    assert summary["checksum_failures"] == 0
    assert (summary["skipped"], summary["lost"], summary["torn"]) == (0, 0, 0)
    assert summary["stopped"] == "closed"


def test_java_stat_shows_a_python_reader_alive_with_lag_and_counters(java, ring_name):
    with nanobroker.Writer(ring_name, width=64, height=48, slots=4) as writer, \
            nanobroker.Reader(ring_name, mode="every") as reader:
        for i in range(5):
            with writer.claim() as frame:
                frame.array[...] = i
            if i < 3:
                with reader.next() as frame:
                    pass
        stat = java.stat(ring_name)
        assert stat["producer"]["pid"] == os.getpid() and stat["producer"]["alive"]
        (line,) = stat["readers"]
        # Java computed "alive" from our identity token: pid and start time from /proc/self/stat.
        assert line["pid"] == os.getpid() and line["alive"] is True
        assert line["slot"] == reader.line and line["mode"] == "every"
        assert (line["tail"], line["lag"], line["frames"], line["skipped"], line["lost"]) == (3, 2, 3, 0, 0)
        assert line["last_latency_ns"] > 0
    assert java.stat(ring_name)["state"] == "closed"


def test_java_producer_wakes_a_sleeping_python_reader(jvm, ring_name):
    """Spec section 8, publishing step 12, across implementations: a Java writer's publish wakes a
    Python reader asleep in wait="futex" (the default)."""
    frames = 200
    producer = jvm.start("produce", "--headless", "--name", ring_name, "--size", "64x48", "--fps", "250",
                         "--frames", str(frames), "--policy", "block", "--wait-readers", "1", "--unlink", "--json")
    latencies_us = []
    with nanobroker.Reader(ring_name, mode="every", wait=60) as reader:
        for _ in range(frames):
            with reader.next(timeout=30) as frame:
                latencies_us.append(frame.latency_ns / 1000)
        sleeps, missed = reader.sleeps, reader.missed_wakeups
    jvm.finish(producer, timeout=60)
    p50 = sorted(latencies_us)[frames // 2]
    print(f"Java producer at 250 fps to a sleeping Python reader: p50 {p50:.0f} us, max {max(latencies_us):.0f} us; "
          f"{sleeps} sleeps, {missed} missed wake-ups")
    assert missed == 0 and sleeps >= frames // 2
    assert p50 < 2000


def test_python_writer_wakes_a_sleeping_java_reader(jvm, ring_name):
    """The other way round: `read` sleeps in the kernel (--wait futex, its default) and a Python
    writer's publish wakes it. Without the wake-up the Java reader would sleep until its timeout."""
    frames = 200
    reader = jvm.start("read", ring_name, "--wait", "futex", "--frames", str(frames), "--json", "--timeout-s", "30")
    with nanobroker.Writer(ring_name, width=64, height=48, slots=8) as writer:
        wait_until(lambda: any(r["tail"] != 2**63 - 1 for r in nanobroker.status(ring_name)["readers"]),
                   60, "the Java reader to attach and set its tail")
        for _ in range(frames):
            time.sleep(random.uniform(0.001, 0.005))  # the stimulus: a frame every 1-5 ms
            with writer.claim():
                pass
        summary = jvm.finish(reader, timeout=60)
    p50_us = summary["latency_ns"]["p50"] / 1000
    print(f"Python writer to a sleeping Java reader, frames 1-5 ms apart: p50 {p50_us:.0f} us, "
          f"p99 {summary['latency_ns']['p99'] / 1000:.0f} us")
    assert (summary["frames"], summary["lost"], summary["stopped"]) == (frames, 0, "frames")
    assert p50_us < 2000


def test_a_frame_a_java_bridge_copied_keeps_its_source_sequence(jvm, ring_name):
    frames = 120
    copy = ring_name + "-copy"
    port = _free_udp_port()
    receiver = jvm.start("bridge", "receive", ring_name, "--from", f"127.0.0.1:{port}", "--as", copy, "--json",
                         "--timeout-s", "60")
    sender = jvm.start("bridge", "send", ring_name, "--to", f"127.0.0.1:{port}", "--json", "--timeout-s", "60")
    producer = jvm.start("produce", "--headless", "--name", ring_name, "--size", "64x48", "--fps", "60",
                         "--frames", str(frames), "--json")
    seqs, sources = [], []
    try:
        with nanobroker.Reader(copy, mode="every", wait=60) as reader:
            while not sources or sources[-1] < frames - 1:
                with reader.next(timeout=30) as frame:
                    seqs.append(frame.seq)
                    sources.append(frame.source_seq)
        assert seqs == list(range(seqs[0], seqs[0] + len(seqs))), "the copy's ring numbers its own frames"
        assert sources == sorted(set(sources)), "each copy names a frame of the source, in order"
        assert sources[-1] == frames - 1 and len(sources) <= frames
    finally:
        jvm.finish(producer, timeout=60)
        jvm.stop_all()
        if os.path.exists(f"/dev/shm/{copy}"):
            nanobroker.remove(copy)


def _free_udp_port():
    import socket
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
