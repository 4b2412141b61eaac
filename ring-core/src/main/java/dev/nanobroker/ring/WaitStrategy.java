package dev.nanobroker.ring;

import java.util.concurrent.locks.LockSupport;

/**
 * How a thread waits for something in the ring to change (a frame to arrive, a reader to move, the
 * write lock to come free). {@link #idle(long)} is called once per unsuccessful check, with the number
 * of checks that failed in a row, so a strategy can escalate from spinning to sleeping. The count is a
 * {@code long}: an {@code int} would wrap after ~25 days of 1 ms parks and start spinning again.
 */
public sealed interface WaitStrategy permits WaitStrategy.BusySpin, WaitStrategy.Yielding, WaitStrategy.Backoff,
        WaitStrategy.Futex {

    void idle(long failedChecks);

    /**
     * Spins on {@link Thread#onSpinWait()}: the lowest wake-up latency (tens of ns), at the price of a
     * whole core for as long as it waits. For benchmarks and dedicated cores only.
     */
    static WaitStrategy busySpin() {
        return BusySpin.INSTANCE;
    }

    /**
     * Spins briefly, then yields the core on every check: wakes within a scheduler slice when another
     * thread wants the core, still 100% of a core when none does.
     */
    static WaitStrategy yielding() {
        return Yielding.INSTANCE;
    }

    /**
     * Spins, yields, then parks for growing intervals up to {@code maxParkNanos}: near-zero CPU when
     * idle, wake-up latency up to that park interval (plus Linux's ~60 µs timer slack). The default.
     */
    static WaitStrategy backoff(long maxParkNanos) {
        return new Backoff(maxParkNanos);
    }

    static WaitStrategy defaultStrategy() {
        return Backoff.DEFAULT;
    }

    /**
     * Spins briefly, then sleeps in the kernel on the ring's head (a futex on the shared mapping)
     * until a writer publishes: wakes within microseconds (a system call and a context switch), uses
     * about nothing of a core while idle, and costs writers a system call per frame only while
     * somebody sleeps (docs/ring-layout.md §9, "Sleeping"). Only a reader waiting for a frame can
     * sleep so ({@link RingReader#poll(long, WaitStrategy)}); any other wait treats it as
     * {@link #defaultStrategy()}. The default of {@code read} and of the Python {@code Reader}.
     */
    static WaitStrategy futex() {
        return Futex.INSTANCE;
    }

    final class BusySpin implements WaitStrategy {
        static final BusySpin INSTANCE = new BusySpin();

        private BusySpin() {
        }

        @Override
        public void idle(long failedChecks) {
            Thread.onSpinWait();
        }
    }

    final class Yielding implements WaitStrategy {
        static final Yielding INSTANCE = new Yielding();
        private static final int SPINS = 100;

        private Yielding() {
        }

        @Override
        public void idle(long failedChecks) {
            if (failedChecks < SPINS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    final class Futex implements WaitStrategy {
        static final Futex INSTANCE = new Futex();
        /** Checks spent spinning first: a frame due within a few µs is taken without a system call. */
        private static final int SPINS = 200;

        private Futex() {
        }

        /** Outside a reader's poll there is no head to sleep on: back off as the default does. */
        @Override
        public void idle(long failedChecks) {
            Backoff.DEFAULT.idle(failedChecks);
        }

        /** Whether a reader that failed {@code failedChecks} checks in a row should sleep now. */
        boolean sleeps(long failedChecks) {
            return failedChecks >= SPINS;
        }
    }

    final class Backoff implements WaitStrategy {
        static final Backoff DEFAULT = new Backoff(1_000_000);
        private static final int SPINS = 200;
        private static final int YIELDS = 50;
        private static final long MIN_PARK_NANOS = 1_000;

        private final long maxParkNanos;

        private Backoff(long maxParkNanos) {
            if (maxParkNanos < MIN_PARK_NANOS) {
                throw new IllegalArgumentException("max park time must be at least " + MIN_PARK_NANOS + " ns");
            }
            this.maxParkNanos = maxParkNanos;
        }

        @Override
        public void idle(long failedChecks) {
            if (failedChecks < SPINS) {
                Thread.onSpinWait();
            } else if (failedChecks < SPINS + YIELDS) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(parkNanos(failedChecks));
            }
        }

        /** The park of check {@code failedChecks} once spinning and yielding are over: 1 µs doubling up to the maximum. */
        long parkNanos(long failedChecks) {
            long doublings = Math.min(Math.max(failedChecks - SPINS - YIELDS, 0), 20);
            return Math.min(maxParkNanos, MIN_PARK_NANOS << doublings);
        }
    }
}
