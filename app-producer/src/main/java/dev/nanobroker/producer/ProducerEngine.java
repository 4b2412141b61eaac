package dev.nanobroker.producer;

import dev.nanobroker.producer.pattern.TestPattern;
import dev.nanobroker.ring.FrameChecksum;
import dev.nanobroker.ring.FrameClaim;
import dev.nanobroker.ring.RingStatus;
import dev.nanobroker.ring.RingWriter;
import dev.nanobroker.ring.SharedRing;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Writes frames into a ring at a steady rate: claim a slot, let the current renderer draw straight
 * into it, burn in the overlay if asked, checksum, publish. The headless command runs it on its own
 * thread; the window runs it on a producer thread and only reads its counters. The renderer and the
 * overlay switch may change while it runs; everything else is fixed for the run.
 */
public final class ProducerEngine implements AutoCloseable {

    private final ProducerSettings settings;
    private final SharedRing ring;
    private final RingWriter writer;
    private final long periodNanos;
    private final long dropsAtStart;
    private final long blockedAtStart;

    private volatile TestPattern renderer;
    private volatile FrameDecoration decoration;
    private volatile long attempted;
    private volatile long published;
    private volatile long startNanos;
    private volatile long endNanos;

    /** Draws over a rendered frame (the burnt-in frame number and time). */
    @FunctionalInterface
    public interface FrameDecoration {
        void draw(java.lang.foreign.MemorySegment pixels, int width, int height, int rowStride, long sequence, long nanos);
    }

    /** Opens (or creates) the ring and attaches a writer; fails with one clear message. */
    public ProducerEngine(ProducerSettings settings, TestPattern renderer) {
        this.settings = settings.validate();
        this.renderer = renderer;
        this.periodNanos = settings.fps() > 0 ? Math.round(1e9 / settings.fps()) : 0;
        this.ring = SharedRing.openForWriting(settings.ringName(), settings.geometry());
        try {
            this.writer = ring.writer(settings.overflowPolicy());
        } catch (RuntimeException e) {
            ring.close();
            throw e;
        }
        this.dropsAtStart = writer.producerDrops();
        this.blockedAtStart = writer.blockedNanos();
    }

    public SharedRing ring() {
        return ring;
    }

    public ProducerSettings settings() {
        return settings;
    }

    public void renderer(TestPattern next) {
        this.renderer = next;
    }

    /** The decoration drawn over every frame from now on; null for none. */
    public void decoration(FrameDecoration next) {
        this.decoration = next;
    }

    /** Blocks until {@code waitReaders} readers are reading, or stop is asked. */
    public void awaitReaders(BooleanSupplier stop) {
        while (!stop.getAsBoolean() && readingReaders() < settings.waitReaders()) {
            LockSupport.parkNanos(5_000_000);
        }
    }

    private long readingReaders() {
        return ring.status().readers().stream().filter(reader -> reader.reading() && reader.alive()).count();
    }

    /** Produces frames until {@code frames} are done or stop is asked. Call from one thread. */
    public void run(BooleanSupplier stop) {
        int width = settings.width();
        int height = settings.height();
        int rowStride = ring.geometry().rowStride();
        long start = System.nanoTime();
        startNanos = start;
        long scheduled = 0;
        while (!stop.getAsBoolean() && (settings.frames() == 0 || attempted < settings.frames())) {
            if (periodNanos > 0) {
                long due = start + scheduled * periodNanos;
                long late = System.nanoTime() - due;
                if (late > periodNanos) {
                    // Too slow for the rate (or paused): start the schedule again rather than burst.
                    start = System.nanoTime();
                    scheduled = 0;
                    due = start;
                }
                for (long wait = due - System.nanoTime(); wait > 0 && !stop.getAsBoolean(); wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                scheduled++;
            }
            attempted++;
            FrameClaim claim = writer.claim();
            if (claim == null) {
                continue;
            }
            long nanos = System.nanoTime();
            renderer.render(claim.pixels(), width, height, rowStride, claim.sequence(), nanos);
            FrameDecoration over = decoration;
            if (over != null) {
                over.draw(claim.pixels(), width, height, rowStride, claim.sequence(), nanos);
            }
            if (settings.checksum()) {
                claim.checksum(FrameChecksum.of(claim.pixels()));
            }
            claim.publish();
            published++;
        }
        endNanos = System.nanoTime();
    }

    public ProducerStats stats() {
        long begun = startNanos;
        long ended = endNanos == 0 ? System.nanoTime() : endNanos;
        return new ProducerStats(attempted, published, writer.producerDrops() - dropsAtStart,
                writer.blockedNanos() - blockedAtStart, begun == 0 ? 0 : ended - begun, writer.lockTakeovers());
    }

    public RingStatus ringStatus() {
        return ring.status();
    }

    /** Detaches the writer (the ring closes when it was the last one), unmaps, and removes the ring if asked. */
    @Override
    public void close() {
        try {
            ring.close();
        } finally {
            if (settings.unlink()) {
                SharedRing.unlink(settings.ringName());
            }
        }
    }
}
