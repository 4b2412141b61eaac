package dev.nanobroker.ring;

import java.lang.foreign.MemorySegment;

/**
 * A slot claimed for writing: render into {@link #pixels()}, then {@link #publish()} or
 * {@link #abort()}. The same object is reused for every claim of its writer; it is valid until one of
 * those two calls.
 */
public final class FrameClaim {

    private final RingWriter writer;
    private long sequence = -1;
    private SlotDescriptor slot;
    private long checksum;
    private long sourceSequence;

    FrameClaim(RingWriter writer) {
        this.writer = writer;
    }

    void bind(long sequence, SlotDescriptor slot) {
        this.sequence = sequence;
        this.slot = slot;
        this.checksum = 0;
        this.sourceSequence = SlotDescriptor.NO_SOURCE;
    }

    /** The frame's sequence number: 0 for the ring's first frame, then one more per published frame. */
    public long sequence() {
        return sequence;
    }

    public int slot() {
        return slot.slot();
    }

    /** The slot's pixels, BGRA premultiplied, {@code rowStride * height} bytes, written in place. */
    public MemorySegment pixels() {
        return slot.pixels();
    }

    public RingGeometry geometry() {
        return writer.ring().geometry();
    }

    /** Stores a checksum of the pixels in the slot descriptor, for readers that verify frames. */
    public FrameClaim checksum(long checksum) {
        this.checksum = checksum;
        return this;
    }

    /**
     * Marks the frame as a copy of the frame {@code sequence} of another ring (a bridge receiver's):
     * readers see it as {@link Frame#sourceSequence()}, so that the frame keeps its identity across
     * rings and frames skipped on the way show as gaps.
     */
    public FrameClaim sourceSequence(long sequence) {
        if (sequence < 0) {
            throw new IllegalArgumentException("source sequence " + sequence + " is not a frame's sequence");
        }
        this.sourceSequence = sequence;
        return this;
    }

    /**
     * Publishes the frame at the ring's full geometry, stamped with the time now, and releases the
     * write lock.
     */
    public void publish() {
        publishWithStamp(RingWriter.STAMP_NOW);
    }

    /**
     * Publishes the frame as {@link #publish()} does, stamped with {@code publishNanos} instead of
     * the time now: a time on this host's {@link System#nanoTime()} clock at which the frame came to
     * be, such as its capture time, or the publish time of the frame this one relays, so that readers
     * measure latency from there. It also saves the writer a clock read.
     */
    public void publish(long publishNanos) {
        if (publishNanos == RingWriter.STAMP_NOW) {
            throw new IllegalArgumentException("publish time " + publishNanos + " is not a time");
        }
        publishWithStamp(publishNanos);
    }

    private void publishWithStamp(long publishNanos) {
        RingGeometry geometry = geometry();
        writer.publish(sequence, slot, geometry.width(), geometry.height(), geometry.rowStride(), checksum, sourceSequence,
                publishNanos);
    }

    /** Gives the slot up unpublished and releases the write lock; the slot's old frame is gone. */
    public void abort() {
        writer.abort(sequence);
    }
}
