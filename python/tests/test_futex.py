"""wait="futex" (the default): readers sleep in the kernel on HEAD and writers wake them (spec
section 8, publishing steps 11-12 and closing; section 9, "Sleeping"; section 10, step 4).

Each test prints what it measured (run pytest with -s or -rP to see it)."""

import json
import os
import random
import signal
import statistics
import threading
import time

import pytest

import nanobroker
from conftest import python_child, wait_until

# A reader process: attaches, says so, then reads `frames` frames (futex wait, the default) and
# prints what it saw as one JSON line. Its longest wait leaves out the first, which waits for the
# test to start publishing.
READER = """
import json, sys, time, nanobroker
name, frames, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
seqs, latencies, longest_wait = [], [], 0.0
with nanobroker.Reader(name, mode="every", wait=30) as reader:
    print("ready", reader.line, flush=True)
    for n in range(frames):
        started = time.monotonic()
        with reader.next(timeout=timeout) as frame:
            if n > 0:
                longest_wait = max(longest_wait, time.monotonic() - started)
            seqs.append(frame.seq)
            latencies.append(frame.latency_ns)
    print(json.dumps(dict(seqs=seqs, latencies=latencies, longest_wait=longest_wait, lost=reader.lost,
                          sleeps=reader.sleeps, missed_wakeups=reader.missed_wakeups)), flush=True)
"""


def _start_reader(children, name, frames, timeout):
    reader = python_child(READER, name, str(frames), str(timeout))
    children.append(reader)
    ready = reader.stdout.readline().split()
    assert ready and ready[0] == "ready", reader.stderr.read()
    return reader, int(ready[1])


def _result(reader):
    out, err = reader.communicate(timeout=120)
    assert reader.returncode == 0, err
    return json.loads(out)


def _bit_set(name, line):
    return nanobroker.status(name)["sleepers"] & (1 << line)


def _publish(writer):
    with writer.claim():
        pass


def _percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def test_sleeping_reader_is_woken_by_each_publish_within_microseconds(ring_name, children):
    frames = 200
    with nanobroker.Writer(ring_name, width=64, height=64, slots=8) as writer:
        reader, line = _start_reader(children, ring_name, frames, 5.0)
        wait_until(lambda: _bit_set(ring_name, line), 10, "the reader to sleep")
        for _ in range(frames):
            time.sleep(random.uniform(0.001, 0.005))  # the stimulus: a frame every 1-5 ms
            _publish(writer)
        result = _result(reader)
    latencies_us = [ns / 1000 for ns in result["latencies"]]
    p50, p99, worst = _percentile(latencies_us, 0.5), _percentile(latencies_us, 0.99), max(latencies_us)
    print(f"futex wake-up, publish to poll, {frames} frames 1-5 ms apart: p50 {p50:.0f} us, p99 {p99:.0f} us, "
          f"max {worst:.0f} us; {result['sleeps']} sleeps")
    assert result["seqs"] == list(range(frames))
    assert result["missed_wakeups"] == 0
    # The frames found the reader asleep and woke it (each one, unless the machine is so busy that
    # the reader was still at the last one when the next came).
    assert result["sleeps"] >= frames // 2
    assert p50 < 2000, "a lost wake-up shows as a sleep to the end of its 50 ms slice"


def _publish_bursts(writer, frames, rng):
    """Bursts of 1-16 frames a few microseconds apart; between bursts a pause of a few microseconds
    (where a reader is about to sleep as the frame comes: the race), up to 1 ms, or, after one burst in
    a hundred, 70 ms: longer than a sleep's 50 ms slice, so that a wake-up lost there ends in the
    time limit with a frame out, which the reader counts in missed_wakeups."""

    def busy(seconds):
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            pass

    published = 0
    while published < frames:
        for _ in range(min(rng.randint(1, 16), frames - published)):
            busy(rng.uniform(0, 20e-6))
            _publish(writer)
            published += 1
        pause = rng.random()
        if pause < 0.01:
            time.sleep(0.07)
        elif pause < 0.3:
            time.sleep(rng.uniform(50e-6, 1e-3))
        else:
            busy(rng.uniform(0, 50e-6))


def test_no_lost_wakeup_between_processes_over_20000_frames(ring_name, children):
    """The race of section 9, "Sleeping": two reader processes going to sleep while a writer process
    publishes at random tiny gaps. Every frame arrives, no wait comes near the 5 s timeout, and no
    sleep ran out with a frame published a millisecond before its end."""
    frames = 20_000
    with nanobroker.Writer(ring_name, width=16, height=16, slots=8, checksum=False) as writer:
        readers = [_start_reader(children, ring_name, frames, 5.0)[0] for _ in range(2)]
        started = time.monotonic()
        _publish_bursts(writer, frames, random.Random(14))
        results = [_result(r) for r in readers]
        elapsed = time.monotonic() - started
    for result in results:
        latencies_us = [ns / 1000 for ns in result["latencies"]]
        print(f"{frames} frames in {elapsed:.1f} s: {result['sleeps']} sleeps, {result['missed_wakeups']} missed "
              f"wake-ups, longest wait {result['longest_wait'] * 1000:.1f} ms, latency p50 "
              f"{_percentile(latencies_us, 0.5):.0f} us, p99 {_percentile(latencies_us, 0.99):.0f} us, "
              f"max {max(latencies_us):.0f} us")
        assert result["seqs"] == list(range(frames)) and result["lost"] == 0
        assert result["longest_wait"] < 1.0
        assert result["missed_wakeups"] == 0
        assert result["sleeps"] > 1000, "the readers went to sleep often, so the race was run often"


def _thread_cpu_seconds(thread):
    return time.clock_gettime(time.pthread_getcpuclockid(thread.ident))


class _WaitingReader(threading.Thread):
    """A reader waiting in a thread of this process, without the GIL; remembers how its wait ended."""

    def __init__(self, reader, timeout):
        super().__init__(daemon=True)
        self.reader, self.timeout, self.outcome, self.ended_ns = reader, timeout, None, None

    def run(self):
        try:
            self.outcome = self.reader.poll(timeout=self.timeout)
        except nanobroker.RingClosed as e:
            self.outcome = e
        self.ended_ns = time.monotonic_ns()


def test_idle_futex_reader_uses_no_cpu(ring_name):
    with nanobroker.Writer(ring_name, width=8, height=8) as writer, \
            nanobroker.Reader(ring_name, mode="every") as reader:
        waiting = _WaitingReader(reader, 30)
        waiting.start()
        wait_until(lambda: _bit_set(ring_name, reader.line), 10, "the reader to sleep")
        cpu_before, wall_before = _thread_cpu_seconds(waiting), time.monotonic()
        time.sleep(1.0)  # the measured interval
        cpu, wall = _thread_cpu_seconds(waiting) - cpu_before, time.monotonic() - wall_before
        _publish(writer)
        waiting.join(10)
        assert waiting.outcome is not None and waiting.outcome.seq == 0
        waiting.outcome.release()
    print(f"idle futex reader: {cpu * 1e6:.0f} us of CPU in {wall:.2f} s ({100 * cpu / wall:.3f} % of a core), "
          f"{reader.sleeps} sleeps")
    assert cpu / wall < 0.05


def test_closing_the_writer_wakes_a_sleeping_reader_at_once(ring_name):
    writer = nanobroker.Writer(ring_name, width=8, height=8)
    with nanobroker.Reader(ring_name, mode="every") as reader:
        waiting = _WaitingReader(reader, 10)
        waiting.start()
        wait_until(lambda: _bit_set(ring_name, reader.line), 10, "the reader to sleep")
        closed_ns = time.monotonic_ns()
        writer.close()
        waiting.join(15)
        assert isinstance(waiting.outcome, nanobroker.RingClosed), waiting.outcome
        elapsed_ms = (waiting.ended_ns - closed_ns) / 1e6
        print(f"close to RingClosed in the sleeping reader: {elapsed_ms:.2f} ms")
        # Not woken, it would sleep to the end of its slice: ~40 ms after a close a few ms in.
        assert elapsed_ms < 25
        assert nanobroker.status(ring_name)["sleepers"] == 0


SLEEPER = """
import sys, nanobroker
reader = nanobroker.Reader(sys.argv[1], mode="every", wait=30)
print("ready", reader.line, flush=True)
try:
    reader.next(timeout=60)
except KeyboardInterrupt:
    print("interrupted", flush=True)
"""


def test_reader_killed_asleep_leaves_its_bit_until_a_writer_reclaims_its_line(ring_name, children):
    with nanobroker.Writer(ring_name, width=8, height=8) as writer:
        victim = python_child(SLEEPER, ring_name)
        children.append(victim)
        line = int(victim.stdout.readline().split()[1])
        wait_until(lambda: _bit_set(ring_name, line), 10, "the victim to sleep")
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait()
        status = nanobroker.status(ring_name)
        assert status["sleepers"] == 1 << line and [r["alive"] for r in status["readers"]] == [False]
        _publish(writer)  # its claim sweeps dead readers first (section 8, step 0)
        status = nanobroker.status(ring_name)
        assert status["sleepers"] == 0 and status["readers"] == []


def test_ctrl_c_interrupts_a_sleeping_reader_at_once(ring_name, children):
    with nanobroker.Writer(ring_name, width=8, height=8):
        sleeper = python_child(SLEEPER, ring_name)
        children.append(sleeper)
        line = int(sleeper.stdout.readline().split()[1])
        wait_until(lambda: _bit_set(ring_name, line), 10, "the reader to sleep")
        sent = time.monotonic()
        os.kill(sleeper.pid, signal.SIGINT)
        assert sleeper.stdout.readline().strip() == "interrupted"
        elapsed_ms = (time.monotonic() - sent) * 1000
        assert sleeper.wait(10) == 0
        print(f"SIGINT to KeyboardInterrupt in a sleeping reader: {elapsed_ms:.1f} ms")
        assert nanobroker.status(ring_name)["sleepers"] == 0


def test_wait_must_be_one_of_the_four(ring_name):
    with nanobroker.Writer(ring_name, width=8, height=8), nanobroker.Reader(ring_name) as reader:
        with pytest.raises(ValueError, match="wait must be 'futex', 'backoff', 'spin' or 'yield', not 'sleep'"):
            reader.poll(wait="sleep")
        for wait in ("futex", "backoff", "spin", "yield"):
            assert reader.poll(timeout=0.01, wait=wait) is None
