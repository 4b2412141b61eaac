package dev.nanobroker.producer;

import dev.nanobroker.producer.pattern.Overlay;
import dev.nanobroker.producer.pattern.PatternCatalog;
import dev.nanobroker.producer.pattern.TestPattern;
import dev.nanobroker.producer.source.CaptureSource;
import dev.nanobroker.producer.source.FrameSource;
import dev.nanobroker.producer.source.PatternSource;
import dev.nanobroker.producer.source.SourceSpec;
import dev.nanobroker.ring.FrameChecksum;
import dev.nanobroker.ring.FrameClaim;
import dev.nanobroker.ring.RingAccess;
import dev.nanobroker.ring.RingStatus;
import dev.nanobroker.ring.RingWriter;
import dev.nanobroker.ring.SharedRing;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Writes frames into a ring at a steady rate: claim a slot, let the source (a test pattern, a camera
 * or a video file) write straight into it, burn in the overlay if asked, checksum, publish. The
 * headless command runs it on its own thread; the window runs it on a producer thread and only reads
 * its counters. The pattern and the overlay may change while it runs; everything else is fixed for
 * the run. A camera or file decides the frame size: the ring takes the source's.
 */
public final class ProducerEngine implements AutoCloseable {

    private final ProducerSettings settings;
    private final SharedRing ring;
    private final RingWriter writer;
    private final long periodNanos;
    private final long dropsAtStart;
    private final long blockedAtStart;

    private final FrameSource source;
    private final Overlay overlay = new Overlay();
    private volatile boolean overlayOn;
    private volatile long attempted;
    private volatile long published;
    private volatile long startNanos;
    private volatile long endNanos;

    /**
     * Opens the source, then the ring (created, joined or replaced) at the source's frame size, and
     * attaches a writer; fails with one clear message ({@link IllegalArgumentException} for a bad
     * value, {@link dev.nanobroker.ring.RingException} or
     * {@link dev.nanobroker.producer.source.SourceException} otherwise).
     */
    public ProducerEngine(ProducerSettings requested) {
        this(requested, RingAccess.OWNER_ONLY, false);
    }

    /**
     * The same, creating a new ring with {@code access} (mode and group), and joining a ring another
     * user owns only when {@code allowOtherOwner}.
     */
    public ProducerEngine(ProducerSettings requested, RingAccess access, boolean allowOtherOwner) {
        this.source = open(requested);
        try {
            this.settings = requested.withSize(source.width(), source.height());
            double fps = settings.fps() > 0 ? settings.fps() : source.nativeFps();
            this.periodNanos = fps > 0 ? Math.round(1e9 / fps) : 0;
            this.overlayOn = settings.overlay();
            this.ring = SharedRing.openForWriting(settings.ringName(), settings.geometry(), access, allowOtherOwner);
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
        try {
            this.writer = ring.writer(settings.policy());
        } catch (RuntimeException e) {
            ring.close();
            source.close();
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

    private static FrameSource open(ProducerSettings settings) {
        int width = settings.geometry().width();
        int height = settings.geometry().height();
        if (settings.source() instanceof SourceSpec.Pattern) {
            TestPattern pattern = PatternCatalog.create(settings.pattern(), settings.patternOptions());
            return new PatternSource(settings.pattern(), pattern, width, height);
        }
        return CaptureSource.open(settings.source(), width, height, settings.fps());
    }

    /** Switches the test pattern from the next frame on; ignored for a camera or file. */
    public void pattern(TestPattern next) {
        if (source instanceof PatternSource patterns) {
            patterns.pattern(next);
        }
    }

    /** Burns the frame number and time into every frame from the next one on, or stops. */
    public void overlay(boolean on) {
        this.overlayOn = on;
    }

    /** One line on where the frames come from, with the size and rate the source delivers. */
    public String sourceDescription() {
        return source.description();
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
        int width = settings.geometry().width();
        int height = settings.geometry().height();
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
            try {
                source.next(claim.pixels(), rowStride, claim.sequence(), nanos);
            } catch (RuntimeException e) {
                claim.abort();
                throw e;
            }
            if (overlayOn) {
                overlay.draw(claim.pixels(), width, height, rowStride, claim.sequence(), nanos);
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

    /** Detaches the writer (the ring closes when it was the last one), unmaps, closes the source, and removes the ring if asked. */
    @Override
    public void close() {
        try {
            ring.close();
            source.close();
        } finally {
            if (settings.unlink()) {
                SharedRing.unlink(settings.ringName());
            }
        }
    }
}
