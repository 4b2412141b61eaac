// NanoBroker ring, layout version 4, in C++20: written from docs/ring-layout.md alone.
//
// No Python in this file: module.cpp wraps it. Section numbers (§) refer to docs/ring-layout.md.
// Every shared word is accessed through std::atomic_ref with the ordering the spec gives; pixels are
// plain memory. Readers may sleep in the kernel on HEAD's low 32 bits (futex(2), §9 "Sleeping");
// writers wake them on publish and on close (§8).
#pragma once

#include <algorithm>
#include <atomic>
#include <bit>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>

#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static_assert(std::endian::native == std::endian::little, "NanoBroker rings are little-endian (§1)");
static_assert(std::atomic_ref<int64_t>::is_always_lock_free && std::atomic_ref<int32_t>::is_always_lock_free);

namespace nb {

// ---- §4, §5: layout constants -------------------------------------------------------------------
namespace layout {
constexpr size_t MAGIC_OFFSET = 0, VERSION_OFFSET = 8, PIXEL_FORMAT_OFFSET = 12, SLOT_COUNT_OFFSET = 16,
                 WIDTH_OFFSET = 20, HEIGHT_OFFSET = 24, ROW_STRIDE_OFFSET = 28, SLOT_STRIDE_OFFSET = 32,
                 PIXELS_OFFSET_OFFSET = 40, FILE_LENGTH_OFFSET = 48, CREATED_MILLIS_OFFSET = 56,
                 STATIC_LINE_LENGTH = 64;
constexpr size_t PRODUCER_TOKEN_OFFSET = 64, EPOCH_OFFSET = 72, STATE_OFFSET = 80, PRODUCER_DROPS_OFFSET = 88,
                 BLOCKED_NANOS_OFFSET = 96, READER_ATTACHES_OFFSET = 104;
constexpr size_t HEAD_OFFSET = 128, SLEEPERS_OFFSET = 136, LOCK_OWNER_OFFSET = 192, WRITER_TOKENS_OFFSET = 256;
constexpr size_t READERS_OFFSET = 320, READER_LENGTH = 192, READER_TAIL_OFFSET = 0, READER_OWNER_OFFSET = 64,
                 READER_MODE_OFFSET = 72, READER_FRAMES_OFFSET = 128, READER_LOST_OFFSET = 136,
                 READER_TORN_OFFSET = 144, READER_LATENCY_OFFSET = 152, READER_SKIPPED_OFFSET = 160;
constexpr size_t DESCRIPTORS_OFFSET = 3392, DESCRIPTOR_LENGTH = 64, DESCRIPTOR_SEQUENCE_OFFSET = 0,
                 DESCRIPTOR_PUBLISH_NANOS_OFFSET = 8, DESCRIPTOR_WIDTH_OFFSET = 16, DESCRIPTOR_HEIGHT_OFFSET = 20,
                 DESCRIPTOR_ROW_STRIDE_OFFSET = 24, DESCRIPTOR_CHECKSUM_OFFSET = 32,
                 DESCRIPTOR_SOURCE_SEQUENCE_OFFSET = 40;
constexpr int64_t PAGE_LENGTH = 4096;

constexpr int64_t MAGIC = 0x474E49524F4E414ELL;  // "NANORING" read little-endian
constexpr int32_t LAYOUT_VERSION = 4, PIXEL_FORMAT_BGRA_PRE = 1, BYTES_PER_PIXEL = 4;
constexpr int MAX_WRITERS = 8, MAX_READERS = 16;
constexpr int32_t STATE_OPEN = 1, STATE_CLOSED = 2, MODE_EVERY = 1, MODE_LATEST = 2;
constexpr int64_t TAIL_FREE = INT64_MAX, RECLAIM_BIT = INT64_MIN, SEQUENCE_EMPTY = -1,
                  SEQUENCE_WRITING_BIT = INT64_MIN;
constexpr int32_t MAX_DIMENSION = 16384, MAX_SLOTS = 4096, MAX_ROW_STRIDE = MAX_DIMENSION * 2 * BYTES_PER_PIXEL;

constexpr size_t writer_token(int i) { return WRITER_TOKENS_OFFSET + size_t(i) * 8; }
constexpr size_t reader_base(int i) { return READERS_OFFSET + size_t(i) * READER_LENGTH; }
constexpr size_t descriptor_base(int64_t slot) { return DESCRIPTORS_OFFSET + size_t(slot) * DESCRIPTOR_LENGTH; }
constexpr int64_t round_up_to_page(int64_t x) { return (x + PAGE_LENGTH - 1) & ~(PAGE_LENGTH - 1); }
constexpr int64_t header_length(int64_t slots) { return round_up_to_page(3392 + slots * 64); }
constexpr int64_t slot_stride(int64_t row_stride, int64_t height) { return round_up_to_page(row_stride * height); }
constexpr int64_t file_length(int64_t slots, int64_t row_stride, int64_t height) {
    return header_length(slots) + slots * slot_stride(row_stride, height);
}
}  // namespace layout

// ---- errors -------------------------------------------------------------------------------------
struct RingError : std::runtime_error {
    using std::runtime_error::runtime_error;
};
struct RingNotFound : RingError {
    using RingError::RingError;
};
struct RingClosed : RingError {
    using RingError::RingError;
};

inline std::string errno_text(int e) { return std::strerror(e); }

// ---- clocks, idling -----------------------------------------------------------------------------
inline int64_t monotonic_ns() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}
inline int64_t wall_millis() {
    timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return int64_t(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
}

enum class Wait { Spin, Yield, Backoff, Futex };

// Spin, then yield, then sleep 1 µs doubling up to 1 ms (Backoff); or only spin / only yield.
// Futex only spins here: Reader::next sleeps in the kernel once its brief spin is over.
class Idler {
    int rounds_ = 0;
    int64_t park_ns_ = 1000;
    Wait how_;

public:
    explicit Idler(Wait how = Wait::Backoff) : how_(how) {}
    void reset() { rounds_ = 0, park_ns_ = 1000; }
    void idle() {
        if (how_ == Wait::Spin || how_ == Wait::Futex) return cpu_relax();
        if (how_ == Wait::Yield) return (void)sched_yield();
        if (rounds_ < 100) {
            ++rounds_;
            cpu_relax();
        } else if (rounds_ < 150) {
            ++rounds_;
            sched_yield();
        } else {
            timespec ts{0, long(park_ns_)};
            nanosleep(&ts, nullptr);
            park_ns_ = std::min<int64_t>(park_ns_ * 2, 1'000'000);
        }
    }
};

// Called every ~50 ms while waiting, and at once when a signal cut a futex sleep short; may throw
// (module.cpp: Python signals, e.g. Ctrl-C).
using Interrupt = std::function<void()>;

// §9 "Sleeping", §14: futex(2) on an address in the shared mapping. FUTEX_WAIT and FUTEX_WAKE, never
// the _PRIVATE ops: those match waiters by virtual address within one process and would never see
// another process's wake.
inline long futex(uint32_t* word, int op, uint32_t value, const timespec* timeout) {
    return ::syscall(SYS_futex, word, op, value, timeout, nullptr, 0);
}

// ---- §4 "Frame checksum" ------------------------------------------------------------------------
inline uint64_t frame_checksum(const unsigned char* p, size_t length) {
    uint64_t h = 0xCBF29CE484222325ull;
    size_t n = length & ~size_t{7};
    for (size_t off = 0; off < n; off += 8) {
        uint64_t w;
        std::memcpy(&w, p + off, 8);
        h = (h ^ w) * 0x100000001B3ull;
    }
    if (length - n >= 4) {
        uint32_t w;
        std::memcpy(&w, p + n, 4);
        h = (h ^ w) * 0x100000001B3ull;
    }
    return h;
}

// ---- §7: process identity and liveness ----------------------------------------------------------
struct ProcStat {
    char state;
    uint64_t starttime;
};

// Reads and parses /proc/PID/stat (or /proc/self/stat when pid == 0): state (field 3) and starttime
// (field 22). Nothing when the file cannot be opened or read (ENOENT, EACCES, EMFILE, ...) or does
// not parse: the caller decides what that means (own_token: an error; token_alive: "unknown").
inline std::optional<ProcStat> read_proc_stat(long pid) {
    char path[64];
    if (pid == 0)
        std::snprintf(path, sizeof path, "/proc/self/stat");
    else
        std::snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    // Raw bytes: the command name (field 2) is up to 64 bytes of anything but NUL (UTF-8, spaces,
    // parentheses). Read until EOF or a full buffer; the whole line is a few hundred bytes.
    char buf[4096];
    size_t n = 0;
    while (n < sizeof buf) {
        ssize_t got = ::read(fd, buf + n, sizeof buf - n);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        n += size_t(got);
    }
    ::close(fd);
    if (n == 0) return std::nullopt;
    // The LAST ')' ends the command name, whatever bytes the name contains.
    const char* close_paren = static_cast<const char*>(::memrchr(buf, ')', n));
    const char* const end = buf + n;
    if (!close_paren || end - close_paren < 4 || close_paren[1] != ' ') return std::nullopt;
    const char* p = close_paren + 2;  // field 3
    ProcStat st{*p, 0};
    // Field 22 is the 20th field after ')': skip 19 single-space separators.
    for (int field = 3; field < 22; ++field) {
        p = static_cast<const char*>(std::memchr(p, ' ', size_t(end - p)));
        if (!p) return std::nullopt;
        ++p;
    }
    if (p == end || *p < '0' || *p > '9') return std::nullopt;
    uint64_t v = 0;
    for (; p < end && *p >= '0' && *p <= '9'; ++p) {
        if (v > (UINT64_MAX - 9) / 10) return std::nullopt;
        v = v * 10 + uint64_t(*p - '0');
    }
    if (p == end || (*p != ' ' && *p != '\n')) return std::nullopt;  // a short read cut the field
    st.starttime = v;
    return st;
}

inline int64_t make_token(long pid, uint64_t starttime) {
    return int64_t((uint64_t(pid) << 32) | (starttime & 0xFFFFFFFFull));
}

// This process's identity token, recomputed after a fork; 0 when /proc/self/stat cannot be read or
// parsed (then this process has no identity).
inline int64_t try_own_token() {
    static std::atomic<long> cached_pid{-1};
    static std::atomic<int64_t> cached_token{0};
    long pid = ::getpid();
    if (cached_pid.load() == pid) return cached_token.load();
    auto st = read_proc_stat(0);
    if (!st) return 0;
    int64_t token = make_token(pid, st->starttime);
    cached_token.store(token);
    cached_pid.store(pid);
    return token;
}

// §7: a process that cannot compute its own token cannot attach.
inline int64_t own_token() {
    int64_t token = try_own_token();
    if (token == 0)
        throw RingError("cannot read /proc/self/stat: no process identity, so no ring can be attached");
    return token;
}

inline long token_pid(int64_t token) { return long(uint64_t(token & ~layout::RECLAIM_BIT) >> 32); }

// §7 "alive". A process is dead only when the OS says so: kill() reports ESRCH, or /proc/PID/stat
// was read and shows a zombie ('Z', 'X') or another start time (the pid was reused). Whatever
// cannot be known counts as alive: /proc/PID/stat missing (hidepid hides other users' processes,
// or it died just now and the next check sees ESRCH), EACCES, no file descriptor left (EMFILE,
// ENFILE), a short read, a parse error. Declaring a live process dead frees its reader line or
// takes its lock while it still uses them; the opposite only delays a reclaim.
inline bool token_alive(int64_t token) {
    token &= ~layout::RECLAIM_BIT;
    if (token == 0) return false;
    // Not own_token(): a checker whose own /proc/self/stat is unreadable (EMFILE) judges others anyway.
    if (token == try_own_token()) return true;
    const long pid = token_pid(token);
    if (pid <= 0) return false;  // pid 0 names no process (kill(0, 0) would mean our process group)
    if (::kill(pid_t(pid), 0) != 0 && errno == ESRCH) return false;  // success or EPERM: it exists
    auto st = read_proc_stat(pid);
    if (!st) return true;  // unknown, never dead
    if (st->state == 'Z' || st->state == 'X') return false;  // a zombie counts as dead
    return (st->starttime & 0xFFFFFFFFull) == (uint64_t(token) & 0xFFFFFFFFull);
}

// Reader and writer state belongs to the process that attached: after fork() the child is another
// process (another token) that owns none of the parent's lines, entries or lock.
inline void check_same_process(long attached_pid, const char* what) {
    if (::getpid() != attached_pid)
        throw RingError(std::string(what) + " was attached by process " + std::to_string(attached_pid) +
                        "; a forked child must attach its own");
}

// ---- geometry -----------------------------------------------------------------------------------
struct Geometry {
    int32_t width = 0, height = 0, row_stride = 0, slots = 0;
    int64_t slot_stride() const { return layout::slot_stride(row_stride, height); }
    int64_t header_length() const { return layout::header_length(slots); }
    int64_t file_length() const { return layout::file_length(slots, row_stride, height); }
    int64_t frame_bytes() const { return int64_t(row_stride) * height; }
    int64_t slot_pixels(int64_t slot) const { return header_length() + slot * slot_stride(); }
    bool operator==(const Geometry&) const = default;

    // Empty when valid (§5 "Valid geometry"), else what is wrong.
    std::string problem() const {
        auto out = [](const char* what, long long v, const char* range) {
            return std::string(what) + " " + std::to_string(v) + " is outside " + range;
        };
        if (width < 1 || width > layout::MAX_DIMENSION) return out("width", width, "1..16384");
        if (height < 1 || height > layout::MAX_DIMENSION) return out("height", height, "1..16384");
        if (row_stride % 4 != 0 || row_stride < width * 4 || row_stride > layout::MAX_ROW_STRIDE)
            return out("row stride", row_stride, "width*4..131072 (a multiple of 4)");
        if (slots < 1 || slots > layout::MAX_SLOTS) return out("slot count", slots, "1..4096");
        return {};
    }
};

// ---- §2: names ----------------------------------------------------------------------------------
inline bool valid_name(const std::string& name) {
    if (name.empty() || name.size() > 128) return false;
    auto ok = [](char c, bool first) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               (!first && (c == '.' || c == '_' || c == '-'));
    };
    for (size_t i = 0; i < name.size(); ++i)
        if (!ok(name[i], i == 0)) return false;
    return true;
}

inline std::string ring_path(const std::string& name) { return "/dev/shm/" + name; }

inline void check_name(const std::string& name) {
    if (!valid_name(name))
        throw RingError("bad ring name '" + name +
                        "': 1 to 128 characters of A-Z a-z 0-9 . _ -, not starting with . _ or -");
}

// ---- a mapped ring ------------------------------------------------------------------------------
class Ring {
public:
    std::string name, path;
    Geometry geometry;
    unsigned char* base = nullptr;
    size_t length = 0;
    dev_t dev = 0;
    ino_t ino = 0;
    bool writable_pixels = false;

    Ring() = default;
    Ring(const Ring&) = delete;
    Ring& operator=(const Ring&) = delete;
    ~Ring() {
        if (base) ::munmap(base, length);
    }

    std::atomic_ref<int64_t> i64(size_t off) const { return std::atomic_ref<int64_t>(*ptr<int64_t>(off)); }
    std::atomic_ref<int32_t> i32(size_t off) const { return std::atomic_ref<int32_t>(*ptr<int32_t>(off)); }
    unsigned char* pixels(int64_t slot) const { return base + geometry.slot_pixels(slot); }

    // §2: the name now names another file (or none): a producer replaced or removed the ring.
    // lstat, not stat: a symlink put in the ring's place is another file (§2: a ring is never a
    // symlink, and open refuses one), even when it points at this very file.
    bool replaced() const {
        struct stat st;
        if (::lstat(path.c_str(), &st) != 0) return true;
        return st.st_dev != dev || st.st_ino != ino;
    }

    // §4 head line: the futex word is HEAD's low 32 bits (bytes 128..131, little-endian).
    uint32_t* futex_word() const { return ptr<uint32_t>(layout::HEAD_OFFSET); }

    // §8 publishing step 12 (and closing step 3): wake every sleeper of this ring, if any reader has
    // announced one (§9 "Sleeping"). The seq_cst load pairs with the seq_cst HEAD store before it;
    // most frames find 0 and make no system call.
    void wake_sleepers() const {
        if (i32(layout::SLEEPERS_OFFSET).load(std::memory_order_seq_cst) != 0)
            futex(futex_word(), FUTEX_WAKE, INT_MAX, nullptr);
    }

    int live_writers() const {
        int live = 0;
        for (int i = 0; i < layout::MAX_WRITERS; ++i) {
            int64_t t = i64(layout::writer_token(i)).load(std::memory_order_acquire);
            if (t != 0 && token_alive(t)) ++live;
        }
        return live;
    }

    // §10: frees the reader lines of dead processes (and their sleeper bits). Returns how many it freed.
    int reclaim_dead_readers() const {
        using namespace layout;
        const int64_t mine = own_token() | RECLAIM_BIT;
        int freed = 0;
        for (int i = 0; i < MAX_READERS; ++i) {
            auto owner_ref = i64(reader_base(i) + READER_OWNER_OFFSET);
            int64_t owner = owner_ref.load(std::memory_order_acquire);
            if (owner == 0 || token_alive(owner)) continue;
            if (!owner_ref.compare_exchange_strong(owner, mine, std::memory_order_seq_cst)) continue;
            i64(reader_base(i) + READER_TAIL_OFFSET).store(TAIL_FREE, std::memory_order_release);
            // 4. A reader that died asleep leaves its bit, and writers would wake nobody on every
            // publish; cleared before the line is free, so never the bit of its next owner.
            i32(SLEEPERS_OFFSET).fetch_and(~(int32_t(1) << i), std::memory_order_seq_cst);
            owner_ref.store(0, std::memory_order_release);  // 5.
            ++freed;
        }
        return freed;
    }

private:
    template <class T>
    T* ptr(size_t off) const {
        return reinterpret_cast<T*>(base + off);
    }
};

// RAII file descriptor.
struct Fd {
    int fd = -1;
    explicit Fd(int f) : fd(f) {}
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
    Fd(const Fd&) = delete;
};

// §6: opens and validates an existing ring with ordinary reads, and only then maps it.
// pixels_writable: map the pixels read-write (writer) or read-only (reader, tools).
inline std::shared_ptr<Ring> open_ring(const std::string& name, bool pixels_writable, bool header_writable = true) {
    using namespace layout;
    check_name(name);
    const std::string path = ring_path(name);
    const std::string what = "ring " + name + " (" + path + ")";
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) throw RingNotFound("no " + what + ": the file does not exist");
        throw RingError("cannot look at " + what + ": " + errno_text(errno));
    }
    if (S_ISLNK(st.st_mode)) throw RingError(what + " is a symbolic link; refusing to follow it");
    if (!S_ISREG(st.st_mode)) throw RingError(what + " is not a regular file");
    if (st.st_uid != ::geteuid())
        throw RingError(what + " belongs to user " + std::to_string(st.st_uid) + ", not to this user (" +
                        std::to_string(::geteuid()) + "); refusing to attach to another user's ring");
    Fd fd(::open(path.c_str(), (header_writable ? O_RDWR : O_RDONLY) | O_NOFOLLOW | O_CLOEXEC));
    if (fd.fd < 0) {
        if (errno == ENOENT) throw RingNotFound("no " + what + ": the file does not exist");
        throw RingError("cannot open " + what + ": " + errno_text(errno));
    }
    if (::fstat(fd.fd, &st) != 0) throw RingError("cannot stat " + what + ": " + errno_text(errno));
    if (!S_ISREG(st.st_mode)) throw RingError(what + " is not a regular file");
    const int64_t size = st.st_size;
    if (size < int64_t(STATIC_LINE_LENGTH))
        throw RingError(what + " is truncated: " + std::to_string(size) +
                        " bytes, shorter than the 64-byte static line; not a NanoBroker ring");
    unsigned char line[STATIC_LINE_LENGTH];
    if (::pread(fd.fd, line, sizeof line, 0) != ssize_t(sizeof line))
        throw RingError("cannot read the header of " + what + ": " + errno_text(errno));
    auto rd64 = [&](size_t off) { int64_t v; std::memcpy(&v, line + off, 8); return v; };
    auto rd32 = [&](size_t off) { int32_t v; std::memcpy(&v, line + off, 4); return v; };
    if (rd64(MAGIC_OFFSET) != MAGIC)
        throw RingError(what + " is not a NanoBroker ring (no NANORING magic at offset 0)");
    if (rd32(VERSION_OFFSET) != LAYOUT_VERSION)
        throw RingError(what + " has layout version " + std::to_string(rd32(VERSION_OFFSET)) +
                        "; this implementation reads version " + std::to_string(LAYOUT_VERSION) + " only");
    if (rd32(PIXEL_FORMAT_OFFSET) != PIXEL_FORMAT_BGRA_PRE)
        throw RingError(what + " has an unknown pixel format " + std::to_string(rd32(PIXEL_FORMAT_OFFSET)));
    Geometry g{rd32(WIDTH_OFFSET), rd32(HEIGHT_OFFSET), rd32(ROW_STRIDE_OFFSET), rd32(SLOT_COUNT_OFFSET)};
    if (auto p = g.problem(); !p.empty()) throw RingError(what + " has an inconsistent header: " + p);
    if (rd64(SLOT_STRIDE_OFFSET) != g.slot_stride() || rd64(PIXELS_OFFSET_OFFSET) != g.header_length() ||
        rd64(FILE_LENGTH_OFFSET) != g.file_length())
        throw RingError(what + " has an inconsistent header: slot stride, pixels offset or file length "
                               "do not follow from its geometry");
    if (size < g.file_length())
        throw RingError(what + " is truncated: " + std::to_string(size) + " bytes, its header says " +
                        std::to_string(g.file_length()));

    auto ring = std::make_shared<Ring>();
    ring->name = name;
    ring->path = path;
    ring->geometry = g;
    ring->dev = st.st_dev;
    ring->ino = st.st_ino;
    ring->writable_pixels = pixels_writable;
    ring->length = size_t(g.file_length());
    // One mapping of the whole file (§6: equally valid); a reader's pixels are made read-only after.
    const int prot = header_writable ? PROT_READ | PROT_WRITE : PROT_READ;
    void* p = ::mmap(nullptr, ring->length, prot, MAP_SHARED, fd.fd, 0);
    if (p == MAP_FAILED) throw RingError("cannot map " + what + ": " + errno_text(errno));
    ring->base = static_cast<unsigned char*>(p);
    if (header_writable && !pixels_writable) {
        // Pixels read-only from the first system page boundary at or after headerLength.
        const int64_t page = ::sysconf(_SC_PAGESIZE);
        const int64_t from = (g.header_length() + page - 1) / page * page;
        if (from < int64_t(ring->length)) ::mprotect(ring->base + from, ring->length - size_t(from), PROT_READ);
    }
    return ring;
}

// §2 "Open for writing", replacing a ring, steps a-c: takes the OLD file's write lock for good, so
// that of two producers replacing the same old file only one renames over it (the other would
// write into a nameless file forever). Returns the lock word's previous value (0 or a dead token),
// or nothing when the name no longer names the old file: another replacer took it over, start over.
// Throws when a live process holds the lock and the name still names the old file after ~2 s.
inline std::optional<int64_t> lock_for_replacement(const Ring& old) {
    using namespace layout;
    auto owner_ref = old.i64(LOCK_OWNER_OFFSET);
    const int64_t mine = own_token();
    const int64_t deadline = monotonic_ns() + 2'000'000'000;
    Idler idler;
    for (;;) {
        int64_t owner = owner_ref.load(std::memory_order_acquire);
        // a. Free, or held by a dead token (§7): CAS it to ours (a takeover from the dead token).
        if (owner == 0 || !token_alive(owner)) {
            const int64_t previous = owner;
            if (!owner_ref.compare_exchange_strong(owner, mine, std::memory_order_seq_cst)) continue;
            // c. Ours now; the name must still name the old file, else it moved on (another
            // replacer renamed over it, held its lock and died; or the ring was removed). We keep
            // the lock then too: the file is nameless, and its lock stays held for good (step d).
            if (old.replaced()) return std::nullopt;
            return previous;
        }
        // b. A live holder: a writer of the old file mid-frame, or a replacer that already renamed
        // over it (it never lets go). Which one is told by the name.
        if (old.replaced()) return std::nullopt;
        if (monotonic_ns() >= deadline)
            throw RingError("ring " + old.name + " is being replaced or written by pid " +
                            std::to_string(token_pid(owner)) + "; try again");
        idler.idle();
    }
}

// §2 "Creation": builds the ring under a temporary name, then links it (new: old == nullptr) or
// renames it over the old file (replace, after lock_for_replacement). Returns nullptr when it has to
// start over: `link` found the name taken (another creator was faster), or another replacer took
// the old file's name over.
inline std::shared_ptr<Ring> create_ring(const std::string& name, const Geometry& g, const Ring* old) {
    using namespace layout;
    const std::string path = ring_path(name);
    const int64_t len = g.file_length();
    struct statvfs vfs;
    if (::statvfs("/dev/shm", &vfs) == 0) {
        const uint64_t usable = uint64_t(vfs.f_bavail) * vfs.f_frsize;
        if (usable < uint64_t(len))
            throw RingError("ring " + name + " needs " + std::to_string(len) + " bytes but /dev/shm has only " +
                            std::to_string(usable) + " free");
    }
    std::random_device rd;
    uint64_t random = (uint64_t(rd()) << 32) ^ rd();
    char hex[17];
    std::snprintf(hex, sizeof hex, "%llx", (unsigned long long)random);
    const std::string temp = "/dev/shm/." + name + ".creating-" + std::to_string(::getpid()) + "-" + hex;

    int fd = ::open(temp.c_str(), O_CREAT | O_EXCL | O_RDWR | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) throw RingError("cannot create " + temp + ": " + errno_text(errno));
    Fd guard(fd);
    auto ring = std::make_shared<Ring>();
    auto fail = [&](const std::string& msg) -> std::shared_ptr<Ring> {
        ring.reset();  // unmaps
        ::unlink(temp.c_str());
        throw RingError(msg);
    };
    if (::fchmod(fd, 0600) != 0) return fail("cannot chmod " + temp + ": " + errno_text(errno));
    if (::ftruncate(fd, len) != 0) return fail("cannot size " + temp + ": " + errno_text(errno));
    // Allocate the pages through the file first: a /dev/shm that filled up since the statvfs above
    // then reports ENOSPC here instead of SIGBUS on the touching stores below (§14).
    if (int e = ::posix_fallocate(fd, 0, len); e != 0)
        return fail("cannot allocate " + std::to_string(len) + " bytes for ring " + name + " in /dev/shm: " +
                    errno_text(e));
    void* p = ::mmap(nullptr, size_t(len), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) return fail("cannot map " + temp + ": " + errno_text(errno));
    ring->base = static_cast<unsigned char*>(p);
    ring->length = size_t(len);
    ring->name = name;
    ring->path = path;
    ring->geometry = g;
    ring->writable_pixels = true;
    // Touch every page now so tmpfs allocates them here, not on the first frames. A page that tmpfs
    // cannot allocate raises SIGBUS here; statvfs above is what keeps that from happening.
    for (int64_t off = 0; off < len; off += PAGE_LENGTH) ring->base[off] = 0;

    // Plain stores: nobody else can see this file yet.
    auto put64 = [&](size_t off, int64_t v) { std::memcpy(ring->base + off, &v, 8); };
    auto put32 = [&](size_t off, int32_t v) { std::memcpy(ring->base + off, &v, 4); };
    put32(VERSION_OFFSET, LAYOUT_VERSION);
    put32(PIXEL_FORMAT_OFFSET, PIXEL_FORMAT_BGRA_PRE);
    put32(SLOT_COUNT_OFFSET, g.slots);
    put32(WIDTH_OFFSET, g.width);
    put32(HEIGHT_OFFSET, g.height);
    put32(ROW_STRIDE_OFFSET, g.row_stride);
    put64(SLOT_STRIDE_OFFSET, g.slot_stride());
    put64(PIXELS_OFFSET_OFFSET, g.header_length());
    put64(FILE_LENGTH_OFFSET, len);
    put64(CREATED_MILLIS_OFFSET, wall_millis());
    put32(STATE_OFFSET, STATE_OPEN);
    for (int i = 0; i < MAX_READERS; ++i) put64(reader_base(i) + READER_TAIL_OFFSET, TAIL_FREE);
    for (int s = 0; s < g.slots; ++s) put64(descriptor_base(s) + DESCRIPTOR_SEQUENCE_OFFSET, SEQUENCE_EMPTY);
    ring->i64(MAGIC_OFFSET).store(MAGIC, std::memory_order_release);  // last (§2 step 8)

    struct stat st;
    if (::fstat(fd, &st) != 0) return fail("cannot stat " + temp + ": " + errno_text(errno));
    ring->dev = st.st_dev;
    ring->ino = st.st_ino;
    if (old) {
        // Built first, locked after: the old lock is held for the few µs to the rename, not for
        // the whole build (a replacer that finds it held waits at most ~2 s).
        std::optional<int64_t> previous;
        try {
            previous = lock_for_replacement(*old);
        } catch (...) {
            ring.reset();
            ::unlink(temp.c_str());
            throw;
        }
        if (!previous) {
            ring.reset();
            ::unlink(temp.c_str());
            return nullptr;
        }
        if (::rename(temp.c_str(), path.c_str()) != 0) {
            const int e = errno;
            // Nothing was replaced: give the old lock back as it was (0, or the dead owner's token
            // that the next writer's takeover needs, §8 step 3).
            int64_t mine = own_token();
            old->i64(LOCK_OWNER_OFFSET).compare_exchange_strong(mine, *previous, std::memory_order_seq_cst);
            return fail("cannot rename " + temp + " to " + path + ": " + errno_text(e));
        }
        // d. The old file's lock is never released: it stays ours (later a dead token), so a later
        // replacer of the same old file always finds it held and the name moved, and starts over;
        // and a writer of the old file that waits for it learns that it was replaced (Writer::lock).
    } else {
        if (::link(temp.c_str(), path.c_str()) != 0) {
            int e = errno;
            ring.reset();
            ::unlink(temp.c_str());
            if (e == EEXIST) return nullptr;
            throw RingError("cannot link " + temp + " to " + path + ": " + errno_text(e));
        }
        ::unlink(temp.c_str());
    }
    return ring;
}

// §2 "Open for writing, join or replace".
inline std::shared_ptr<Ring> open_for_writing(const std::string& name, const Geometry& g) {
    check_name(name);
    if (auto p = g.problem(); !p.empty()) throw RingError("ring " + name + ": " + p);
    for (int attempt = 0; attempt < 5; ++attempt) {
        std::shared_ptr<Ring> old;
        try {
            old = open_ring(name, true);
        } catch (const RingNotFound&) {
            if (auto created = create_ring(name, g, nullptr)) return created;
            continue;  // another creator was faster: look again
        }
        if (old->geometry == g) return old;  // join
        if (old->live_writers() > 0) {  // §7 "Producer alive"
            long pid = token_pid(old->i64(layout::PRODUCER_TOKEN_OFFSET).load(std::memory_order_acquire));
            const Geometry& o = old->geometry;
            throw RingError("ring " + name + " is " + std::to_string(o.width) + "x" + std::to_string(o.height) +
                            " with " + std::to_string(o.slots) + " slots (row stride " +
                            std::to_string(o.row_stride) + ") and in use by a live producer (pid " +
                            std::to_string(pid) + "); cannot make it " + std::to_string(g.width) + "x" +
                            std::to_string(g.height) + " with " + std::to_string(g.slots) + " slots");
        }
        // Replace it; only its lock word is written (steps a-d in create_ring).
        if (auto created = create_ring(name, g, old.get())) return created;
        // Another producer replaced it first: look again (join its ring, or the refusal and
        // replacement rules above).
    }
    throw RingError("ring " + name + " kept being created or replaced by other producers while this one tried; "
                    "giving up");
}

// ---- §8: the writer -----------------------------------------------------------------------------
enum class Policy { Block, Drop, Overwrite };

class Writer {
public:
    std::shared_ptr<Ring> ring;
    Policy policy;
    int64_t block_timeout_ns;
    int entry = -1;
    // This writer's own totals (the shared ones are in the producer line).
    int64_t published = 0, dropped = 0, lock_takeovers = 0;

    Writer(std::shared_ptr<Ring> r, Policy p, int64_t timeout_ns)
        : ring(std::move(r)), policy(p), block_timeout_ns(timeout_ns), token_(own_token()), pid_(::getpid()) {
        using namespace layout;
        for (int i = 0; i < MAX_WRITERS && entry < 0; ++i) {  // enter the writers line
            auto ref = ring->i64(writer_token(i));
            int64_t e = ref.load(std::memory_order_acquire);
            if ((e == 0 || !token_alive(e)) && ref.compare_exchange_strong(e, token_, std::memory_order_seq_cst))
                entry = i;
        }
        if (entry < 0) throw RingError("all 8 writer slots of " + ring->name + " are taken by live writers");
        become_producer();
        last_publish_ns_ = next_sweep_ns_ = monotonic_ns();
    }
    ~Writer() { close(); }

    bool closed() const { return closed_; }
    bool claimed() const { return claimed_; }
    int64_t claim_sequence() const { return claim_seq_; }
    int64_t claim_slot() const { return claim_seq_ % ring->geometry.slots; }

    // §8 steps 0-7. Returns the sequence claimed, or nothing when the policy dropped the frame.
    std::optional<int64_t> claim(const Interrupt& interrupt) {
        using namespace layout;
        if (closed_) throw RingError("the writer of " + ring->name + " is closed");
        check_same_process(pid_, "this writer");
        if (claimed_) throw RingError("a frame is already claimed on this writer; publish or abort it first");
        if (last_publish_ns_ >= next_sweep_ns_) {  // 0. sweep, outside the lock
            next_sweep_ns_ = last_publish_ns_ + 500'000'000;
            ring->reclaim_dead_readers();
        }
        const bool took_over = lock(interrupt);  // 1.
        try {
            if (ring->i32(STATE_OFFSET).load(std::memory_order_relaxed) != STATE_OPEN) become_producer();  // 2.
            int64_t seq = 0;
            if (took_over) {  // 3. a dead owner that stored its frame's SEQUENCE but not HEAD: finish it
                seq = ring->i64(HEAD_OFFSET).load(std::memory_order_acquire);
                const size_t d = descriptor_base(seq % ring->geometry.slots);
                if (ring->i64(d + DESCRIPTOR_SEQUENCE_OFFSET).load(std::memory_order_acquire) == seq)
                    ring->i64(HEAD_OFFSET).store(seq + 1, std::memory_order_release);
            }
            // 3.-5. This writer scans on every check (it keeps no oldest tail), so READER_ATTACHES
            // is not needed here; the fence still is.
            auto look = [&] {
                seq = ring->i64(HEAD_OFFSET).load(std::memory_order_acquire);
                std::atomic_thread_fence(std::memory_order_seq_cst);
                return seq - oldest_tail() < ring->geometry.slots;
            };
            auto look_again = [&] {  // 6.1
                int64_t now = monotonic_ns();
                if (!checked_ || now >= next_check_ns_) {
                    checked_ = true;
                    next_check_ns_ = now + 50'000'000;
                    ring->reclaim_dead_readers();
                }
                return look();
            };
            if (!look() && !look_again()) {
                const int64_t t1 = monotonic_ns();
                bool admit = policy == Policy::Overwrite;
                if (policy == Policy::Block) {
                    // 6.3, while it waits: BLOCKED_NANOS grows at each re-check by the time since the
                    // last one, so tools see a writer that is blocked right now, not only after.
                    int64_t accounted = t1;
                    auto account = [&] {
                        const int64_t now = monotonic_ns();
                        add_blocked(now - accounted);
                        accounted = now;
                    };
                    Idler idler;
                    int64_t next_interrupt = t1 + 50'000'000;
                    for (;;) {
                        idler.idle();
                        account();
                        if (accounted >= next_interrupt) {
                            next_interrupt = accounted + 50'000'000;
                            try {
                                interrupt();
                            } catch (...) {
                                account();
                                throw;
                            }
                        }
                        if (look_again()) {
                            admit = true;
                            break;
                        }
                        if (monotonic_ns() - t1 >= block_timeout_ns) break;
                    }
                    account();  // 6.3: the rest, up to now
                }
                if (!admit) {  // 6.4
                    auto drops = ring->i64(PRODUCER_DROPS_OFFSET);
                    drops.store(drops.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
                    ++dropped;
                    unlock();
                    return std::nullopt;
                }
            }
            const int64_t slot = seq % ring->geometry.slots;  // 7.
            ring->i64(descriptor_base(slot) + DESCRIPTOR_SEQUENCE_OFFSET)
                .store(seq | SEQUENCE_WRITING_BIT, std::memory_order_relaxed);
            std::atomic_thread_fence(std::memory_order_release);
            claimed_ = true;
            claim_seq_ = seq;
            return seq;
        } catch (...) {
            unlock();
            throw;
        }
    }

    // §8 steps 9-13. checksum: 0 = none. publish_ns: the frame's time (step 9: a capture time, or the
    // time of a frame this one relays), or nullopt for now. Returns the time stored.
    int64_t publish(int64_t checksum, std::optional<int64_t> publish_ns = std::nullopt) {
        using namespace layout;
        if (!claimed_) throw RingError("no frame is claimed on this writer");
        check_same_process(pid_, "this writer");
        const Geometry& g = ring->geometry;
        const size_t d = descriptor_base(claim_seq_ % g.slots);
        ring->i32(d + DESCRIPTOR_WIDTH_OFFSET).store(g.width, std::memory_order_relaxed);
        ring->i32(d + DESCRIPTOR_HEIGHT_OFFSET).store(g.height, std::memory_order_relaxed);
        ring->i32(d + DESCRIPTOR_ROW_STRIDE_OFFSET).store(g.row_stride, std::memory_order_relaxed);
        ring->i64(d + DESCRIPTOR_CHECKSUM_OFFSET).store(checksum, std::memory_order_relaxed);
        // 0: a frame first published in this ring (the slot may hold a bridge's copy, 1 + its source's sequence).
        ring->i64(d + DESCRIPTOR_SOURCE_SEQUENCE_OFFSET).store(0, std::memory_order_relaxed);
        const int64_t now = publish_ns ? *publish_ns : monotonic_ns();
        ring->i64(d + DESCRIPTOR_PUBLISH_NANOS_OFFSET).store(now, std::memory_order_relaxed);
        last_publish_ns_ = now;
        ring->i64(d + DESCRIPTOR_SEQUENCE_OFFSET).store(claim_seq_, std::memory_order_release);  // 10.
        // 11. seq_cst, not only release: the store of the store-load pair with a sleeping reader's
        // announce and look again (§9 "Sleeping"); 12. wake sleepers; 13. unlock.
        ring->i64(HEAD_OFFSET).store(claim_seq_ + 1, std::memory_order_seq_cst);
        ring->wake_sleepers();
        claimed_ = false;
        ++published;
        unlock();
        return now;
    }

    // Leaves the slot with its WRITING mark; HEAD does not move.
    void abort() {
        if (!claimed_ || ::getpid() != pid_) return;
        claimed_ = false;
        unlock();
    }

    void close() {
        using namespace layout;
        if (closed_) return;
        closed_ = true;
        if (::getpid() != pid_) return;  // a forked child: the entry and the lock are the parent's
        abort();
        int64_t mine = token_;
        ring->i64(writer_token(entry)).compare_exchange_strong(mine, 0, std::memory_order_seq_cst);
        if (ring->live_writers() == 0) {  // §8 closing step 3: closed, and sleepers notice it now
            ring->i32(STATE_OFFSET).store(STATE_CLOSED, std::memory_order_release);
            ring->wake_sleepers();
        }
    }

private:
    int64_t token_;
    long pid_;
    int64_t last_publish_ns_ = 0, next_sweep_ns_ = 0, next_check_ns_ = 0;
    bool checked_ = false, claimed_ = false, closed_ = false;
    int64_t claim_seq_ = -1;

    void become_producer() {
        using namespace layout;
        ring->i64(PRODUCER_TOKEN_OFFSET).store(token_, std::memory_order_release);
        ring->i64(EPOCH_OFFSET).fetch_add(1, std::memory_order_seq_cst);
        ring->i32(STATE_OFFSET).store(STATE_OPEN, std::memory_order_release);
    }

    int64_t oldest_tail() const {
        using namespace layout;
        int64_t oldest = TAIL_FREE;
        for (int i = 0; i < MAX_READERS; ++i) {
            const size_t b = reader_base(i);
            if (ring->i64(b + READER_OWNER_OFFSET).load(std::memory_order_acquire) != 0)
                oldest = std::min(oldest, ring->i64(b + READER_TAIL_OFFSET).load(std::memory_order_acquire));
        }
        return oldest;
    }

    // §8 step 6.3: relaxed load, relaxed store; safe because only the lock holder writes it.
    void add_blocked(int64_t ns) {
        auto blocked = ring->i64(layout::BLOCKED_NANOS_OFFSET);
        blocked.store(blocked.load(std::memory_order_relaxed) + ns, std::memory_order_relaxed);
    }

    // Returns whether the lock was taken over from a dead owner.
    bool lock(const Interrupt& interrupt) {
        auto owner_ref = ring->i64(layout::LOCK_OWNER_OFFSET);
        int64_t expected = 0;
        if (owner_ref.compare_exchange_strong(expected, token_, std::memory_order_seq_cst)) return false;
        const int64_t first_fail = monotonic_ns();
        int64_t next_live_check = first_fail + 50'000'000, next_interrupt = first_fail + 50'000'000;
        Idler idler;
        for (;;) {
            int64_t owner = owner_ref.load(std::memory_order_acquire);
            if (owner == 0) {
                if (owner_ref.compare_exchange_strong(owner, token_, std::memory_order_seq_cst)) return false;
                continue;
            }
            int64_t now = monotonic_ns();
            if (now >= next_live_check) {
                next_live_check = now + 50'000'000;
                // §2: a producer that replaces a ring holds the old file's lock for good. A writer of
                // the old file would wait forever (the replacer lives) or take the lock over from
                // a dead replacer and publish into a file no reader can open: fail instead.
                if (ring->replaced())
                    throw RingError("ring " + ring->name + " was replaced by another producer (" + ring->path +
                                    " no longer names this writer's file); open a new writer");
                if (!token_alive(owner) && owner_ref.compare_exchange_strong(owner, token_, std::memory_order_seq_cst)) {
                    ++lock_takeovers;
                    return true;
                }
            }
            if (now >= next_interrupt) {
                next_interrupt = now + 50'000'000;
                interrupt();
            }
            idler.idle();
        }
    }

    void unlock() { ring->i64(layout::LOCK_OWNER_OFFSET).store(0, std::memory_order_release); }
};

// ---- §9: the reader -----------------------------------------------------------------------------
struct FrameInfo {
    // source_sequence: the frame's sequence in the ring it was first published in (§4 "Slot descriptors").
    int64_t sequence, slot, publish_ns, latency_ns, checksum, source_sequence;
    int32_t width, height, row_stride;
};

class Reader {
public:
    std::shared_ptr<Ring> ring;
    int line = -1;
    int32_t mode;
    // §12: frames + skipped + lost == tail - attach_tail; torn is a subset of lost.
    int64_t tail = 0, frames = 0, skipped = 0, lost = 0, torn = 0;
    bool holding = false;
    // Wait::Futex, this reader only (not in the file): FUTEX_WAIT calls made, and those that ran to
    // their limit although a frame had been published at least MISSED_WAKEUP_NS before, i.e. a
    // wake-up that never came (a writer without §8 step 12, or a lost wake-up). 0 on a sound ring.
    int64_t sleeps = 0, missed_wakeups = 0;

    // How next() waits: Wait::Futex polls for SPIN_NS before it sleeps; every wait calls the
    // interrupt every INTERRUPT_EVERY_NS and looks for a replaced ring every REPLACED_EVERY_NS.
    static constexpr int64_t SPIN_NS = 5'000, INTERRUPT_EVERY_NS = 50'000'000, REPLACED_EVERY_NS = 100'000'000,
                             MISSED_WAKEUP_NS = 1'000'000;

    Reader(std::shared_ptr<Ring> r, int32_t read_mode)
        : ring(std::move(r)), mode(read_mode), token_(own_token()), pid_(::getpid()) {
        using namespace layout;
        for (int round = 0; round < 2 && line < 0; ++round) {
            if (round == 1) ring->reclaim_dead_readers();
            for (int i = 0; i < MAX_READERS && line < 0; ++i) {
                auto owner = ring->i64(reader_base(i) + READER_OWNER_OFFSET);
                int64_t zero = 0;
                if (owner.load(std::memory_order_acquire) == 0 &&
                    owner.compare_exchange_strong(zero, token_, std::memory_order_seq_cst))
                    line = i;
            }
        }
        if (line < 0) throw RingError("all 16 reader slots of " + ring->name + " are taken");
        const size_t b = reader_base(line);
        ring->i32(b + READER_MODE_OFFSET).store(mode, std::memory_order_release);
        for (size_t off : {READER_FRAMES_OFFSET, READER_LOST_OFFSET, READER_TORN_OFFSET, READER_LATENCY_OFFSET,
                           READER_SKIPPED_OFFSET})
            ring->i64(b + off).store(0, std::memory_order_relaxed);
        const int64_t h1 = ring->i64(HEAD_OFFSET).load(std::memory_order_acquire);
        ring->i64(b + READER_TAIL_OFFSET).store(h1, std::memory_order_seq_cst);
        ring->i64(READER_ATTACHES_OFFSET).fetch_add(1, std::memory_order_seq_cst);
        const int64_t h2 = ring->i64(HEAD_OFFSET).load(std::memory_order_seq_cst);
        tail = std::max(h1, h2 - ring->geometry.slots + 1);
        ring->i64(b + READER_TAIL_OFFSET).store(tail, std::memory_order_release);
        attach_tail = tail;
    }
    ~Reader() { close(); }

    int64_t attach_tail = 0;
    bool closed() const { return closed_; }

    // §9 "Poll": the next frame, in place, or nothing.
    std::optional<FrameInfo> poll() {
        using namespace layout;
        if (closed_) throw RingError("the reader of " + ring->name + " is closed");
        check_same_process(pid_, "this reader");
        if (holding) throw RingError("a frame is already held by this reader; release it first");
        const int64_t slots = ring->geometry.slots;
        int64_t head = ring->i64(HEAD_OFFSET).load(std::memory_order_acquire);
        if (tail >= head) return std::nullopt;
        // A latest reader only ever wants the newest frame: what it passes over is skipped by design.
        if (mode == MODE_LATEST && head - 1 > tail) skip(head - 1, Skip::ByDesign);
        for (;;) {
            const int64_t slot = tail % slots;
            const size_t d = descriptor_base(slot);
            const int64_t seq = ring->i64(d + DESCRIPTOR_SEQUENCE_OFFSET).load(std::memory_order_acquire);
            if (seq == tail) {
                const int64_t now = monotonic_ns();
                FrameInfo f;
                f.sequence = tail;
                f.slot = slot;
                f.publish_ns = ring->i64(d + DESCRIPTOR_PUBLISH_NANOS_OFFSET).load(std::memory_order_relaxed);
                f.width = ring->i32(d + DESCRIPTOR_WIDTH_OFFSET).load(std::memory_order_relaxed);
                f.height = ring->i32(d + DESCRIPTOR_HEIGHT_OFFSET).load(std::memory_order_relaxed);
                f.row_stride = ring->i32(d + DESCRIPTOR_ROW_STRIDE_OFFSET).load(std::memory_order_relaxed);
                f.checksum = ring->i64(d + DESCRIPTOR_CHECKSUM_OFFSET).load(std::memory_order_relaxed);
                const int64_t source = ring->i64(d + DESCRIPTOR_SOURCE_SEQUENCE_OFFSET).load(std::memory_order_relaxed);
                f.source_sequence = source == 0 ? tail : source - 1;
                f.latency_ns = now - f.publish_ns;
                ring->i64(reader_base(line) + READER_LATENCY_OFFSET).store(f.latency_ns, std::memory_order_relaxed);
                holding = true;
                return f;
            }
            head = ring->i64(HEAD_OFFSET).load(std::memory_order_acquire);  // lapped
            // An every reader loses what the writer overwrote; a latest reader lapped while it chose
            // the newest frame just skips again to the (new) newest.
            const int64_t oldest_intact = mode == MODE_LATEST ? head - 1 : head - slots + 1;
            skip(std::max(tail + 1, oldest_intact), mode == MODE_LATEST ? Skip::ByDesign : Skip::Lost);
            if (tail >= head) return std::nullopt;
        }
    }

    // The next frame, waiting up to timeout_ns (INT64_MAX: no limit) as `how` says; nothing when the
    // time is up. Throws RingClosed once the producer closed the ring and every frame published is
    // read (§9 "Noticing the end"), or once the ring was replaced (§2). Wait::Futex spins for SPIN_NS,
    // then sleeps in the kernel (§9 "Sleeping") until a writer publishes or closes the ring, each
    // sleep cut at the next periodic check, so the interrupt and the replacement check still run.
    std::optional<FrameInfo> next(int64_t timeout_ns, Wait how, const Interrupt& interrupt) {
        const int64_t start = monotonic_ns();
        int64_t next_interrupt = start + INTERRUPT_EVERY_NS, next_replaced = start + REPLACED_EVERY_NS;
        bool signalled = false;
        Idler idler(how);
        for (;;) {
            if (auto f = poll()) return f;
            if (finished()) {
                if (auto f = poll()) return f;
                throw RingClosed("ring " + ring->name +
                                 " was closed by its producer and every frame published is read");
            }
            const int64_t now = monotonic_ns();
            if (now - start >= timeout_ns) return std::nullopt;
            if (due(now, next_replaced, REPLACED_EVERY_NS) && ring->replaced())
                throw RingClosed("ring " + ring->name +
                                 " was replaced or removed (the name now names another file or none); "
                                 "open a new Reader to follow it");
            if (due(now, next_interrupt, INTERRUPT_EVERY_NS) || signalled) {
                signalled = false;
                interrupt();
            }
            if (how == Wait::Futex && now - start >= SPIN_NS) {
                const int64_t left = timeout_ns - (now - start);
                signalled = sleep_on_head(std::min({left, next_interrupt - now, next_replaced - now}));
            } else {
                idler.idle();
            }
        }
    }

    // §9 "Release": true iff the frame stayed intact while held.
    bool release() {
        using namespace layout;
        if (!holding) throw RingError("no frame is held by this reader");
        check_same_process(pid_, "this reader");
        std::atomic_thread_fence(std::memory_order_acquire);
        const size_t d = descriptor_base(tail % ring->geometry.slots);
        const bool intact = ring->i64(d + DESCRIPTOR_SEQUENCE_OFFSET).load(std::memory_order_relaxed) == tail;
        const size_t b = reader_base(line);
        if (intact) {
            ring->i64(b + READER_FRAMES_OFFSET).store(++frames, std::memory_order_relaxed);
        } else {
            ring->i64(b + READER_TORN_OFFSET).store(++torn, std::memory_order_relaxed);
            ring->i64(b + READER_LOST_OFFSET).store(++lost, std::memory_order_relaxed);
        }
        holding = false;
        ring->i64(b + READER_TAIL_OFFSET).store(++tail, std::memory_order_release);
        return intact;
    }

    // Producer closed the ring (STATE_CLOSED) and every frame published is consumed.
    bool finished() const {
        using namespace layout;
        if (ring->i32(STATE_OFFSET).load(std::memory_order_acquire) != STATE_CLOSED) return false;
        return tail >= ring->i64(HEAD_OFFSET).load(std::memory_order_acquire);
    }

    // §9 "Close". A held frame is abandoned.
    void close() {
        using namespace layout;
        if (closed_) return;
        closed_ = true;
        holding = false;
        if (::getpid() != pid_) return;  // a forked child: the line is the parent's
        const size_t b = reader_base(line);
        auto owner = ring->i64(b + READER_OWNER_OFFSET);
        int64_t mine = token_;
        if (owner.load(std::memory_order_acquire) != mine) return;  // reclaimed by someone who judged us dead
        ring->i64(b + READER_TAIL_OFFSET).store(TAIL_FREE, std::memory_order_release);
        owner.compare_exchange_strong(mine, 0, std::memory_order_seq_cst);
    }

    // Whether this reader still owns its line (false after a reclaim by another process).
    bool owns_line() const {
        return ring->i64(layout::reader_base(line) + layout::READER_OWNER_OFFSET).load(std::memory_order_acquire) ==
               token_;
    }

private:
    int64_t token_;
    long pid_;
    bool closed_ = false;

    enum class Skip { ByDesign, Lost };

    // Whether a periodic check is due at `now`; if so, moves `next` on to its next time on the same
    // grid (start + k * every), so checks of different periods fall on the same wake-ups.
    static bool due(int64_t now, int64_t& next, int64_t every) {
        if (now < next) return false;
        next += (now - next) / every * every + every;
        return true;
    }

    // §9 "Sleeping", steps 1-4: announce, look again, sleep while the futex word (HEAD's low 32 bits)
    // is what the look saw, for at most max_ns, withdraw. Every way the sleep ends (woken, EAGAIN
    // because HEAD had moved, EINTR, the time limit) is followed by a poll. Returns whether a signal
    // cut the sleep short (EINTR).
    bool sleep_on_head(int64_t max_ns) {
        using namespace layout;
        const int32_t bit = int32_t(1) << line;
        auto sleepers = ring->i32(SLEEPERS_OFFSET);
        sleepers.fetch_or(bit, std::memory_order_seq_cst);                            // 1. announce
        const int64_t head = ring->i64(HEAD_OFFSET).load(std::memory_order_seq_cst);  // 2. look again
        int error = 0;
        if (tail >= head) {  // 3. nothing yet (else a frame came meanwhile: withdraw and poll)
            ++sleeps;
            const int64_t ends = monotonic_ns() + max_ns;
            const timespec limit{time_t(max_ns / 1'000'000'000), long(max_ns % 1'000'000'000)};
            if (futex(ring->futex_word(), FUTEX_WAIT, uint32_t(head), &limit) != 0) error = errno;
            if (error == ETIMEDOUT && published_by(head, ends - MISSED_WAKEUP_NS)) ++missed_wakeups;
        }
        sleepers.fetch_and(~bit, std::memory_order_seq_cst);  // 4. withdraw
        return error == EINTR;
    }

    // Whether frame seq is out (HEAD passed it) and was stamped (PUBLISH_NANOS, §8 step 9) at or
    // before t. False when its slot was rewritten since: then it cannot tell.
    bool published_by(int64_t seq, int64_t t) const {
        using namespace layout;
        if (ring->i64(HEAD_OFFSET).load(std::memory_order_acquire) <= seq) return false;
        const size_t d = descriptor_base(seq % ring->geometry.slots);
        auto sequence = ring->i64(d + DESCRIPTOR_SEQUENCE_OFFSET);
        if (sequence.load(std::memory_order_acquire) != seq) return false;
        const int64_t stamp = ring->i64(d + DESCRIPTOR_PUBLISH_NANOS_OFFSET).load(std::memory_order_relaxed);
        std::atomic_thread_fence(std::memory_order_acquire);
        return sequence.load(std::memory_order_relaxed) == seq && stamp <= t;
    }

    // §9 "Skip to t": the frames passed over count as SKIPPED (latest mode) or LOST (lapped in every
    // mode). Private totals, relaxed stores: only this reader writes its counters.
    void skip(int64_t t, Skip why) {
        using namespace layout;
        if (why == Skip::ByDesign) {
            skipped += t - tail;
            ring->i64(reader_base(line) + READER_SKIPPED_OFFSET).store(skipped, std::memory_order_relaxed);
        } else {
            lost += t - tail;
            ring->i64(reader_base(line) + READER_LOST_OFFSET).store(lost, std::memory_order_relaxed);
        }
        tail = t;
        ring->i64(layout::reader_base(line) + layout::READER_TAIL_OFFSET).store(t, std::memory_order_release);
    }
};

}  // namespace nb
