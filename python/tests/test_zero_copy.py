"""frame.array is the slot in the mapping, not a copy; after release it refuses to be used."""

import mmap
import os
import pickle

import numpy as np
import pytest

import nanobroker


def _pointer(array):
    return array.__array_interface__["data"][0]


def _publish(writer, value):
    with writer.claim() as frame:
        frame.array[...] = value


def test_array_is_a_view_into_the_mapping(ring_name):
    slots = 4
    with nanobroker.Writer(ring_name, width=64, height=48, slots=slots) as writer, \
            nanobroker.Reader(ring_name, mode="every") as reader:
        g = reader.geometry
        pointers = {}
        for seq in range(2 * slots):
            _publish(writer, seq)
            with reader.next() as frame:
                a = frame.array
                slot_start = reader.address + g["pixels_offset"] + frame.slot * g["slot_stride"]
                assert _pointer(a) == slot_start, "the array starts at the slot's pixels in the mapping"
                assert reader.address <= _pointer(a) < reader.address + g["file_length"]
                assert a.strides == (g["row_stride"], 4, 1) and not a.flags.owndata
                assert np.shares_memory(a, frame.array[10:20, 5:9])
                pointers.setdefault(frame.slot, []).append(_pointer(a))
        # Frames s and s + slots are the same memory: the slot, reused.
        assert all(len(set(p)) == 1 and len(p) == 2 for p in pointers.values())

        # The writer's array is the slot in the writer's mapping, and what it stores is what the
        # reader's view shows, with no copy in between: a third mapping of the file writes a pixel
        # while the reader holds the frame, and the reader's array shows it at once.
        with writer.claim() as claim:
            wg = writer.geometry
            assert _pointer(claim.array) == writer.address + wg["pixels_offset"] + claim.slot * wg["slot_stride"]
            claim.array[...] = 0
        with reader.next() as frame, open(f"/dev/shm/{ring_name}", "r+b") as f:
            with mmap.mmap(f.fileno(), 0) as other:
                offset = g["pixels_offset"] + frame.slot * g["slot_stride"] + 7 * g["row_stride"] + 3 * 4
                assert frame.array[7, 3, 2] == 0
                other[offset + 2] = 200
                assert frame.array[7, 3, 2] == 200, "the array sees the file's bytes: it is a view"


def test_array_after_release_raises(ring_name):
    with nanobroker.Writer(ring_name, width=32, height=16, slots=2) as writer, \
            nanobroker.Reader(ring_name, mode="every") as reader:
        _publish(writer, 5)
        with reader.next() as frame:
            a = frame.array
            view = a[2:4]
            assert a.mean() == 5 and view.sum() == 5 * view.size
        assert frame.intact is True
        message = f"frame 0 of ring {ring_name} was released"
        uses = [
            lambda: frame.array, lambda: a[0, 0], lambda: view[0], lambda: a.mean(), lambda: a.sum(),
            lambda: a + 1, lambda: a == 5, lambda: np.mean(a), lambda: np.array_equal(a, a), lambda: a.copy(),
            lambda: a.tobytes(), lambda: a.astype(np.float32), lambda: a.max(), lambda: a.argmax(),
            lambda: list(a), lambda: repr(a), lambda: pickle.dumps(a), lambda: a.flat[0], lambda: a.data,
            lambda: a.reshape(-1)[0], lambda: a.T.copy(), lambda: np.concatenate([a, a]),
            lambda: frame.verify(),
        ]
        for use in uses:
            with pytest.raises(nanobroker.FrameReleased, match=message):
                use()
        # A copy made inside the block is the caller's own memory and stays usable.
        _publish(writer, 6)
        with reader.next() as frame:
            kept = frame.array.copy()
        assert type(kept) is np.ndarray and kept.mean() == 6

        # The same for a writer's claim after publish.
        with writer.claim() as claim:
            c = claim.array
            c[...] = 1
        with pytest.raises(nanobroker.FrameReleased, match="was published"):
            c[0, 0, 0] = 2


def test_reader_array_is_read_only(ring_name):
    with nanobroker.Writer(ring_name, width=8, height=8, slots=2) as writer, \
            nanobroker.Reader(ring_name, mode="every") as reader:
        _publish(writer, 1)
        with reader.next() as frame:
            with pytest.raises(ValueError, match="read-only"):
                frame.array[0, 0, 0] = 9
            with pytest.raises(ValueError):
                frame.array.base.setflags(write=True)


def test_held_frame_abandoned_on_close_and_second_next_refused(ring_name):
    with nanobroker.Writer(ring_name, width=8, height=8, slots=2) as writer:
        reader = nanobroker.Reader(ring_name, mode="every")
        _publish(writer, 1)
        _publish(writer, 2)
        frame = reader.next()
        with pytest.raises(nanobroker.RingError, match="still held"):
            reader.next()
        reader.close()
        with pytest.raises(nanobroker.FrameReleased):
            frame.array.sum()
        assert nanobroker.status(ring_name)["readers"] == []
        assert os.path.exists(f"/dev/shm/{ring_name}")
