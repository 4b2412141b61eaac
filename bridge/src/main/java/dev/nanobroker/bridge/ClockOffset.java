package dev.nanobroker.bridge;

import dev.nanobroker.ring.BridgeNote;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The offset of a sender's clock from this host's, estimated from probe round trips as NTP does
 * (docs/bridge.md, "The clock offset"). A round trip gives t1 (probe sent, here), t2 (probe taken,
 * there), t3 (reply sent, there) and t4 (reply taken, here). Whatever the two one-way delays, the
 * offset lies within {@code ((t2 - t1) + (t3 - t4)) / 2 ± delay / 2}, where {@code delay = (t4 - t1)
 * - (t3 - t2)} is the time the two messages spent between the processes. A round trip that waited
 * anywhere (an idle driver, a frame ahead of the reply, a busy core) only widens its own bound, so
 * the estimate is the round trip with the smallest delay among those of the last {@link #WINDOW_NANOS},
 * and its accuracy is that half-delay. The window is short so that the two clocks' drift (a few
 * parts per million between NTP-disciplined hosts, a few µs over the window) stays below it.
 */
public final class ClockOffset {

    /** How far back round trips count. */
    static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(8);

    /**
     * What is known of the sender's clock.
     *
     * @param offsetNanos   the sender's clock minus this host's
     * @param accuracyNanos the offset is within ± this (0: the same clock)
     * @param roundTrips    the round trips within the window (0: the same clock, nothing to measure)
     */
    public record Estimate(long offsetNanos, long accuracyNanos, int roundTrips) {

        /** The sender reads this host's clock. */
        static final Estimate SAME_CLOCK = new Estimate(0, 0, 0);

        public boolean sameClock() {
            return roundTrips == 0;
        }

        /** The same, as a bridge note says it; an estimate not made yet (null) is {@link BridgeNote.Clock#UNKNOWN}. */
        public static BridgeNote.Clock asNote(Estimate estimate) {
            if (estimate == null) {
                return BridgeNote.Clock.UNKNOWN;
            }
            return estimate.sameClock() ? BridgeNote.Clock.SAME_HOST
                    : BridgeNote.Clock.estimated(estimate.offsetNanos(), estimate.accuracyNanos());
        }

        /** {@code nanos} of the sender's clock as this host's. */
        public long toLocal(long senderNanos) {
            return senderNanos - offsetNanos;
        }
    }

    private record RoundTrip(long takenNanos, long offsetNanos, long delayNanos) {
    }

    private final ArrayDeque<RoundTrip> roundTrips = new ArrayDeque<>();

    /**
     * A round trip: t1 and t4 on this host's clock, t2 and t3 on the sender's. One whose times do not
     * add up (a reply that took less than no time) is not counted.
     */
    void add(long probeSentNanos, long senderReceivedNanos, long senderSentNanos, long replyTakenNanos) {
        long delay = (replyTakenNanos - probeSentNanos) - (senderSentNanos - senderReceivedNanos);
        if (delay < 0 || senderSentNanos < senderReceivedNanos) {
            return;
        }
        long offset = ((senderReceivedNanos - probeSentNanos) + (senderSentNanos - replyTakenNanos)) / 2;
        roundTrips.addLast(new RoundTrip(replyTakenNanos, offset, delay));
    }

    /** The best estimate from the round trips of the last {@link #WINDOW_NANOS} before {@code now}, or null without one. */
    Estimate estimate(long now) {
        while (!roundTrips.isEmpty() && now - roundTrips.peekFirst().takenNanos() > WINDOW_NANOS) {
            roundTrips.removeFirst();
        }
        RoundTrip best = null;
        for (RoundTrip roundTrip : roundTrips) {
            if (best == null || roundTrip.delayNanos() < best.delayNanos()) {
                best = roundTrip;
            }
        }
        return best == null ? null : new Estimate(best.offsetNanos(), (best.delayNanos() + 1) / 2, roundTrips.size());
    }

    /** Forgets every round trip (a new sender). */
    void clear() {
        roundTrips.clear();
    }
}
