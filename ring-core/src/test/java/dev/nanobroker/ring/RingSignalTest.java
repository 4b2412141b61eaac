package dev.nanobroker.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nanobroker.ring.RingSignal.Health;
import dev.nanobroker.ring.RingSignal.Loss;
import dev.nanobroker.ring.RingSignal.State;
import org.junit.jupiter.api.Test;

/** The attach / retry / no-signal state machine on a clock the test moves: no ring, no display, no waiting. */
class RingSignalTest {

    private static final long MS = 1_000_000L;
    /** Retry every 200 ms, check every 250 ms, silence after 2 s: the viewer's timing. */
    private static final RingSignal.Timing TIMING = RingSignal.DISPLAY;

    @Test
    void waitsForTheRingRetryingAtItsIntervalThenReceives() {
        RingSignal signal = new RingSignal("cam", TIMING, 0);
        assertEquals(State.WAITING, signal.state());
        assertEquals("waiting for cam…", signal.describe(0));
        assertTrue(signal.shouldAttach(0));
        signal.attachFailed(null, 0);
        assertFalse(signal.shouldAttach(199 * MS), "not before the retry interval");
        assertTrue(signal.shouldAttach(200 * MS));
        signal.attachFailed("ring cam has layout version 2; this build reads version 3", 200 * MS);
        assertEquals("ring cam has layout version 2; this build reads version 3", signal.describe(200 * MS));

        signal.attached(400 * MS);
        assertFalse(signal.shouldAttach(10_000 * MS), "attached: no more attempts");
        assertEquals(State.WAITING, signal.state());
        assertEquals("waiting for the first frame of cam…", signal.describe(400 * MS));
        signal.frame(450 * MS);
        assertEquals(State.RECEIVING, signal.state());
        assertEquals("", signal.describe(450 * MS));
        assertNull(signal.loss());
    }

    @Test
    void aLiveProducerThatStopsSendingIsNoSignalOnlyAfterTheSilence() {
        RingSignal signal = receiving();
        assertFalse(signal.shouldCheck(1_000 * MS), "the first check is due 250 ms after attaching");
        assertTrue(signal.shouldCheck(1_050 * MS));
        assertFalse(signal.checked(Health.LIVE, 2_900 * MS));
        assertEquals(State.RECEIVING, signal.state(), "1.9 s without a frame: still receiving");
        assertFalse(signal.checked(Health.LIVE, 3_100 * MS));
        assertEquals(State.NO_SIGNAL, signal.state());
        assertEquals(Loss.NO_NEW_FRAME, signal.loss());
        assertEquals("NO SIGNAL — no new frame, last frame 2.6 s ago", signal.describe(3_600 * MS));
        signal.frame(3_700 * MS);
        assertEquals(State.RECEIVING, signal.state(), "frames again: the signal is back");
    }

    @Test
    void aProducerGoneOrClosingIsNoSignalAtOnceWithTheReason() {
        RingSignal gone = receiving();
        gone.checked(Health.PRODUCER_GONE, 1_300 * MS);
        assertEquals(State.NO_SIGNAL, gone.state());
        assertEquals("NO SIGNAL — producer gone, last frame 0.3 s ago", gone.describe(1_300 * MS));
        assertTrue(gone.isAttached(), "the last frame stays up: the ring stays attached");

        RingSignal closed = receiving();
        closed.checked(Health.CLOSED, 1_300 * MS);
        assertEquals(Loss.CLOSED, closed.loss());
    }

    @Test
    void aReplacedRingIsDetachedAndTheNewOneAttachedAtOnce() {
        RingSignal signal = receiving();
        assertTrue(signal.checked(Health.REPLACED, 1_500 * MS), "the caller must detach");
        assertFalse(signal.isAttached());
        assertEquals(State.NO_SIGNAL, signal.state());
        assertEquals(Loss.PRODUCER_GONE, signal.loss());
        assertTrue(signal.shouldAttach(1_500 * MS), "the new ring is looked for at once");
        signal.attachFailed(null, 1_500 * MS);
        assertEquals(State.NO_SIGNAL, signal.state(), "the last frame keeps its sign while the new ring is awaited");
        signal.attached(1_700 * MS);
        assertEquals(0, signal.silentNanos(1_700 * MS), "a new ring's silence counts from its attach");
        assertFalse(signal.checked(Health.LIVE, 3_000 * MS));
        assertEquals("NO SIGNAL — producer gone, last frame 2.0 s ago", signal.describe(3_000 * MS));
        signal.frame(3_100 * MS);
        assertEquals(State.RECEIVING, signal.state());
    }

    @Test
    void aRingThatNeverSentAFrameKeepsWaitingAndSaysWhy() {
        RingSignal signal = new RingSignal("cam", TIMING, 0);
        signal.attached(0);
        signal.checked(Health.PRODUCER_GONE, 300 * MS);
        assertEquals(State.WAITING, signal.state(), "there is no last frame to put a sign on");
        assertEquals("waiting for the first frame of cam… (producer gone)", signal.describe(300 * MS));
        assertNull(signal.loss());
    }

    /** Attached at 0.8 s, first frame at 1 s. */
    private static RingSignal receiving() {
        RingSignal signal = new RingSignal("cam", TIMING, 0);
        signal.attachFailed(null, 0);
        signal.attached(800 * MS);
        signal.frame(1_000 * MS);
        return signal;
    }
}
