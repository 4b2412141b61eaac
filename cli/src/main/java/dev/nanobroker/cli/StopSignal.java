package dev.nanobroker.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGINT/SIGTERM into a request that a command's loop sees, then lets the JVM exit only after
 * the loop has cleaned up (a reader freed its line, a producer marked its ring closed). Use it in
 * try-with-resources around the loop.
 */
final class StopSignal implements AutoCloseable {

    private static final long CLEANUP_GRACE_MILLIS = 15_000;

    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook = new Thread(this::onSignal, "nanobroker-stop");
    private volatile boolean requested;

    StopSignal() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    private void onSignal() {
        requested = true;
        try {
            finished.await(CLEANUP_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean requested() {
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
