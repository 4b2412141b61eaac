"""A Python reader killed with kill -9 is reclaimed like a Java one: its identity token must be right."""

import os
import signal
import time

import nanobroker
from conftest import python_child, wait_until

# A reader that reads 5 frames, then holds the 6th forever (a stuck consumer), until it is killed.
VICTIM = """
import sys, time, nanobroker
reader = nanobroker.Reader(sys.argv[1], mode="every", wait=60)
for _ in range(5):
    with reader.next(timeout=60):
        pass
frame = reader.next(timeout=60)
print("holding", frame.seq, flush=True)
time.sleep(600)
"""


def _victim_line(name, pid):
    for line in nanobroker.status(name)["readers"]:
        if line["pid"] == pid:
            return line
    return None


def _kill_and_time_until_head_moves(name, victim):
    """Waits until the victim's frame gates the writer (the ring is full), kills it with SIGKILL and
    returns the seconds from the kill to the ring's head moving on (from our own header reads)."""
    assert victim.stdout.readline().split()[0] == "holding"
    line = wait_until(lambda: _victim_line(name, victim.pid), 30, "the victim's reader line")
    slots = nanobroker.status(name)["slots"]
    # Full: the writer needs the victim's frame (tail) back to write tail + slots.
    wait_until(lambda: nanobroker.status(name)["head"] == line["tail"] + slots, 30, "the ring to fill up")
    stuck_head = nanobroker.status(name)["head"]
    os.kill(victim.pid, signal.SIGKILL)
    killed = time.monotonic()
    wait_until(lambda: nanobroker.status(name)["head"] > stuck_head, 5, "the head to move after the kill")
    elapsed = time.monotonic() - killed
    victim.wait()
    return elapsed, stuck_head


def test_kill9_python_reader_java_producer_goes_on_within_1s(jvm, ring_name, children):
    producer = jvm.start("produce", "--headless", "--name", ring_name, "--size", "320x240", "--fps", "0",
                         "--frames", "2000", "--policy", "block", "--block-timeout-ms", "30000",
                         "--wait-readers", "1", "--unlink", "--json")
    victim = python_child(VICTIM, ring_name)
    children.append(victim)
    elapsed, stuck_head = _kill_and_time_until_head_moves(ring_name, victim)
    print(f"kill -9 to head moving (Java producer): {elapsed * 1000:.0f} ms")
    assert stuck_head == 5 + 8
    assert elapsed < 1.0
    summary = jvm.finish(producer, timeout=60)
    assert summary["published"] == 2000 and summary["producer_drops"] == 0


def test_kill9_python_reader_python_writer_goes_on_within_1s(ring_name, children):
    """Our own writer reclaims a dead reader the same way (section 10 of the spec)."""
    with nanobroker.Writer(ring_name, width=64, height=48, slots=4, policy="block", block_timeout=30) as writer:
        victim = python_child(VICTIM, ring_name)
        children.append(victim)
        wait_until(lambda: nanobroker.status(ring_name)["readers"], 30, "the victim to attach")
        published = []

        import threading

        def produce():
            try:
                while len(published) < 40:
                    with writer.claim() as frame:
                        frame.array[...] = len(published)
                    published.append(time.monotonic())
            except Exception as e:  # pragma: no cover - reported by the assertion below
                published.append(e)

        t = threading.Thread(target=produce)
        t.start()
        try:
            elapsed, stuck_head = _kill_and_time_until_head_moves(ring_name, victim)
        finally:
            t.join(60)
        assert not any(isinstance(p, Exception) for p in published), published
        print(f"kill -9 to head moving (Python writer): {elapsed * 1000:.0f} ms")
        assert stuck_head == 5 + 4 and elapsed < 1.0
        assert len(published) == 40 and writer.dropped == 0
        assert _victim_line(ring_name, victim.pid) is None, "the dead reader's line was freed"


def test_own_token_is_pid_and_start_time():
    token = nanobroker.own_token()
    assert token >> 32 == os.getpid()
    with open("/proc/self/stat") as f:
        fields = f.read().rpartition(")")[2].split()
    assert token & 0xFFFFFFFF == int(fields[19]) & 0xFFFFFFFF  # field 22: starttime
    assert nanobroker.token_alive(token)
    assert not nanobroker.token_alive(token + 1), "same pid, other start time: another process"
    assert not nanobroker.token_alive(0)
