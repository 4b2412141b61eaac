package dev.nanobroker.ring.testing;

import java.time.Duration;

/**
 * How long the stress tests run. By default a short run, a couple of seconds per test, for the normal
 * build; {@code -Dnanobroker.stress.seconds=S} makes each stress test run its actors for S seconds
 * instead (the long run, see docs/reliability.md, "Stress tests").
 */
public final class Stress {

    public static final String SECONDS_PROPERTY = "nanobroker.stress.seconds";

    private Stress() {
    }

    /** The run time of one stress test: the property if set, else {@code shortSeconds}. */
    public static Duration runTime(double shortSeconds) {
        String value = System.getProperty(SECONDS_PROPERTY);
        double seconds = value == null || value.isBlank() ? shortSeconds : Double.parseDouble(value);
        return Duration.ofNanos((long) (seconds * 1e9));
    }

    /** Whether this is a long run ({@value #SECONDS_PROPERTY} set). */
    public static boolean isLong() {
        String value = System.getProperty(SECONDS_PROPERTY);
        return value != null && !value.isBlank();
    }

    /** A deadline for joining actors and waiting for children: generous, and longer on long runs. */
    public static Duration patience(Duration runTime) {
        return Duration.ofSeconds(60).plus(runTime.dividedBy(2));
    }
}
