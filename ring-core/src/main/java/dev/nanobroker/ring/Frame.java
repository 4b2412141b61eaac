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

    private long sequence;
    private int slot;
    private long publishNanos;
    private long observeNanos;
    private int width;
    private int height;
    private int rowStride;
    private long checksum;
    private MemorySegment pixels;

    void bind(long sequence, int slot, long publishNanos, long observeNanos, int width, int height,
              int rowStride, long checksum, MemorySegment pixels) {
        this.sequence = sequence;
        this.slot = slot;
        this.publishNanos = publishNanos;
        this.observeNanos = observeNanos;
        this.width = width;
        this.height = height;
        this.rowStride = rowStride;
        this.checksum = checksum;
        this.pixels = pixels;
    }

    public long sequence() {
        return sequence;
    }

    public int slot() {
        return slot;
    }

    /** When the writer published the frame, on {@link System#nanoTime()} (CLOCK_MONOTONIC on Linux). */
    public long publishNanos() {
        return publishNanos;
    }

    /** Publish-to-observe latency: from the writer's publish to this reader's poll, in ns. */
    public long latencyNanos() {
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
