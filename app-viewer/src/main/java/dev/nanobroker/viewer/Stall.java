package dev.nanobroker.viewer;

import java.time.Duration;

/**
 * A simulated stall of a viewer, as a GC pause or a slow consumer would make: it stops taking frames
 * for {@code duration} when key Z is pressed, and by itself every {@code every} (never for zero).
 * Stakeholders then watch its lag climb, what the producer's policy does about it, and the recovery.
 */
public record Stall(Duration duration, Duration every) {

    public static final Stall DEFAULT = new Stall(Duration.ofSeconds(3), Duration.ZERO);

    public Stall {
        if (duration.isNegative() || duration.isZero() || every.isNegative()) {
            throw new IllegalArgumentException("a stall lasts a positive time and repeats every zero or more seconds");
        }
    }

    long durationNanos() {
        return duration.toNanos();
    }

    long everyNanos() {
        return every.toNanos();
    }
}
