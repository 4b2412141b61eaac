package dev.nanobroker.ring;

import java.lang.foreign.MemorySegment;

import static dev.nanobroker.ring.HeaderWords.*;
import static dev.nanobroker.ring.RingLayout.*;

/**
 * One slot: its descriptor line (docs/ring-layout.md §4, "Slot descriptors") with its words'
 * absolute offsets computed once, every access named for its ordering, and the slot's pixels. The
 * sequence is the seqlock word (§8 steps 7 and 10, §9 poll step 3 and release): stored opaque with
 * the WRITING mark before the pixels change, released once pixels and fields are in place, read with
 * acquire before a reader trusts the slot and again after it is done. The other fields are written
 * only between those two stores, so opaque suffices for them. A view over shared memory: immutable,
 * safe from any thread.
 */
final class SlotDescriptor {

    private final MemorySegment header;
    private final int slot;
    private final long sequence;
    private final long publishNanos;
    private final long width;
    private final long height;
    private final long rowStride;
    private final long checksum;
    private final MemorySegment pixels;

    SlotDescriptor(MemorySegment header, int slot, MemorySegment pixels) {
        this.header = header;
        this.slot = slot;
        long base = descriptorOffset(slot);
        this.sequence = base + DESCRIPTOR_SEQUENCE_OFFSET;
        this.publishNanos = base + DESCRIPTOR_PUBLISH_NANOS_OFFSET;
        this.width = base + DESCRIPTOR_WIDTH_OFFSET;
        this.height = base + DESCRIPTOR_HEIGHT_OFFSET;
        this.rowStride = base + DESCRIPTOR_ROW_STRIDE_OFFSET;
        this.checksum = base + DESCRIPTOR_CHECKSUM_OFFSET;
        this.pixels = pixels;
    }

    int slot() {
        return slot;
    }

    /** The slot's pixels in place: read-only unless this process opened the ring to write frames. */
    MemorySegment pixels() {
        return pixels;
    }

    /** The sequence, acquired: when it equals a frame's, that frame's pixels and fields are visible. */
    long sequenceAcquire() {
        return getLongAcquire(header, sequence);
    }

    /** The sequence again after reading the slot; order the reads before it with an acquire fence. */
    long sequenceOpaque() {
        return getLongOpaque(header, sequence);
    }

    /** §8 step 7, the WRITING mark; follow it with a store-store fence before the first pixel store. */
    void putSequenceOpaque(long value) {
        putLongOpaque(header, sequence, value);
    }

    /** §8 step 10: publishes pixels and fields stored before it. */
    void putSequenceRelease(long value) {
        putLongRelease(header, sequence, value);
    }

    /** §8 step 9: the frame's fields, stored while the slot is marked WRITING. */
    void putFields(int frameWidth, int frameHeight, int frameRowStride, long frameChecksum, long frameNanos) {
        putIntOpaque(header, width, frameWidth);
        putIntOpaque(header, height, frameHeight);
        putIntOpaque(header, rowStride, frameRowStride);
        putLongOpaque(header, checksum, frameChecksum);
        putLongOpaque(header, publishNanos, frameNanos);
    }

    long publishNanos() {
        return getLongOpaque(header, publishNanos);
    }

    int width() {
        return getIntOpaque(header, width);
    }

    int height() {
        return getIntOpaque(header, height);
    }

    int rowStride() {
        return getIntOpaque(header, rowStride);
    }

    long checksum() {
        return getLongOpaque(header, checksum);
    }
}
