"""Replacing a ring of another geometry (§2): one replacer per old file, which keeps the old file's
write lock for good; a writer of a replaced file fails instead of writing into a nameless file."""

import json
import mmap
import os
import struct
import subprocess

import pytest

import nanobroker
from conftest import proc_token, python_child

LOCK_OWNER_OFFSET = 192


def _old_ring(name, width=8):
    """A ring of another geometry whose producer is gone (closed), as a replacer finds it."""
    with nanobroker.Writer(name, width=width, height=8, slots=2) as writer:
        with writer.claim() as frame:
            frame.array[...] = 1


class _Header:
    """The header of a ring file, mapped here (kept across a replacement: it stays the old file)."""

    def __init__(self, name):
        with open(f"/dev/shm/{name}", "r+b") as f:
            self.map = mmap.mmap(f.fileno(), 4096)
        self.inode = os.stat(f"/dev/shm/{name}").st_ino

    def lock_owner(self):
        return struct.unpack_from("<q", self.map, LOCK_OWNER_OFFSET)[0]

    def set_lock_owner(self, token):
        struct.pack_into("<q", self.map, LOCK_OWNER_OFFSET, token)


@pytest.fixture
def sleeper(children):
    """A live process that is not this one, and its token."""
    p = subprocess.Popen(["sleep", "600"])
    children.append(p)
    return p.pid, proc_token(p.pid)


@pytest.fixture
def dead_token():
    p = subprocess.Popen(["true"])
    token = proc_token(p.pid)
    p.wait()
    return token


def _no_temporary_files(name):
    return not [f for f in os.listdir("/dev/shm") if f.startswith(f".{name}.creating-")]


@pytest.mark.parametrize("lock", ["free", "dead owner"])
def test_a_replacer_takes_the_old_files_lock_and_never_releases_it(ring_name, lock, dead_token):
    """Steps a and d: the lock of the replaced file stays the replacer's, also after it closes."""
    _old_ring(ring_name)
    old = _Header(ring_name)
    if lock == "dead owner":
        old.set_lock_owner(dead_token)
    with nanobroker.Writer(ring_name, width=16, height=8, slots=3) as writer:
        assert os.lstat(f"/dev/shm/{ring_name}").st_ino != old.inode
        assert old.lock_owner() == nanobroker.own_token()
        with writer.claim() as frame:  # the new ring's own lock is free as usual
            frame.array[...] = 2
    assert old.lock_owner() == nanobroker.own_token()
    assert nanobroker.status(ring_name)["head"] == 1


def test_a_replacer_gives_up_on_a_ring_whose_lock_a_live_process_holds(ring_name, sleeper):
    """Step b: the name still names the old file, but a live process holds its lock (a writer that
    attached after the liveness check, or a replacer about to rename): fail after ~2 s, replace nothing."""
    pid, token = sleeper
    _old_ring(ring_name)
    old = _Header(ring_name)
    old.set_lock_owner(token)
    with pytest.raises(nanobroker.RingError, match=rf"ring {ring_name} is being replaced or written by pid {pid}; "
                                                   rf"try again"):
        nanobroker.Writer(ring_name, width=16, height=8, slots=3)
    assert os.lstat(f"/dev/shm/{ring_name}").st_ino == old.inode
    assert old.lock_owner() == token
    assert _no_temporary_files(ring_name)


# A writer of a ring that waits for a line on stdin, then claims: it prints the outcome.
WAITING_WRITER = """
import json, sys, nanobroker
writer = nanobroker.Writer(sys.argv[1], width=8, height=8, slots=2, policy="overwrite")
print("ready", flush=True)
sys.stdin.readline()
try:
    with writer.claim() as frame:
        frame.array[...] = 3
    print(json.dumps({"published": writer.published}), flush=True)
except nanobroker.RingError as e:
    print(json.dumps({"error": str(e)}), flush=True)
"""


@pytest.mark.parametrize("replacer", ["alive", "dead"])
def test_a_writer_of_a_replaced_ring_fails_instead_of_waiting_for_the_lock(ring_name, ring_names, children,
                                                                           replacer, sleeper, dead_token):
    """Step e: the file's lock is held for good by the producer that renamed a new ring over it. Its
    writers must not wait forever (replacer alive) nor take the lock over (replacer dead) and write
    into a file no reader can open."""
    writer = python_child(WAITING_WRITER, ring_name, stdin=subprocess.PIPE)
    children.append(writer)
    assert writer.stdout.readline() == "ready\n"
    # What a replacer did while the writer was attached: the old lock is its own for good, and a new
    # ring has the name.
    _Header(ring_name).set_lock_owner(sleeper[1] if replacer == "alive" else dead_token)
    newer = ring_names("newer")
    _old_ring(newer, width=16)
    os.rename(f"/dev/shm/{newer}", f"/dev/shm/{ring_name}")
    writer.stdin.write("go\n")
    writer.stdin.flush()
    out, err = writer.communicate(timeout=10)
    assert json.loads(out) == {"error": f"ring {ring_name} was replaced by another producer (/dev/shm/{ring_name} "
                                        f"no longer names this writer's file); open a new writer"}, err


# One of several producers that open-for-writing the same ring at the same moment. For each line
# "NAME WIDTH" on stdin (the barrier: the test writes it to all of them at once) it opens a writer of
# WIDTHx8 with 3 slots, publishes 20 frames and prints what happened and which file it wrote into (the
# inode of its mapping, from /proc/self/maps). Then, on the next line (when every racer is done), it
# tries one more frame and prints what happened.
RACING_WRITER = """
import json, os, sys, nanobroker
print("ready", flush=True)
for line in sys.stdin:
    name, width = line.split()
    writer, result, more = None, {"pid": os.getpid()}, {}
    try:
        writer = nanobroker.Writer(name, width=int(width), height=8, slots=3, policy="overwrite")
        with open("/proc/self/maps") as maps:
            result["inodes"] = sorted({int(m.split()[4]) for m in maps if f"/dev/shm/{name}" in m})
        for i in range(20):
            with writer.claim() as frame:
                frame.array[...] = i
    except nanobroker.RingError as e:
        result["error"] = str(e)
    result["published"] = writer.published if writer else 0
    print(json.dumps(result), flush=True)
    sys.stdin.readline()
    if writer is not None and "error" not in result:
        try:
            with writer.claim() as frame:
                frame.array[...] = 99
        except nanobroker.RingError as e:
            more["error"] = str(e)
        more["published"] = writer.published
    print(json.dumps(more), flush=True)
    if writer is not None:
        writer.close()
"""

CLEAR_ERRORS = ("in use by a live producer", "is being replaced or written by", "was replaced by another producer")


@pytest.mark.parametrize("widths", [(16, 16), (16, 24)], ids=["same-geometry", "other-geometries"])
def test_producers_replacing_one_ring_at_once_never_write_into_a_nameless_file(ring_names, children, widths):
    """Two producers replace the same dead ring at the same moment, 15 times. Each either gets a clear
    error or a writer; once both are done, a writer whose file still has the name publishes on (it
    replaced the ring, or joined the ring that replaced it), and one whose file lost its name fails
    instead of publishing where no reader can see it. The named file holds every frame of its writers."""
    racers = [python_child(RACING_WRITER, stdin=subprocess.PIPE) for _ in widths]
    children.extend(racers)
    for racer in racers:
        assert racer.stdout.readline() == "ready\n"
    outcomes = []
    for round in range(15):
        name = ring_names(f"race{round}")
        _old_ring(name)
        for racer, width in zip(racers, widths):
            racer.stdin.write(f"{name} {width}\n")
        for racer in racers:
            racer.stdin.flush()
        results = [json.loads(racer.stdout.readline()) for racer in racers]
        for racer in racers:
            racer.stdin.write("more\n")
            racer.stdin.flush()
        mores = [json.loads(racer.stdout.readline()) for racer in racers]
        named = os.lstat(f"/dev/shm/{name}").st_ino
        into_named = 0
        for r, more in zip(results, mores):
            what = f"round {round}: {results} then {mores}"
            if "error" in r:
                assert any(e in r["error"] for e in CLEAR_ERRORS), what
                outcomes.append("refused")
            elif r["inodes"] == [named]:
                assert "error" not in more, what
                into_named += more["published"]
                outcomes.append("published")
            else:
                assert "was replaced by another producer" in more.get("error", ""), \
                    f"{what}: pid {r['pid']} published into a file that lost its name"
                outcomes.append("replaced after publishing")
        assert into_named >= 21 and nanobroker.status(name)["head"] == into_named, what
    print("outcomes:", {o: outcomes.count(o) for o in set(outcomes)})
    for racer in racers:
        racer.stdin.close()
        assert racer.wait(timeout=30) == 0
