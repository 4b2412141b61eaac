package dev.nanobroker.process;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGINT/SIGTERM into a request that a command's loop sees, then lets the JVM exit only after
 * the loop has cleaned up (a reader freed its line, a producer marked its ring closed, the bench
 * removed its files). Use it in try-with-resources around the loop.
 */
public final class StopSignal implements AutoCloseable {

    private static final long CLEANUP_GRACE_MILLIS = 15_000;

    private final Runnable onSignal;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook = new Thread(this::onSignal, "nanobroker-stop");
    private volatile boolean requested;

    /** A stop request that the loop notices by itself, at its next look at {@link #requested()}. */
    public StopSignal() {
        this(() -> {
        });
    }

    /**
     * A stop request that also runs {@code onSignal} at once, on the signal's thread: for a loop that
     * may be waiting on something that only ends when stopped (the bench kills the child processes it
     * waits for). {@code onSignal} must be safe to run beside the loop.
     */
    public StopSignal(Runnable onSignal) {
        this.onSignal = onSignal;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    private void onSignal() {
        requested = true;
        onSignal.run();
        try {
            finished.await(CLEANUP_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether SIGINT or SIGTERM has come: the loop should clean up and end. */
    public boolean requested() {
        return requested;
    }

    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running and returns now that the loop has finished.
        }
    }
}
