package dev.nanobroker.ring.testing;

import dev.nanobroker.ring.RingStatus;
import dev.nanobroker.ring.SharedRing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/** Waits for a condition with a deadline instead of sleeping a fixed time; fails the test at the deadline. */
public final class Await {

    private static final long DEFAULT_SECONDS = 30;

    private Await() {
    }

    public static void until(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEFAULT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + DEFAULT_SECONDS + " s waiting for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    /** Polls a ring's status (opening it anew each time: it may not exist yet) until it matches. */
    public static void status(String name, Predicate<RingStatus> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "ring not there";
        while (System.nanoTime() < deadline) {
            try (SharedRing ring = SharedRing.open(name)) {
                RingStatus status = ring.status();
                if (condition.test(status)) {
                    return;
                }
                last = status.toString();
            } catch (RuntimeException notYet) {
                last = notYet.getMessage();
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        throw new AssertionError("ring " + name + " never reached the expected state; last: " + last);
    }
}
