package dev.nanobroker.ring;

import java.lang.foreign.MemorySegment;

/**
 * A frame a reader holds: a view of the slot in shared memory, not a copy. Valid until the reader's
 * next {@link RingReader#release()}; the same object is reused for every frame of its reader.
 *
 * <p>Under the {@code block} policy no writer touches a held slot. Under {@code overwrite} a writer may
 * lap the reader and rewrite the slot while it is read: whoever computes from the pixels must treat
 * the result as valid only if {@link RingReader#release()} then returns true.
 */
public final class Frame {

    /** Where the first {@link #latencyNanos()} of a frame records it, as the line's LATENCY. */
    private final ReaderLine line;
    private long sequence;
    private int slot;
    private long publishNanos;
    private long observeNanos;
    private boolean observed;
    private int width;
    private int height;
    private int rowStride;
    private long checksum;
    private long sourceSequence;
    private MemorySegment pixels;

    Frame(ReaderLine line) {
        this.line = line;
    }

    void bind(long sequence, int slot, long publishNanos, int width, int height, int rowStride, long checksum,
              long sourceSequence, MemorySegment pixels) {
        this.sequence = sequence;
        this.slot = slot;
        this.publishNanos = publishNanos;
        this.observed = false;
        this.width = width;
        this.height = height;
        this.rowStride = rowStride;
        this.checksum = checksum;
        this.sourceSequence = sourceSequence;
        this.pixels = pixels;
    }

    public long sequence() {
        return sequence;
    }

    /**
     * The frame's sequence in the ring where it was first published: for a copy a bridge received from
     * another ring ({@link FrameClaim#sourceSequence(long)}), its sequence there, which stays the same
     * however many rings it crossed; for a frame first published here, {@link #sequence()}. Frames a
     * bridge skipped leave gaps in it, not in {@link #sequence()}.
     */
    public long sourceSequence() {
        return sourceSequence;
    }

    public int slot() {
        return slot;
    }

    /**
     * The frame's publish time on {@link System#nanoTime()} (CLOCK_MONOTONIC on Linux): when the writer
     * published it, or the time its writer gave ({@link FrameClaim#publish(long)}).
     */
    public long publishNanos() {
        return publishNanos;
    }

    /**
     * Publish-to-observe latency in ns: from {@link #publishNanos()} to this method's first call for
     * this frame, which reads the clock and records the result as the reader line's LATENCY (what
     * {@code stat} shows); later calls return the same value. Call it right after the poll. A poll
     * reads no clock itself, so a reader that never asks pays for none (docs/benchmarks.md, ping-pong).
     */
    public long latencyNanos() {
        if (!observed) {
            observed = true;
            observeNanos = System.nanoTime();
            line.putLatencyOpaque(observeNanos - publishNanos);
        }
        return observeNanos - publishNanos;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int rowStride() {
        return rowStride;
    }

    /** The checksum the writer stored with the frame (0 when it stored none). */
    public long checksum() {
        return checksum;
    }

    /** The slot's pixels in place: BGRA premultiplied, {@code rowStride * height} bytes. */
    public MemorySegment pixels() {
        return pixels;
    }
}
