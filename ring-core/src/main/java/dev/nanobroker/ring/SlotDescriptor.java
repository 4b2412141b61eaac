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

    /** The source sequence of a frame first published in this ring. */
    static final long NO_SOURCE = -1;

    private final MemorySegment header;
    private final int slot;
    /** The descriptor line's offset; the fields are constant offsets from it. */
    private final long base;
    private final MemorySegment pixels;

    SlotDescriptor(MemorySegment header, int slot, MemorySegment pixels) {
        this.header = header;
        this.slot = slot;
        this.base = descriptorOffset(slot);
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
        return getLongAcquire(header, base + DESCRIPTOR_SEQUENCE_OFFSET);
    }

    /** The sequence again after reading the slot; order the reads before it with an acquire fence. */
    long sequenceOpaque() {
        return getLongOpaque(header, base + DESCRIPTOR_SEQUENCE_OFFSET);
    }

    /** §8 step 7, the WRITING mark; follow it with a store-store fence before the first pixel store. */
    void putSequenceOpaque(long value) {
        putLongOpaque(header, base + DESCRIPTOR_SEQUENCE_OFFSET, value);
    }

    /** §8 step 10: publishes pixels and fields stored before it. */
    void putSequenceRelease(long value) {
        putLongRelease(header, base + DESCRIPTOR_SEQUENCE_OFFSET, value);
    }

    /**
     * §8 step 9: the frame's fields, stored while the slot is marked WRITING.
     *
     * @param sourceSequence the frame's sequence in the ring it was first published in, or
     *     {@link #NO_SOURCE} for a frame first published here (stored as 1 + the sequence, 0 for none)
     */
    void putFields(int frameWidth, int frameHeight, int frameRowStride, long frameChecksum, long sourceSequence) {
        // Fields into locals once: an opaque access is a compiler barrier, after which the JIT loads
        // a field again for every store.
        MemorySegment words = header;
        long line = base;
        putIntOpaque(words, line + DESCRIPTOR_WIDTH_OFFSET, frameWidth);
        putIntOpaque(words, line + DESCRIPTOR_HEIGHT_OFFSET, frameHeight);
        putIntOpaque(words, line + DESCRIPTOR_ROW_STRIDE_OFFSET, frameRowStride);
        putLongOpaque(words, line + DESCRIPTOR_CHECKSUM_OFFSET, frameChecksum);
        long storedSource = sourceSequence + 1;
        // Almost every frame is its ring's own (0) in a slot that already says so: a load of the line
        // being written costs less than a store (JMH claimPublish: 3.5-4 ns a frame).
        if (storedSource != 0 || getLongOpaque(words, line + DESCRIPTOR_SOURCE_SEQUENCE_OFFSET) != 0) {
            putLongOpaque(words, line + DESCRIPTOR_SOURCE_SEQUENCE_OFFSET, storedSource);
        }
    }

    /** §8 step 9's last field, the publish time. */
    void putPublishNanos(long nanos) {
        putLongOpaque(header, base + DESCRIPTOR_PUBLISH_NANOS_OFFSET, nanos);
    }

    /**
     * Points {@code frame} at {@code sequence} in this slot, reading the fields the writer stored
     * before the sequence the caller has just acquired equal to {@code sequence}.
     */
    Frame bind(Frame frame, long sequence) {
        MemorySegment words = header;
        long line = base;
        long storedSource = getLongOpaque(words, line + DESCRIPTOR_SOURCE_SEQUENCE_OFFSET);
        frame.bind(sequence, slot, getLongOpaque(words, line + DESCRIPTOR_PUBLISH_NANOS_OFFSET),
                getIntOpaque(words, line + DESCRIPTOR_WIDTH_OFFSET),
                getIntOpaque(words, line + DESCRIPTOR_HEIGHT_OFFSET),
                getIntOpaque(words, line + DESCRIPTOR_ROW_STRIDE_OFFSET),
                getLongOpaque(words, line + DESCRIPTOR_CHECKSUM_OFFSET),
                storedSource == 0 ? sequence : storedSource - 1,
                pixels);
        return frame;
    }
}
