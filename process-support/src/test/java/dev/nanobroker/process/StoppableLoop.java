package dev.nanobroker.process;

import java.util.concurrent.TimeUnit;

/**
 * A child JVM for {@link StopSignalTest}: loops until SIGTERM asks it to stop, then cleans up for a
 * while before it ends, and says on stdout what happened when.
 */
public final class StoppableLoop {

    private static final long CLEANUP_MILLIS = 300;

    public static void main(String[] args) throws InterruptedException {
        try (StopSignal stop = new StopSignal(() -> say("on signal"))) {
            say("looping");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!stop.requested()) {
                if (System.nanoTime() - deadline > 0) {
                    say("no signal came");
                    return;
                }
                Thread.sleep(5);
            }
            // A cleanup that takes a while: the JVM must not exit under it.
            Thread.sleep(CLEANUP_MILLIS);
            say("cleaned up");
        }
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
