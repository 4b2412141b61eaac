package dev.nanobroker.ring.testing;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

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
}
