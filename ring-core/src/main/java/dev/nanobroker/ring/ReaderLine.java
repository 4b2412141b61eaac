package dev.nanobroker.ring;

import java.lang.foreign.MemorySegment;

import static dev.nanobroker.ring.HeaderWords.*;
import static dev.nanobroker.ring.RingLayout.*;

/**
 * One reader line of the header (docs/ring-layout.md §4, "Reader lines"): its words' absolute
 * offsets, computed once, and every access named for its ordering. The tail is the only hot word
 * (the writer reads it, its reader writes it) and sits alone on its cache line; the owner and mode
 * are read by writers and tools; the counters are written only by the line's owner (opaque) and read
 * by tools (§12). A view over shared memory: immutable, safe from any thread.
 */
final class ReaderLine {

    private final MemorySegment header;
    private final int index;
    private final long tail;
    private final long owner;
    private final long mode;
    private final long frames;
    private final long lost;
    private final long torn;
    private final long latency;
    private final long skipped;

    ReaderLine(MemorySegment header, int index) {
        this.header = header;
        this.index = index;
        long base = readerOffset(index);
        this.tail = base + READER_TAIL_OFFSET;
        this.owner = base + READER_OWNER_OFFSET;
        this.mode = base + READER_MODE_OFFSET;
        this.frames = base + READER_FRAMES_OFFSET;
        this.lost = base + READER_LOST_OFFSET;
        this.torn = base + READER_TORN_OFFSET;
        this.latency = base + READER_LATENCY_OFFSET;
        this.skipped = base + READER_SKIPPED_OFFSET;
    }

    /** The line's index, 0 to {@link RingLayout#MAX_READERS} - 1. */
    int index() {
        return index;
    }

    long tailAcquire() {
        return getLongAcquire(header, tail);
    }

    /** Moves the tail: the writer may reuse the slots below it from now on. */
    void putTailRelease(long value) {
        putLongRelease(header, tail, value);
    }

    /** The store of the attach's store-load pattern (§9 attach step 4). */
    void putTailVolatile(long value) {
        putLongVolatile(header, tail, value);
    }

    long ownerAcquire() {
        return getLongAcquire(header, owner);
    }

    boolean compareAndSetOwner(long expected, long value) {
        return compareAndSetLong(header, owner, expected, value);
    }

    void putOwnerRelease(long value) {
        putLongRelease(header, owner, value);
    }

    /** The {@code MODE_*} code, or 0 for a line never attached. */
    int modeAcquire() {
        return getIntAcquire(header, mode);
    }

    void putModeRelease(int code) {
        putIntRelease(header, mode, code);
    }

    /** §9 attach step 3: a new owner starts from zero, whatever the last one counted. */
    void resetCounters() {
        putLongOpaque(header, frames, 0L);
        putLongOpaque(header, lost, 0L);
        putLongOpaque(header, torn, 0L);
        putLongOpaque(header, latency, 0L);
        putLongOpaque(header, skipped, 0L);
    }

    // The counters (§12): only the owner writes them, so a plain count kept by the owner is stored opaque.

    void putFramesOpaque(long value) {
        putLongOpaque(header, frames, value);
    }

    void putLostOpaque(long value) {
        putLongOpaque(header, lost, value);
    }

    void putTornOpaque(long value) {
        putLongOpaque(header, torn, value);
    }

    void putLatencyOpaque(long nanos) {
        putLongOpaque(header, latency, nanos);
    }

    void putSkippedOpaque(long value) {
        putLongOpaque(header, skipped, value);
    }

    long framesOpaque() {
        return getLongOpaque(header, frames);
    }

    long lostOpaque() {
        return getLongOpaque(header, lost);
    }

    long tornOpaque() {
        return getLongOpaque(header, torn);
    }

    long latencyOpaque() {
        return getLongOpaque(header, latency);
    }

    long skippedOpaque() {
        return getLongOpaque(header, skipped);
    }
}
