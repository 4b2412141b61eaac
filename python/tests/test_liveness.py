"""A Python reader killed with kill -9 is reclaimed like a Java one: its identity token must be right."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

import nanobroker
from conftest import PYTHON_DIR, proc_token, python_child, wait_until

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


# --- §7 liveness: dead only when the OS says so ------------------------------------------------

def proc_state(pid):
    with open(f"/proc/{pid}/stat", "rb") as f:
        data = f.read()
    return data[data.rindex(b")") + 2:][:1]


# A reader whose process renames itself first (argv[2]: the new name in hex), then prints its token
# (computed after the rename) and stays attached until its stdin closes.
RENAMED_READER = """
import ctypes, sys, nanobroker
libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(15, bytes.fromhex(sys.argv[2]), 0, 0, 0) != 0:  # PR_SET_NAME
    raise OSError(ctypes.get_errno(), "prctl(PR_SET_NAME)")
reader = nanobroker.Reader(sys.argv[1], mode="every", wait=30)
print(nanobroker.own_token(), flush=True)
sys.stdin.read()
"""


@pytest.mark.parametrize("comm", [b"kamera-\xc3\xbc", b"a) b (c"], ids=["utf8", "parens"])
def test_a_process_with_an_odd_command_name_is_alive_and_keeps_its_reader_line(ring_name, children, comm):
    with nanobroker.Writer(ring_name, width=8, height=8, slots=2, policy="drop") as writer:
        peer = python_child(RENAMED_READER, ring_name, comm.hex(), stdin=subprocess.PIPE)
        children.append(peer)
        token = int(peer.stdout.readline())
        with open(f"/proc/{peer.pid}/stat", "rb") as f:
            stat = f.read()
        assert stat[stat.index(b"(") + 1:stat.rindex(b")")] == comm
        assert token == proc_token(peer.pid)
        assert nanobroker.token_alive(token)
        for i in range(2):
            with writer.claim() as frame:
                frame.array[...] = i
        # Full: the claim looks again after reclaiming dead readers, which must not free the peer's line.
        assert writer.try_claim() is None
        (line,) = nanobroker.status(ring_name)["readers"]
        assert (line["pid"], line["alive"], line["tail"]) == (peer.pid, True, 0)
        peer.stdin.close()
        assert peer.wait(timeout=30) == 0


# Exhausts its file descriptors (EMFILE), then judges the tokens in argv.
NO_FDS = """
import errno, json, os, resource, sys, nanobroker
if sys.argv[1] == "known":
    nanobroker.own_token()   # a process that attached already knows its own token
tokens = [int(t) for t in sys.argv[2:]]
resource.setrlimit(resource.RLIMIT_NOFILE, (64, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
fds = []
try:
    while True:
        fds.append(os.open("/dev/null", os.O_RDONLY))
except OSError as e:
    assert e.errno == errno.EMFILE, e
try:
    print(json.dumps([nanobroker.token_alive(t) for t in tokens]))
except Exception as e:
    print(json.dumps(repr(e)))
"""


@pytest.mark.parametrize("own", ["known", "unknown"])
def test_a_checker_out_of_file_descriptors_still_sees_live_peers_alive(own):
    dead = subprocess.Popen(["true"])
    dead_token = proc_token(dead.pid)  # may race with its exit; then it is a zombie, stat still readable
    dead.wait()
    result = subprocess.run([sys.executable, "-c", NO_FDS, own, str(nanobroker.own_token()), str(dead_token)],
                            capture_output=True, text=True, timeout=60, env=dict(os.environ, PYTHONPATH=str(PYTHON_DIR)))
    assert result.returncode == 0, result.stderr
    # The live peer (this test process) is alive although /proc could not be opened; the reaped
    # child is dead all the same (kill() says ESRCH, no file descriptor needed).
    assert json.loads(result.stdout) == [True, False]


def test_a_reaped_child_a_zombie_and_a_reused_pid_are_dead(children):
    reaped = subprocess.Popen(["sleep", "60"])
    children.append(reaped)
    token = proc_token(reaped.pid)
    assert nanobroker.token_alive(token)
    assert nanobroker.token_alive(token - (1 << 63)), "RECLAIM_BIT (bit 63: negative as int64) is ignored"
    assert not nanobroker.token_alive(token ^ 1), "same pid, another start time: the pid was reused"
    reaped.kill()
    reaped.wait()
    assert not nanobroker.token_alive(token)

    zombie = subprocess.Popen(["true"])
    children.append(zombie)
    token = proc_token(zombie.pid)
    wait_until(lambda: proc_state(zombie.pid) == b"Z", 10, "the child to exit (a zombie: not waited for)")
    assert not nanobroker.token_alive(token), "a zombie counts as dead"
    zombie.wait()

    assert not nanobroker.token_alive(0)
    assert not nanobroker.token_alive(12345), "pid 0 names no process"
