package dev.nanobroker.bridge;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The offset estimate from probe round trips, and the clock messages as they travel. */
class ClockOffsetTest {

    private static final long OFFSET = 7_000_000_000L; // the sender's clock, 7 s ahead

    /** A round trip that left here at {@code t1}, took {@code there} ns to get there and {@code back} ns back, held {@code hold} ns. */
    private static void roundTrip(ClockOffset offsets, long t1, long there, long hold, long back) {
        long t2 = t1 + there + OFFSET;
        offsets.add(t1, t2, t2 + hold, t1 + there + hold + back);
    }

    @Test
    void aSymmetricRoundTripGivesTheOffsetExactly() {
        ClockOffset offsets = new ClockOffset();
        roundTrip(offsets, 1_000_000, 40_000, 5_000, 40_000);
        ClockOffset.Estimate estimate = offsets.estimate(1_100_000);
        assertEquals(OFFSET, estimate.offsetNanos());
        assertEquals(40_000, estimate.accuracyNanos(), "half the 80 µs the messages spent between the processes");
        assertFalse(estimate.sameClock());
        assertEquals(1_000_000, estimate.toLocal(1_000_000 + OFFSET));
    }

    @Test
    void theBestRoundTripOfTheWindowIsTakenAndTheTrueOffsetLiesWithinItsBound() {
        ClockOffset offsets = new ClockOffset();
        roundTrip(offsets, 0, 30_000, 1_000, 900_000); // a reply that waited behind a frame: 435 µs off
        roundTrip(offsets, 250_000_000, 50_000, 1_000, 60_000); // the best: 5 µs off, ± 55 µs
        roundTrip(offsets, 500_000_000, 2_000_000, 1_000, 40_000);
        ClockOffset.Estimate estimate = offsets.estimate(600_000_000);
        assertEquals(3, estimate.roundTrips());
        assertEquals(55_000, estimate.accuracyNanos());
        assertEquals(OFFSET - 5_000, estimate.offsetNanos());
        assertTrue(Math.abs(estimate.offsetNanos() - OFFSET) <= estimate.accuracyNanos());
    }

    @Test
    void roundTripsOlderThanTheWindowNoLongerCount() {
        ClockOffset offsets = new ClockOffset();
        roundTrip(offsets, 0, 10_000, 1_000, 10_000);
        roundTrip(offsets, 1_000_000_000, 300_000, 1_000, 300_000);
        assertEquals(10_000, offsets.estimate(2_000_000_000).accuracyNanos());
        ClockOffset.Estimate later = offsets.estimate(ClockOffset.WINDOW_NANOS + 500_000_000);
        assertEquals(1, later.roundTrips());
        assertEquals(300_000, later.accuracyNanos());
        assertNull(offsets.estimate(ClockOffset.WINDOW_NANOS + 2_000_000_000L), "no round trip in the window: not known");
    }

    @Test
    void aRoundTripWhoseTimesDoNotAddUpIsNotCounted() {
        ClockOffset offsets = new ClockOffset();
        offsets.add(1_000, 5_000 + OFFSET, 4_000 + OFFSET, 9_000); // replied before it was asked
        offsets.add(1_000, 2_000 + OFFSET, 3_000 + OFFSET, 1_500); // back in less than the sender held it
        assertNull(offsets.estimate(10_000));
        offsets.add(1_000, 2_000 + OFFSET, 3_000 + OFFSET, 4_000);
        offsets.clear();
        assertNull(offsets.estimate(10_000), "a new sender starts with nothing");
    }

    @Test
    void probesAndRepliesReadBackAsWritten() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        ClockProbe probe = new ClockProbe(-42, 7, 123_456_789);
        probe.encode(buffer, 8);
        assertEquals(probe, ClockProbe.decode(buffer, 8, ClockProbe.LENGTH));
        assertTrue(BridgeMessage.isType(buffer, 8, ClockProbe.LENGTH, BridgeMessage.TYPE_CLOCK_PROBE));

        ClockProbe.Reply reply = probe.reply(900, 950);
        reply.encode(buffer, 8);
        assertEquals(new ClockProbe.Reply(-42, 7, 123_456_789, 900, 950), ClockProbe.Reply.decode(buffer, 8, ClockProbe.Reply.LENGTH));
        assertThrows(BridgeMessage.MalformedMessageException.class, () -> ClockProbe.decode(buffer, 8, ClockProbe.Reply.LENGTH),
                "a reply is not a probe");
        assertThrows(BridgeMessage.MalformedMessageException.class, () -> ClockProbe.Reply.decode(buffer, 8, 40), "too short");
    }

    @Test
    void thisHostsClockIsNamedByItsBootIdAndAnotherIsNot() {
        ClockIdentity here = ClockIdentity.thisHost();
        assertEquals(here, ClockIdentity.thisHost());
        assertNotEquals(here, here.other());
    }
}
