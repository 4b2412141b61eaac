"""Shared helpers: unique ring names that are removed afterwards, deadline waits, the Java launcher."""

import glob
import itertools
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

PYTHON_DIR = Path(__file__).resolve().parents[1]
ROOT = PYTHON_DIR.parent
LAUNCHER = ROOT / "nanobroker"
sys.path.insert(0, str(PYTHON_DIR))

import nanobroker  # noqa: E402  (after the path is set)

_counter = itertools.count()


def wait_until(condition, timeout, what):
    """Polls condition() until it returns a true value (returned) or timeout seconds pass (fails)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.005)


def _remove_ring_files(name):
    for path in [f"/dev/shm/{name}", *glob.glob(f"/dev/shm/.{name}.creating-*")]:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


@pytest.fixture
def ring_name(request):
    """A ring name unique to this test, nbtest-py-<pid>-<n>-<test>; its files are removed afterwards."""
    test = request.node.name.replace("test_", "")[:40]
    test = "".join(c if c.isalnum() or c in "-_" else "-" for c in test)
    name = f"nbtest-py-{os.getpid()}-{next(_counter)}-{test}"
    _remove_ring_files(name)
    yield name
    _remove_ring_files(name)


@pytest.fixture
def ring_names(request):
    """A factory of more unique names, all removed afterwards."""
    names = []

    def make(suffix):
        name = f"nbtest-py-{os.getpid()}-{next(_counter)}-{suffix}"
        names.append(name)
        return name

    yield make
    for name in names:
        _remove_ring_files(name)


@pytest.fixture(scope="session")
def java():
    """The Java launcher, built once (its first run builds the jar)."""
    if not LAUNCHER.exists():
        pytest.fail(f"no launcher at {LAUNCHER}")
    result = subprocess.run([str(LAUNCHER), "--version"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        pytest.fail(f"./nanobroker --version failed: {result.stderr}")
    return Java()


class Java:
    """Runs ./nanobroker commands; every process started is stopped at the end of the test."""

    def __init__(self):
        self.processes = []

    def start(self, *args):
        p = subprocess.Popen([str(LAUNCHER), *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, start_new_session=True)
        self.processes.append(p)
        return p

    def run(self, *args, timeout=60):
        return subprocess.run([str(LAUNCHER), *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)

    def stat(self, name):
        r = self.run("stat", name, "--json")
        assert r.returncode == 0, r.stderr
        return json.loads(r.stdout)

    @staticmethod
    def finish(p, timeout):
        """Waits for a started command and returns its stdout parsed as JSON."""
        out, err = p.communicate(timeout=timeout)
        assert p.returncode == 0, f"exit {p.returncode}: {err}"
        return json.loads(out.strip().splitlines()[-1])

    def stop_all(self):
        for p in self.processes:
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                    p.wait(timeout=10)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    os.killpg(p.pid, signal.SIGKILL)
                    p.wait()
        self.processes.clear()


@pytest.fixture
def jvm(java):
    yield java
    java.stop_all()


@pytest.fixture
def children():
    """Python child processes, killed at the end of the test."""
    procs = []
    yield procs
    for p in procs:
        if p.poll() is None:
            p.kill()
        p.wait()


def python_child(code, *args, stdin=None):
    """Starts /usr/bin/python3 running `code` with the nanobroker package importable."""
    env = dict(os.environ, PYTHONPATH=str(PYTHON_DIR))
    return subprocess.Popen([sys.executable, "-c", code, *args], stdin=stdin, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def proc_token(pid):
    """The identity token of process pid, from its /proc/PID/stat read as bytes (fields after the last ')')."""
    with open(f"/proc/{pid}/stat", "rb") as f:
        data = f.read()
    fields = data[data.rindex(b")") + 2:].split(b" ")
    return (pid << 32) | (int(fields[19]) & 0xFFFFFFFF)  # fields[0] is field 3; field 22 is fields[19]
