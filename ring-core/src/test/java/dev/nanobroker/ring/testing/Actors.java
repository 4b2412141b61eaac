package dev.nanobroker.ring.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Actor threads of a stress test: started by name, joined with a deadline. An actor that throws fails
 * the test (with its stack trace); one still running at the deadline fails it too.
 */
public final class Actors implements AutoCloseable {

    /** An actor's body. */
    public interface Body {
        void run() throws Exception;
    }

    private final List<Thread> threads = new ArrayList<>();
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

    public void start(String name, Body body) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failures.add(new AssertionError("actor " + name + " threw", t));
            }
        }, name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    /** Joins every actor started so far; fails if one threw or is still running after {@code timeout}. */
    public void joinAll(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : threads) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                thread.join(Math.max(1, left / 1_000_000));
            }
            if (thread.isAlive()) {
                StringBuilder stack = new StringBuilder();
                for (StackTraceElement element : thread.getStackTrace()) {
                    stack.append("\n    at ").append(element);
                }
                throw new AssertionError("actor " + thread.getName() + " still running after " + timeout + stack);
            }
        }
        threads.clear();
        Throwable failure = failures.poll();
        if (failure != null) {
            failures.forEach(failure::addSuppressed);
            throw failure instanceof AssertionError error ? error : new AssertionError(failure);
        }
    }

    @Override
    public void close() {
        threads.forEach(Thread::interrupt);
    }
}
