"""NanoBroker rings from Python: NumPy views of shared-memory video frames, no copy.

The ring itself (mapping, header atomics, lock, policies, liveness) is the C++20 extension
``nanobroker._ring``, written from docs/ring-layout.md. This file only wraps it in context managers
and NumPy views::

    import nanobroker
    with nanobroker.Reader("cam0", mode="every") as reader:
        with reader.next(timeout=1.0) as frame:
            print(frame.seq, frame.array.mean())      # frame.array: (height, width, 4) uint8, BGRA
        print(frame.intact)                           # the seqlock check made on release

See docs/python.md.
"""

from __future__ import annotations

import os
import time

import numpy as np

try:
    from . import _ring
except ImportError as e:  # not built, or built for another Python
    raise ImportError(f"nanobroker's C++ module is not built for this Python ({e}); build it with "
                      f"python/build.sh, which builds for Debian's /usr/bin/python3") from e
from ._ring import RingClosed, RingError, RingNotFound, checksum, own_token, status, token_alive

__all__ = [
    "Reader", "Writer", "Frame", "Claim", "FrameArray", "RingError", "RingNotFound", "RingClosed",
    "FrameReleased", "FrameDropped", "status", "remove", "checksum", "own_token", "token_alive",
]

MODES = {"every": 1, "latest": 2}


class FrameReleased(RingError):
    """A frame's array was used after its frame was released (or published): its slot may hold
    another frame by now."""


class FrameDropped(RingError):
    """Writer.claim(): the writer's overflow policy dropped the frame (ring full)."""


def _escape(x):
    """The plain ndarray behind a FrameArray (checked), anything else unchanged."""
    if isinstance(x, FrameArray):
        x._check()
        return x.view(np.ndarray)
    if isinstance(x, (tuple, list)):
        return type(x)(_escape(y) for y in x)
    return x


class FrameArray(np.ndarray):
    """The ndarray that ``frame.array`` and ``claim.array`` hand out: a view of the slot in the mapping,
    no copy. It remembers its frame; once the frame is released (left its ``with`` block), every use
    through NumPy -- indexing, ufuncs and operators, reductions, ``np.*`` functions, methods, repr --
    raises FrameReleased instead of reading a slot the writer may be rewriting. Views made from it
    (slices, reshapes, transposes) are FrameArrays of the same frame and are guarded alike.

    Not guarded (plain memory, as in C): what you turned into a plain array or buffer yourself while
    the frame was held -- ``np.asarray(a)``, ``a.view(np.ndarray)``, ``a.base``, ``memoryview(a)``,
    ``a.ctypes`` -- and C code (OpenCV, ...) that keeps the pointer. Copy what must outlive the frame:
    ``a.copy()``.
    """

    _frame = None

    def __array_finalize__(self, obj):
        # A view of the slot belongs to the frame; a copy (own memory) belongs to nobody.
        self._frame = None if self.flags.owndata else getattr(obj, "_frame", None)

    def _check(self):
        frame = self._frame
        if frame is not None and not frame._held:
            raise FrameReleased(frame._released_message())

    def __array_ufunc__(self, ufunc, method, *inputs, out=None, **kwargs):
        inputs = _escape(inputs)
        if out is not None:
            kwargs["out"] = _escape(out)
        result = getattr(ufunc, method)(*inputs, **kwargs)
        if out is not None:  # results are the out arrays: give back the caller's objects
            return out[0] if len(out) == 1 else out
        return result

    def __array_function__(self, func, types, args, kwargs):
        _escape(args)
        _escape(list(kwargs.values()))
        self._check()
        return super().__array_function__(func, types, args, kwargs)

    @property
    def data(self):
        self._check()
        return super().data

    @property
    def flat(self):
        self._check()
        return super().flat

    @property
    def ctypes(self):
        self._check()
        return super().ctypes


def _guard(name):
    method = getattr(np.ndarray, name)

    def guarded(self, *args, **kwargs):
        self._check()
        result = method(self, *args, **kwargs)
        if type(result) is FrameArray and result._frame is None:
            return result.view(np.ndarray)  # a copy (a.copy(), a.astype(...)): a plain array
        return result

    guarded.__name__ = name
    guarded.__doc__ = method.__doc__
    return guarded


# Every ndarray method that can read or write the data goes through the check first. (Arithmetic
# operators and most reductions are ufuncs, guarded by __array_ufunc__ as well.)
for _name in dir(np.ndarray):
    if _name in ("__array_finalize__", "__array_ufunc__", "__array_function__", "__array_priority__",
                 "__new__", "__init__", "__init_subclass__", "__subclasshook__", "__class__",
                 "__getattribute__", "__setattr__", "__delattr__", "__dir__", "__sizeof__",
                 "__class_getitem__", "__len__", "__hash__", "__array_interface__", "__array_struct__",
                 "data", "flat", "ctypes"):
        continue
    _attr = getattr(np.ndarray, _name)
    if callable(_attr) and not isinstance(_attr, type):
        setattr(FrameArray, _name, _guard(_name))
del _name, _attr


class _SlotView:
    """What a Reader's Frame and a Writer's Claim share: an array over the slot itself that refuses
    to be used once the slot is let go (released, published or aborted), and the with-block."""

    __slots__ = ("_array", "_held", "__weakref__")

    def _bind(self, slot_array):
        self._held = True
        array = slot_array.view(FrameArray)
        array._frame = self
        self._array = array

    @property
    def array(self) -> FrameArray:
        """(height, width, 4) uint8, bytes B, G, R, A (premultiplied): the slot itself, no copy;
        read-only for a reader, writable until publish for a writer."""
        if not self._held:
            raise FrameReleased(self._released_message())
        return self._array

    @property
    def held(self) -> bool:
        return self._held

    def __enter__(self):
        return self


class Frame(_SlotView):
    """A frame held by a Reader: ``with reader.next() as frame:``. Leaving the block releases it."""

    __slots__ = ("seq", "slot", "timestamp_ns", "latency_ns", "checksum", "source_seq", "intact", "_reader")

    def __init__(self, reader: "Reader", info):
        # source_seq: the frame's sequence in the ring it was first published in; for a copy a bridge
        # received from another ring, its sequence there (gaps are frames skipped on the way), else seq.
        self.seq, self.slot, self.timestamp_ns, self.latency_ns, self.checksum, self.source_seq = info
        self.intact = None  # known on release
        self._reader = reader
        self._bind(reader._slot_arrays[self.slot])

    @property
    def observed_ns(self) -> int:
        """CLOCK_MONOTONIC ns when the frame was polled (= timestamp_ns + latency_ns)."""
        return self.timestamp_ns + self.latency_ns

    def verify(self):
        """True/False: the pixels match the checksum the writer stored; None: the writer stored none.
        Computed in place, while the frame is held; trust it only if the frame is intact on release."""
        if not self._held:
            raise FrameReleased(self._released_message())
        if self.checksum == 0:
            return None
        return self._reader._r.held_checksum() == self.checksum

    def release(self) -> bool:
        """Releases the frame (once); returns whether it stayed intact while held (the seqlock check)."""
        if self._held:
            self._held = False
            self._reader._current = None
            self.intact = self._reader._r.release()
        return bool(self.intact)

    def _abandon(self):
        self._held = False

    def _released_message(self):
        return (f"frame {self.seq} of ring {self._reader.name} was released (its with block ended); its slot "
                f"may hold another frame by now. Copy what must outlive the block inside it: frame.array.copy()")

    def __exit__(self, *exc):
        self.release()
        return False

    def __repr__(self):
        state = "held" if self._held else f"released, intact={self.intact}"
        return f"<nanobroker.Frame seq={self.seq} slot={self.slot} {state}>"


class Reader:
    """A reader line of ring ``name``, attached exactly like a Java reader (it shows in
    ``nanobroker stat`` and in every viewer's overlay).

    mode: "latest" (each frame is the newest one; the frames passed over count as ``skipped``, not
    ``lost``) or "every" (every frame in order). wait: seconds to wait for the ring to appear (0 = it
    must exist).

    Counters since attach (the same numbers ``status()`` and ``nanobroker stat`` show): ``frames``
    read intact, ``skipped`` by design (latest mode only), ``lost`` (lapped by an overwrite writer, or
    torn) and ``torn`` (a subset of ``lost``). Once caught up (nothing held, nothing new),
    ``frames + skipped + lost`` is the number of frames published since attach.
    """

    def __init__(self, name: str, mode: str = "latest", wait: float = 0.0):
        if mode not in MODES:
            raise ValueError(f"mode must be 'every' or 'latest', not {mode!r}")
        self.name = name
        self.mode = mode
        self._current = None
        deadline = time.monotonic() + wait
        while True:
            try:
                self._r = _ring.Reader(name, MODES[mode])
                break
            except RingNotFound:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.01)
        g = self._r.geometry
        self.width, self.height, self.row_stride, self.slots = g["width"], g["height"], g["row_stride"], g["slots"]
        self._slot_arrays = [self._r.slot_array(s) for s in range(self.slots)]

    def next(self, timeout: float | None = 1.0, wait: str = "futex") -> Frame:
        """The next frame, held until its ``with`` block ends (or ``frame.release()``).

        Raises TimeoutError when none comes within ``timeout`` seconds (None: wait forever) and
        RingClosed when the producer closed the ring and every frame is read, or the ring was
        replaced. wait: "futex" (spin a few microseconds, then sleep in the kernel until a writer
        publishes: no CPU while idle, woken within microseconds), "backoff" (spin, yield, then sleep
        up to 1 ms: little CPU, up to ~1 ms late), "spin" (lowest latency, one core busy) or "yield".
        The GIL is released while waiting.
        """
        frame = self.poll(timeout, wait)
        if frame is None:
            raise TimeoutError(f"no frame from ring {self.name} within {timeout} s")
        return frame

    def poll(self, timeout: float | None = 0.0, wait: str = "futex") -> Frame | None:
        """Like next(), but returns None instead of raising TimeoutError."""
        if self._current is not None:
            raise RingError(f"frame {self._current.seq} is still held: release it (leave its with block) first")
        info = self._r.next(-1.0 if timeout is None else float(timeout), wait)
        if info is None:
            return None
        self._current = Frame(self, info)
        return self._current

    def close(self):
        """Frees the reader line (a held frame is abandoned: its array raises FrameReleased)."""
        if self._current is not None:
            self._current._abandon()
            self._current = None
        self._r.close()

    @property
    def closed(self) -> bool:
        return self._r.closed

    @property
    def line(self) -> int:
        """The reader line (0..15) this reader holds in the ring."""
        return self._r.line

    @property
    def frames(self) -> int:
        """Frames released intact since attach."""
        return self._r.frames

    @property
    def skipped(self) -> int:
        """Frames passed over by design: a latest reader jumping to the newest frame. Always 0 in
        every mode. Not a loss."""
        return self._r.skipped

    @property
    def lost(self) -> int:
        """Frames this reader wanted but did not get intact: lapped by an overwrite writer (every
        mode) or overwritten while held (torn). Always 0 under the block and drop policies."""
        return self._r.lost

    @property
    def torn(self) -> int:
        """Frames overwritten while held (release returned False); a subset of ``lost``."""
        return self._r.torn

    @property
    def sleeps(self) -> int:
        """Times this reader slept in the kernel (wait="futex"): each is a FUTEX_WAIT system call,
        ended by a writer's publish or close, a signal, or a periodic check (at most every 50 ms)."""
        return self._r.sleeps

    @property
    def missed_wakeups(self) -> int:
        """Sleeps that ran to their limit although a frame had been published at least 1 ms
        earlier: a wake-up that never came. 0 unless a writer does not wake sleepers (spec section
        8, publishing step 12); such frames arrive up to 50 ms late."""
        return self._r.missed_wakeups

    @property
    def tail(self) -> int:
        return self._r.tail

    @property
    def address(self) -> int:
        """Address of the ring's mapping in this process (slot s at address + pixels_offset + s * slot_stride)."""
        return self._r.address

    @property
    def geometry(self) -> dict:
        return self._r.geometry

    def replaced(self) -> bool:
        """True when /dev/shm/NAME now names another file (a producer replaced the ring) or none."""
        return self._r.replaced()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __repr__(self):
        return f"<nanobroker.Reader {self.name} {self.mode} line={self.line} tail={self.tail}>"


class Claim(_SlotView):
    """A slot claimed by a Writer: ``with writer.claim() as frame: frame.array[...] = ...``.
    Leaving the block publishes the frame; an exception inside it aborts the claim."""

    __slots__ = ("seq", "slot", "timestamp_ns", "published", "_writer")

    def __init__(self, writer: "Writer", seq: int):
        self.seq = seq
        self.slot = seq % writer.slots
        self.timestamp_ns = None  # CLOCK_MONOTONIC ns of the publish
        self.published = False
        self._writer = writer
        self._bind(writer._slot_arrays[self.slot])

    def publish(self, timestamp_ns: int | None = None) -> int:
        """Publishes the frame (with its checksum, unless the writer has checksum=False), stamped
        with the time now, or with ``timestamp_ns`` when given: a ``time.monotonic_ns()`` at which
        the frame came to be, such as its capture time or the time of a frame it relays, so that
        readers measure latency from there. Inside a with-block, leaving it then publishes nothing more."""
        if not self._held:
            raise RingError(f"frame {self.seq} was already published or aborted")
        self._held = False
        self._writer._current = None
        self.timestamp_ns = self._writer._w.publish(timestamp_ns)
        self.published = True
        return self.seq

    def abort(self):
        """Gives the slot up unpublished (its old frame is gone; the next claim reuses this sequence)."""
        if self._held:
            self._held = False
            self._writer._current = None
            self._writer._w.abort()

    def _released_message(self):
        what = "published" if self.published else "aborted"
        return (f"frame {self.seq} of ring {self._writer.name} was {what}; its slot belongs to the readers "
                f"and the next claims now")

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            if self._held:
                self.publish()
        else:
            self.abort()
        return False

    def __repr__(self):
        state = "claimed" if self._held else ("published" if self.published else "aborted")
        return f"<nanobroker.Claim seq={self.seq} slot={self.slot} {state}>"


class Writer:
    """A writer of ring ``name``: creates it (or joins one of the same geometry, or replaces one of
    another geometry whose producer is gone) and publishes frames under the ring's write lock.

    policy: what claim() does when the slowest reader is a whole ring behind: "block" (wait up to
    block_timeout seconds, then drop), "drop" (drop at once) or "overwrite" (write anyway).
    checksum: store each frame's checksum, so ``nanobroker read NAME --verify`` checks it.
    """

    def __init__(self, name: str, width: int, height: int, slots: int = 8, policy: str = "block",
                 block_timeout: float = 1.0, row_stride: int | None = None, checksum: bool = True):
        self.name = name
        self.policy = policy
        self._current = None
        self._w = _ring.Writer(name, int(width), int(height), int(row_stride or 0), int(slots), policy,
                               float(block_timeout), bool(checksum))
        g = self._w.geometry
        self.width, self.height, self.row_stride, self.slots = g["width"], g["height"], g["row_stride"], g["slots"]
        self._slot_arrays = [self._w.slot_array(s) for s in range(self.slots)]

    def try_claim(self) -> Claim | None:
        """Claims the next slot; None when the policy dropped the frame."""
        if self._current is not None:
            raise RingError(f"frame {self._current.seq} is still claimed: publish or abort it first")
        seq = self._w.claim()
        if seq is None:
            return None
        self._current = Claim(self, seq)
        return self._current

    def claim(self) -> Claim:
        """Claims the next slot; raises FrameDropped when the policy dropped the frame."""
        c = self.try_claim()
        if c is None:
            raise FrameDropped(f"ring {self.name} is full: the {self.policy} policy dropped the frame")
        return c

    def close(self):
        """Detaches the writer (aborting a pending claim); the last live writer marks the ring closed.
        The file stays: remove(name) removes it."""
        if self._current is not None:
            self._current.abort()
        self._w.close()

    @property
    def closed(self) -> bool:
        return self._w.closed

    @property
    def published(self) -> int:
        """Frames this writer published."""
        return self._w.published

    @property
    def dropped(self) -> int:
        """Frames this writer's policy dropped."""
        return self._w.dropped

    @property
    def address(self) -> int:
        return self._w.address

    @property
    def geometry(self) -> dict:
        return self._w.geometry

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __repr__(self):
        return f"<nanobroker.Writer {self.name} {self.width}x{self.height} {self.slots} slots {self.policy}>"


def remove(name: str, force: bool = False) -> None:
    """Removes ring ``name`` (unlink /dev/shm/NAME); refuses while its producer is alive unless force."""
    if not _ring.valid_name(name):
        raise RingError(f"bad ring name {name!r}")
    if not force:
        try:
            live = _ring.live_writers(name)
        except RingNotFound:
            raise
        except RingError:
            live = 0  # not a valid ring: removing it is what the user wants
        if live:
            raise RingError(f"ring {name} has {live} live writer(s); use force=True to remove it anyway")
    try:
        os.unlink(f"/dev/shm/{name}")
    except FileNotFoundError:
        raise RingNotFound(f"no ring {name} (/dev/shm/{name} does not exist)") from None
