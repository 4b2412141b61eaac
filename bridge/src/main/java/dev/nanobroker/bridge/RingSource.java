package dev.nanobroker.bridge;

import dev.nanobroker.ring.Frame;
import dev.nanobroker.ring.ReadMode;
import dev.nanobroker.ring.RingNotFoundException;
import dev.nanobroker.ring.RingReader;
import dev.nanobroker.ring.RingSignal;
import dev.nanobroker.ring.SharedRing;
import dev.nanobroker.ring.WaitStrategy;

import java.util.concurrent.locks.LockSupport;

/**
 * The sender's hold on the ring it bridges: follows the ring by name ({@link RingSignal}: waits for
 * it to appear, re-attaches when a new producer replaces the file), reads it in {@code latest} mode,
 * and keeps only the newest frame held. While the link is busy with one frame, {@link #keepUp} lets
 * older frames go as newer ones arrive, so the source never waits for the network: a {@code block}
 * producer is held back only by the one slot this reader keeps. One thread.
 */
final class RingSource implements AutoCloseable {

    private static final RingSignal.Timing TIMING = new RingSignal.Timing(10_000_000L, 50_000_000L, 2_000_000_000L);

    private final String name;
    private final RingSignal signal;
    private SharedRing ring;
    private RingReader reader;
    /** The frame this reader holds (the reader's one reused {@link Frame}), or null. */
    private Frame held;
    private boolean everAttached;
    /** Skips counted by the readers of files this source has left (a producer replaced the ring). */
    private long skippedEarlier;
    /** Frames taken and let go unsent: a newer one came while the link was busy, or no receiver was there. */
    private long passedOver;

    RingSource(String name, long now) {
        this.name = name;
        this.signal = new RingSignal(name, TIMING, now);
    }

    /**
     * The newest frame, held until {@link #release} or {@link #pass}: the one held already, or the
     * next one published within {@code waitNanos} (a futex sleep: no CPU while the source is idle).
     *
     * @return null when none came, or the ring is not there (yet)
     */
    Frame newest(long waitNanos) {
        if (held != null) {
            return held;
        }
        long now = System.nanoTime();
        if (!attached(now)) {
            LockSupport.parkNanos(Math.min(waitNanos, TIMING.retryNanos()));
            return null;
        }
        Frame frame = reader.poll(waitNanos, WaitStrategy.futex());
        now = System.nanoTime();
        if (frame == null) {
            if (signal.shouldCheck(now) && signal.checked(RingSignal.healthOf(ring), now)) {
                detach();
            }
            return null;
        }
        signal.frame(now);
        held = frame;
        return frame;
    }

    /**
     * While the link is busy: lets the held frame go when a newer one is published, and holds the
     * newest. Cheap when nothing changed (one read of the ring's head).
     */
    void keepUp() {
        if (reader == null) {
            return;
        }
        if (held != null) {
            if (ring.head() - 1 <= held.sequence()) {
                return; // the held frame is still the newest
            }
            pass();
        }
        held = reader.poll();
    }

    /**
     * Lets the held frame go after its pixels were copied.
     *
     * @return whether it stayed intact while held (false only under an {@code overwrite} producer:
     *     the copy may be torn and must not be sent)
     */
    boolean release() {
        held = null;
        return reader.release();
    }

    /** Lets the held frame go unsent: a skip. */
    void pass() {
        held = null;
        reader.release();
        passedOver++;
    }

    private boolean attached(long now) {
        if (reader != null) {
            return true;
        }
        if (!signal.shouldAttach(now)) {
            return false;
        }
        try {
            ring = SharedRing.open(name);
        } catch (RingNotFoundException e) {
            signal.attachFailed(null, now);
            return false;
        }
        try {
            reader = ring.attachReader(ReadMode.LATEST);
        } catch (RuntimeException e) {
            ring.close();
            ring = null;
            throw e;
        }
        signal.attached(now);
        everAttached = true;
        return true;
    }

    private void detach() {
        skippedEarlier += reader.skipped();
        held = null;
        reader.close();
        ring.close();
        reader = null;
        ring = null;
    }

    /** The attached ring's slot count (a receiver's ring takes the same by default). */
    int slotCount() {
        return ring.geometry().slotCount();
    }

    boolean everAttached() {
        return everAttached;
    }

    boolean isAttached() {
        return reader != null;
    }

    /** Frames of the source not sent by design: passed over in the ring (latest mode), or let go unsent. */
    long skipped() {
        return skippedEarlier + (reader != null ? reader.skipped() : 0) + passedOver;
    }

    @Override
    public void close() {
        if (reader != null) {
            detach();
        }
    }
}
