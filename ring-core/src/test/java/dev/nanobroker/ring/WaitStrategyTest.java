package dev.nanobroker.ring;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The back-off escalates and stays escalated, however long a wait lasts. */
class WaitStrategyTest {

    @Test
    void backoffParksLongestAfterAnyNumberOfFailedChecks() {
        WaitStrategy.Backoff backoff = (WaitStrategy.Backoff) WaitStrategy.backoff(1_000_000);
        assertEquals(1_000, backoff.parkNanos(250), "the first park after spinning and yielding: 1 µs");
        assertEquals(2_000, backoff.parkNanos(251));
        assertEquals(1_000_000, backoff.parkNanos(10_000));
        // An int count wrapped here after ~25 days of 1 ms parks, and the wait fell back to spinning.
        assertEquals(1_000_000, backoff.parkNanos(Integer.MAX_VALUE + 1L));
        assertEquals(1_000_000, backoff.parkNanos(Long.MAX_VALUE));
    }
}
