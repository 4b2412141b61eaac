// nanobroker._ring: the Python binding of ring.hpp (PyBind11). The Python package nanobroker wraps
// these classes in context managers and NumPy views (python/nanobroker/__init__.py).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "ring.hpp"

namespace py = pybind11;
using namespace nb;

namespace {

// Raises the pending Python exception (e.g. KeyboardInterrupt) of a signal that arrived while we
// waited without the GIL.
void check_signals() {
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
}

Wait parse_wait(const std::string& how) {
    if (how == "futex") return Wait::Futex;
    if (how == "backoff") return Wait::Backoff;
    if (how == "spin") return Wait::Spin;
    if (how == "yield") return Wait::Yield;
    throw py::value_error("wait must be 'futex', 'backoff', 'spin' or 'yield', not '" + how + "'");
}

int64_t seconds_to_ns(double s) {
    if (!(s >= 0)) return INT64_MAX;  // negative or NaN: no limit
    if (s > 9e9) return INT64_MAX;
    return int64_t(s * 1e9);
}

// One Python thread at a time may use a reader or a writer (the GIL is released while it waits).
class Busy {
    std::atomic<bool>& flag_;

public:
    Busy(std::atomic<bool>& flag, const char* what) : flag_(flag) {
        if (flag_.exchange(true)) throw RingError(std::string(what) + " is in use by another thread");
    }
    ~Busy() { flag_.store(false); }
};

// A NumPy uint8 array (height, width, 4) over slot `slot`, in place. Its base keeps the mapping alive,
// so no array ever points into unmapped memory.
py::array slot_array(const std::shared_ptr<Ring>& ring, int64_t slot, bool writable) {
    const Geometry& g = ring->geometry;
    if (slot < 0 || slot >= g.slots) throw py::index_error("slot out of range");
    auto* keep = new std::shared_ptr<Ring>(ring);
    py::capsule base(keep, [](void* p) { delete static_cast<std::shared_ptr<Ring>*>(p); });
    py::array a(py::dtype::of<uint8_t>(), {py::ssize_t(g.height), py::ssize_t(g.width), py::ssize_t(4)},
                {py::ssize_t(g.row_stride), py::ssize_t(4), py::ssize_t(1)}, ring->pixels(slot), base);
    if (!writable) a.attr("setflags")(py::arg("write") = false);
    return a;
}

py::dict geometry_dict(const Ring& r) {
    const Geometry& g = r.geometry;
    py::dict d;
    d["width"] = g.width;
    d["height"] = g.height;
    d["row_stride"] = g.row_stride;
    d["slots"] = g.slots;
    d["slot_stride"] = g.slot_stride();
    d["pixels_offset"] = g.header_length();
    d["file_length"] = g.file_length();
    return d;
}

struct PyReader {
    Reader reader;
    std::atomic<bool> busy{false};

    PyReader(const std::string& name, int32_t mode)
        : reader(open_ring(name, /*pixels_writable=*/false), check_mode(mode)) {}

    static int32_t check_mode(int32_t mode) {
        if (mode != layout::MODE_EVERY && mode != layout::MODE_LATEST) throw py::value_error("bad mode");
        return mode;
    }

    // Waits up to timeout_s for the next frame: (seq, slot, publish_ns, latency_ns, checksum, source_seq) or None.
    py::object next(double timeout_s, const std::string& wait) {
        Busy b(busy, "this Reader");
        const Wait how = parse_wait(wait);
        std::optional<FrameInfo> f;
        {
            py::gil_scoped_release nogil;
            f = reader.next(seconds_to_ns(timeout_s), how, check_signals);
        }
        if (!f) return py::none();
        return py::make_tuple(f->sequence, f->slot, f->publish_ns, f->latency_ns, f->checksum, f->source_sequence);
    }

    bool release() {
        Busy b(busy, "this Reader");
        return reader.release();
    }

    // Checksum (§4) of the held frame's pixels, computed in place.
    int64_t held_checksum() {
        if (!reader.holding) throw RingError("no frame is held by this reader");
        const unsigned char* p = reader.ring->pixels(reader.tail % reader.ring->geometry.slots);
        const size_t n = size_t(reader.ring->geometry.frame_bytes());
        py::gil_scoped_release nogil;
        return int64_t(frame_checksum(p, n));
    }
};

struct PyWriter {
    std::unique_ptr<Writer> writer;
    bool checksum;
    std::atomic<bool> busy{false};

    PyWriter(const std::string& name, int32_t width, int32_t height, int32_t row_stride, int32_t slots,
             const std::string& policy, double block_timeout_s, bool with_checksum)
        : checksum(with_checksum) {
        Policy p;
        if (policy == "block")
            p = Policy::Block;
        else if (policy == "drop")
            p = Policy::Drop;
        else if (policy == "overwrite")
            p = Policy::Overwrite;
        else
            throw py::value_error("policy must be 'block', 'drop' or 'overwrite', not '" + policy + "'");
        if (!(block_timeout_s >= 0)) throw py::value_error("block_timeout must be >= 0 seconds");
        Geometry g{width, height, row_stride == 0 ? width * 4 : row_stride, slots};
        if (auto problem = g.problem(); !problem.empty()) throw py::value_error(problem);
        std::shared_ptr<Ring> ring;
        {
            // Building a ring touches every page, and a replacer may wait ~2 s for an old ring's lock.
            py::gil_scoped_release nogil;
            ring = open_for_writing(name, g);
        }
        writer = std::make_unique<Writer>(std::move(ring), p, seconds_to_ns(block_timeout_s));
    }

    py::object claim() {
        Busy b(busy, "this Writer");
        std::optional<int64_t> seq;
        {
            py::gil_scoped_release nogil;
            seq = writer->claim(check_signals);
        }
        if (!seq) return py::none();
        return py::int_(*seq);
    }

    int64_t publish(std::optional<int64_t> publish_ns) {
        Busy b(busy, "this Writer");
        if (!writer->claimed()) throw RingError("no frame is claimed on this writer");
        int64_t sum = 0;
        if (checksum) {
            const unsigned char* p = writer->ring->pixels(writer->claim_slot());
            const size_t n = size_t(writer->ring->geometry.frame_bytes());
            py::gil_scoped_release nogil;
            sum = int64_t(frame_checksum(p, n));
        }
        return writer->publish(sum, publish_ns);
    }
};

py::dict status(const std::string& name) {
    using namespace layout;
    auto ring = open_ring(name, false, /*header_writable=*/false);
    const Ring& r = *ring;
    py::dict d = geometry_dict(r);
    d["name"] = name;
    const int64_t head = r.i64(HEAD_OFFSET).load(std::memory_order_acquire);
    d["head"] = head;
    d["sleepers"] = r.i32(SLEEPERS_OFFSET).load(std::memory_order_seq_cst);
    d["epoch"] = r.i64(EPOCH_OFFSET).load(std::memory_order_relaxed);
    const int32_t state = r.i32(STATE_OFFSET).load(std::memory_order_acquire);
    d["state"] = state == STATE_OPEN ? "open" : state == STATE_CLOSED ? "closed" : std::to_string(state);
    d["producer_pid"] = token_pid(r.i64(PRODUCER_TOKEN_OFFSET).load(std::memory_order_acquire));
    d["live_writers"] = r.live_writers();
    d["producer_drops"] = r.i64(PRODUCER_DROPS_OFFSET).load(std::memory_order_relaxed);
    d["blocked_ns"] = r.i64(BLOCKED_NANOS_OFFSET).load(std::memory_order_relaxed);
    d["lock_owner_pid"] = token_pid(r.i64(LOCK_OWNER_OFFSET).load(std::memory_order_acquire));
    py::list readers;
    for (int i = 0; i < MAX_READERS; ++i) {
        const size_t b = reader_base(i);
        const int64_t owner = r.i64(b + READER_OWNER_OFFSET).load(std::memory_order_acquire);
        if (owner == 0) continue;
        const int64_t tail = r.i64(b + READER_TAIL_OFFSET).load(std::memory_order_acquire);
        const int32_t mode = r.i32(b + READER_MODE_OFFSET).load(std::memory_order_acquire);
        py::dict line;
        line["line"] = i;
        line["pid"] = token_pid(owner);
        line["alive"] = token_alive(owner);
        line["mode"] = mode == MODE_EVERY ? "every" : mode == MODE_LATEST ? "latest" : std::to_string(mode);
        line["tail"] = tail;
        line["lag"] = tail == TAIL_FREE ? 0 : head - tail;
        line["frames"] = r.i64(b + READER_FRAMES_OFFSET).load(std::memory_order_relaxed);
        line["skipped"] = r.i64(b + READER_SKIPPED_OFFSET).load(std::memory_order_relaxed);
        line["lost"] = r.i64(b + READER_LOST_OFFSET).load(std::memory_order_relaxed);
        line["torn"] = r.i64(b + READER_TORN_OFFSET).load(std::memory_order_relaxed);
        line["latency_ns"] = r.i64(b + READER_LATENCY_OFFSET).load(std::memory_order_relaxed);
        readers.append(line);
    }
    d["readers"] = readers;
    return d;
}

}  // namespace

PYBIND11_MODULE(_ring, m) {
    m.doc() = "NanoBroker ring (layout version 4) in C++20; use the nanobroker package, not this module";

    static py::exception<RingError> ring_error(m, "RingError", PyExc_RuntimeError);
    static py::exception<RingNotFound> not_found(m, "RingNotFound", ring_error.ptr());
    static py::exception<RingClosed> closed(m, "RingClosed", ring_error.ptr());
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const RingNotFound& e) {
            PyErr_SetString(not_found.ptr(), e.what());
        } catch (const RingClosed& e) {
            PyErr_SetString(closed.ptr(), e.what());
        } catch (const RingError& e) {
            PyErr_SetString(ring_error.ptr(), e.what());
        }
    });

    py::class_<PyReader>(m, "Reader")
        .def(py::init<const std::string&, int32_t>(), py::arg("name"), py::arg("mode"))
        .def("next", &PyReader::next, py::arg("timeout"), py::arg("wait") = "futex")
        .def("release", &PyReader::release)
        .def("held_checksum", &PyReader::held_checksum)
        .def("close", [](PyReader& r) { r.reader.close(); })
        .def("slot_array", [](PyReader& r, int64_t slot) { return slot_array(r.reader.ring, slot, false); })
        .def("replaced", [](PyReader& r) { return r.reader.ring->replaced(); })
        .def("owns_line", [](PyReader& r) { return r.reader.owns_line(); })
        .def_property_readonly("geometry", [](PyReader& r) { return geometry_dict(*r.reader.ring); })
        .def_property_readonly("address", [](PyReader& r) { return reinterpret_cast<uintptr_t>(r.reader.ring->base); })
        .def_property_readonly("line", [](PyReader& r) { return r.reader.line; })
        .def_property_readonly("tail", [](PyReader& r) { return r.reader.tail; })
        .def_property_readonly("attach_tail", [](PyReader& r) { return r.reader.attach_tail; })
        .def_property_readonly("frames", [](PyReader& r) { return r.reader.frames; })
        .def_property_readonly("skipped", [](PyReader& r) { return r.reader.skipped; })
        .def_property_readonly("lost", [](PyReader& r) { return r.reader.lost; })
        .def_property_readonly("torn", [](PyReader& r) { return r.reader.torn; })
        .def_property_readonly("sleeps", [](PyReader& r) { return r.reader.sleeps; })
        .def_property_readonly("missed_wakeups", [](PyReader& r) { return r.reader.missed_wakeups; })
        .def_property_readonly("holding", [](PyReader& r) { return r.reader.holding; })
        .def_property_readonly("closed", [](PyReader& r) { return r.reader.closed(); });

    py::class_<PyWriter>(m, "Writer")
        .def(py::init<const std::string&, int32_t, int32_t, int32_t, int32_t, const std::string&, double, bool>(),
             py::arg("name"), py::arg("width"), py::arg("height"), py::arg("row_stride"), py::arg("slots"),
             py::arg("policy"), py::arg("block_timeout"), py::arg("checksum"))
        .def("claim", &PyWriter::claim)
        .def("publish", &PyWriter::publish, py::arg("publish_ns") = py::none())
        .def("abort", [](PyWriter& w) { w.writer->abort(); })
        .def("close", [](PyWriter& w) { w.writer->close(); })
        .def("slot_array", [](PyWriter& w, int64_t slot) { return slot_array(w.writer->ring, slot, true); })
        .def_property_readonly("geometry", [](PyWriter& w) { return geometry_dict(*w.writer->ring); })
        .def_property_readonly("address", [](PyWriter& w) { return reinterpret_cast<uintptr_t>(w.writer->ring->base); })
        .def_property_readonly("published", [](PyWriter& w) { return w.writer->published; })
        .def_property_readonly("dropped", [](PyWriter& w) { return w.writer->dropped; })
        .def_property_readonly("lock_takeovers", [](PyWriter& w) { return w.writer->lock_takeovers; })
        .def_property_readonly("closed", [](PyWriter& w) { return w.writer->closed(); });

    m.def("status", &status, py::arg("name"), "One ring's header and reader table, read without attaching.");
    m.def(
        "checksum",
        [](py::object data) {
            Py_buffer view;
            if (PyObject_GetBuffer(data.ptr(), &view, PyBUF_C_CONTIGUOUS) != 0) throw py::error_already_set();
            uint64_t h;
            {
                py::gil_scoped_release nogil;
                h = frame_checksum(static_cast<const unsigned char*>(view.buf), size_t(view.len));
            }
            PyBuffer_Release(&view);
            return int64_t(h);
        },
        py::arg("data"), "The frame checksum (FNV-1a over 64-bit LE words) of a C-contiguous buffer.");
    m.def("own_token", &own_token, "This process's identity token: (pid << 32) | (starttime & 0xFFFFFFFF).");
    m.def("token_alive", &token_alive, py::arg("token"));
    m.def("valid_name", &valid_name, py::arg("name"));
    m.def("live_writers", [](const std::string& name) { return open_ring(name, false, false)->live_writers(); });
}
