"""Files that are not (whole) rings raise RingError with a clear message; never a crash."""

import os
import re
import struct

import pytest

import nanobroker


def _path(name):
    return f"/dev/shm/{name}"


def _make_ring(name, width=64, height=48, slots=4):
    with nanobroker.Writer(name, width=width, height=height, slots=slots):
        pass
    return nanobroker.status(name)


def _patch(name, offset, fmt, value):
    with open(_path(name), "r+b") as f:
        f.seek(offset)
        f.write(struct.pack(fmt, value))


def _refused_by_reader_and_writer(name, message):
    before = open(_path(name), "rb").read()
    with pytest.raises(nanobroker.RingError, match=message):
        nanobroker.Reader(name)
    with pytest.raises(nanobroker.RingError, match=message):
        nanobroker.status(name)
    # A writer never replaces a file that is not a valid ring: the user has to remove it.
    with pytest.raises(nanobroker.RingError, match=message):
        nanobroker.Writer(name, width=64, height=48, slots=4)
    assert open(_path(name), "rb").read() == before, "the file was left as it was"


def test_junk_file(ring_name):
    with open(_path(ring_name), "wb") as f:
        f.write(os.urandom(8192))
    _refused_by_reader_and_writer(ring_name, "is not a NanoBroker ring")


def test_empty_and_short_files(ring_name):
    for size in (0, 10, 63):
        with open(_path(ring_name), "wb") as f:
            f.write(b"\x00" * size)
        _refused_by_reader_and_writer(ring_name, rf"is truncated: {size} bytes")


def test_truncated_ring(ring_name):
    status = _make_ring(ring_name)
    os.truncate(_path(ring_name), status["file_length"] - 4096)
    # Mapping it and touching the last slot would be SIGBUS: it must be refused before the mmap.
    _refused_by_reader_and_writer(
        ring_name, f"is truncated: {status['file_length'] - 4096} bytes, its header says {status['file_length']}")


def test_header_only(ring_name):
    status = _make_ring(ring_name)
    os.truncate(_path(ring_name), status["pixels_offset"])
    _refused_by_reader_and_writer(ring_name, "is truncated")


def test_wrong_version(ring_name):
    _make_ring(ring_name)
    _patch(ring_name, 8, "<i", 99)
    _refused_by_reader_and_writer(ring_name, "has layout version 99; this implementation reads version 4 only")


def test_version_2_ring_is_refused(ring_name):
    """A version-2 file (one DROPS counter, no SKIPPED) is refused like any other version: a version-2
    reader would leave SKIPPED as it is and count skipped frames in LOST."""
    _make_ring(ring_name)
    _patch(ring_name, 8, "<i", 2)  # a valid v4 header, VERSION patched to 2: otherwise a valid v2 header
    _refused_by_reader_and_writer(ring_name, re.escape(
        f"ring {ring_name} ({_path(ring_name)}) has layout version 2; this implementation reads version 4 only"))


def test_version_3_ring_is_refused(ring_name):
    """A version-3 file (no SLEEPERS) is refused: a version-3 writer never wakes a reader that sleeps
    on HEAD, which would then only see each frame at the end of its sleep."""
    _make_ring(ring_name)
    _patch(ring_name, 8, "<i", 3)  # a valid v4 header, VERSION patched to 3: otherwise a valid v3 header
    _refused_by_reader_and_writer(ring_name, re.escape(
        f"ring {ring_name} ({_path(ring_name)}) has layout version 3; this implementation reads version 4 only"))


def test_wrong_pixel_format(ring_name):
    _make_ring(ring_name)
    _patch(ring_name, 12, "<i", 7)
    _refused_by_reader_and_writer(ring_name, "unknown pixel format 7")


def test_inconsistent_header(ring_name):
    status = _make_ring(ring_name)
    _patch(ring_name, 48, "<q", 1 << 40)  # FILE_LENGTH that does not follow from the geometry
    _refused_by_reader_and_writer(ring_name, "inconsistent header")
    _patch(ring_name, 48, "<q", status["file_length"])
    _patch(ring_name, 20, "<i", 0)  # width 0
    _refused_by_reader_and_writer(ring_name, "width 0 is outside")


def test_symlink_and_directory(ring_name, ring_names, tmp_path):
    target = ring_names("target")
    _make_ring(target)
    os.symlink(_path(target), _path(ring_name))
    with pytest.raises(nanobroker.RingError, match="is a symbolic link"):
        nanobroker.Reader(ring_name)
    os.unlink(_path(ring_name))
    os.mkdir(_path(ring_name))
    try:
        with pytest.raises(nanobroker.RingError, match="is not a regular file"):
            nanobroker.Reader(ring_name)
    finally:
        os.rmdir(_path(ring_name))


def test_missing_ring_and_bad_names(ring_name):
    with pytest.raises(nanobroker.RingNotFound, match="does not exist"):
        nanobroker.Reader(ring_name)
    with pytest.raises(nanobroker.RingNotFound):
        nanobroker.Reader(ring_name, wait=0.05)
    for bad in ("", ".hidden", "a/b", "x" * 129, "-dash", "sp ace"):
        with pytest.raises(nanobroker.RingError, match="bad ring name"):
            nanobroker.Reader(bad)
        with pytest.raises(nanobroker.RingError, match="bad ring name"):
            nanobroker.Writer(bad, width=8, height=8)


def test_bad_geometry_and_arguments(ring_name):
    for kwargs, message in [
        (dict(width=0, height=8), "width 0"), (dict(width=8, height=20000), "height 20000"),
        (dict(width=8, height=8, slots=0), "slot count 0"), (dict(width=8, height=8, slots=5000), "slot count"),
        (dict(width=8, height=8, row_stride=30), "row stride 30"),
        (dict(width=8, height=8, policy="wait"), "policy must be"),
        (dict(width=8, height=8, block_timeout=-1), "block_timeout"),
    ]:
        with pytest.raises(ValueError, match=message):
            nanobroker.Writer(ring_name, **kwargs)
    assert not os.path.exists(_path(ring_name))
    with pytest.raises(ValueError, match="mode must be"):
        nanobroker.Reader(ring_name, mode="newest")
