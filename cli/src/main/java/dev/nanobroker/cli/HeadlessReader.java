package dev.nanobroker.cli;

import dev.nanobroker.frame.ClockReading;
import dev.nanobroker.frame.LatencyClock;
import dev.nanobroker.ring.Frame;
import dev.nanobroker.ring.FrameChecksum;
import dev.nanobroker.ring.ReadMode;
import dev.nanobroker.ring.RingNotFoundException;
import dev.nanobroker.ring.RingReader;
import dev.nanobroker.ring.RingSignal;
import dev.nanobroker.ring.SharedRing;
import dev.nanobroker.ring.WaitStrategy;
import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The headless reader behind {@code read}: follows a ring by name across producers ({@link
 * RingSignal}, the viewer's state machine), reads every or the newest frame in place, verifies
 * checksums and the latency clock's pixels, and counts. One run per instance, on one thread; the
 * command only turns its flags into {@link Settings} and prints what {@link #run} found.
 */
final class HeadlessReader {

    private static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /**
     * @param frameLimit  stop after this many frames; 0 = no limit
     * @param holdNanos   hold each frame this long before releasing it (a slow consumer)
     * @param timeoutNanos stop after this long without a frame (or without the ring appearing)
     */
    record Settings(String name, ReadMode mode, long frameLimit, boolean verify, boolean decodeClock, long holdNanos,
                    long timeoutNanos, WaitStrategy waitStrategy, boolean allowOtherOwner) {
    }

    /** Why a run ended. */
    enum Stop {
        FRAMES("frames"), CLOSED("closed"), TIMEOUT("timeout"), STOPPED("stopped"), NO_RING("no ring appeared");

        private final String words;

        Stop(String words) {
            this.words = words;
        }

        /** As {@code read} reports it. */
        String words() {
            return words;
        }
    }

    /** What a run tells the person running it while it goes on. */
    interface Progress {
        /** Attached to {@code ring} with {@code reader}: the first time, or again after the ring was replaced. */
        void attached(SharedRing ring, RingReader reader, boolean again);
    }

    private final Settings settings;
    private final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(3600), 3);
    private final Histogram renderToPublish = new Histogram(TimeUnit.SECONDS.toNanos(3600), 3);
    private long frames;
    private long skipped;
    private long lost;
    private long outOfOrder;
    private long torn;
    private long checksumFailures;
    private long unchecked;
    private long reattachments;
    private long clockDecoded;
    private long clockMismatches;
    private long clockUnreadable;

    HeadlessReader(Settings settings) {
        this.settings = settings;
    }

    /** Reads until the frame limit, the producer closing the ring, the timeout, or {@code stop}. */
    Stop run(BooleanSupplier stop, Progress progress) {
        // Read's own intervals: look for the ring every 10 ms, at the header every 50 ms, give up
        // after the timeout without a frame.
        RingSignal signal = new RingSignal(settings.name(),
                new RingSignal.Timing(IDLE_POLL_NANOS / 5, IDLE_POLL_NANOS, settings.timeoutNanos()), System.nanoTime());
        while (!stop.getAsBoolean()) {
            long now = System.nanoTime();
            if (!signal.shouldAttach(now)) {
                LockSupport.parkNanos(IDLE_POLL_NANOS / 5);
                continue;
            }
            SharedRing ring;
            try {
                ring = SharedRing.open(settings.name(), false, settings.allowOtherOwner());
            } catch (RingNotFoundException e) {
                signal.attachFailed(null, now);
                if (signal.silentNanos(now) > settings.timeoutNanos()) {
                    return frames == 0 ? Stop.NO_RING : Stop.TIMEOUT;
                }
                continue;
            }
            try (ring; RingReader reader = ring.attachReader(settings.mode())) {
                signal.attached(System.nanoTime());
                progress.attached(ring, reader, reattachments > 0);
                Stop outcome = readRing(reader, signal, stop);
                skipped += reader.skipped();
                lost += reader.lost();
                torn += reader.torn();
                if (outcome != null) {
                    return outcome;
                }
            }
            reattachments++; // the ring was replaced by a new producer's file: follow it
        }
        return Stop.STOPPED;
    }

    /** Reads one ring file; null when it was replaced (attach the new one). */
    private Stop readRing(RingReader reader, RingSignal signal, BooleanSupplier stop) {
        SharedRing ring = reader.ring();
        long lastSequence = -1; // per ring: a replacing producer's ring starts again at 0
        while (!stop.getAsBoolean()) {
            if (settings.frameLimit() > 0 && frames >= settings.frameLimit()) {
                return Stop.FRAMES;
            }
            Frame frame = reader.poll(IDLE_POLL_NANOS, settings.waitStrategy());
            long now = System.nanoTime();
            if (frame == null) {
                if (ring.isClosedByProducer() && reader.caughtUp()) {
                    return Stop.CLOSED; // every frame of a closed ring read (a producer may also unlink it)
                }
                if (signal.shouldCheck(now) && signal.checked(RingSignal.healthOf(ring), now)) {
                    return null;
                }
                if (signal.silentNanos(now) > settings.timeoutNanos()) {
                    return Stop.TIMEOUT;
                }
                continue;
            }
            signal.frame(now);
            latency.recordValue(Math.max(0, frame.latencyNanos()));
            // A checksum of 0 means the producer stored none: nothing to verify against.
            boolean checked = settings.verify() && frame.checksum() != 0;
            boolean good = !checked || FrameChecksum.of(frame.pixels()) == frame.checksum();
            ClockReading clock = settings.decodeClock()
                    ? LatencyClock.decode(frame.pixels(), frame.width(), frame.height(), frame.rowStride()) : null;
            long sequence = frame.sequence();
            if (sequence <= lastSequence) {
                outOfOrder++; // never expected: the protocol hands out sequences in increasing order
            }
            lastSequence = sequence;
            long sourceSequence = frame.sourceSequence(); // the number the clock shows: the source's, for a bridge's copy
            long publishNanos = frame.publishNanos();
            if (settings.holdNanos() > 0) {
                LockSupport.parkNanos(settings.holdNanos());
            }
            if (reader.release()) {
                frames++;
                if (!good) {
                    checksumFailures++;
                }
                if (!checked) {
                    unchecked++;
                }
                if (settings.decodeClock()) {
                    checkClock(clock, sourceSequence, publishNanos);
                }
            }
        }
        return Stop.STOPPED;
    }

    /** The clock's pixels carry the frame number and the render time, which precedes the publish. */
    private void checkClock(ClockReading clock, long sequence, long publishNanos) {
        if (clock == null) {
            clockUnreadable++;
        } else if (clock.sequence() != sequence || clock.nanos() > publishNanos) {
            clockMismatches++;
        } else {
            clockDecoded++;
            renderToPublish.recordValue(publishNanos - clock.nanos());
        }
    }

    long frames() {
        return frames;
    }

    long skipped() {
        return skipped;
    }

    long lost() {
        return lost;
    }

    long torn() {
        return torn;
    }

    long outOfOrder() {
        return outOfOrder;
    }

    long checksumFailures() {
        return checksumFailures;
    }

    /** Frames that carried no checksum, so were not verified. */
    long unchecked() {
        return unchecked;
    }

    long reattachments() {
        return reattachments;
    }

    /** Publish-to-observe latency of every frame read, in ns. */
    Histogram latency() {
        return latency;
    }

    long clockDecoded() {
        return clockDecoded;
    }

    long clockMismatches() {
        return clockMismatches;
    }

    long clockUnreadable() {
        return clockUnreadable;
    }

    /** Render time (from the clock's pixels) to publish, in ns, of the frames whose clock matched. */
    Histogram renderToPublish() {
        return renderToPublish;
    }
}
