package dev.nanobroker.ring;

import java.time.Duration;
import java.util.Locale;

/**
 * What a writer does when the slowest reader is a whole ring behind, so that the next slot still holds
 * a frame that reader has not released. Chosen per writer.
 */
public sealed interface OverflowPolicy permits OverflowPolicy.Block, OverflowPolicy.Drop, OverflowPolicy.Overwrite {

    /** What the writer asks while the ring is full. */
    interface RoomCheck {
        /** Looks again at the readers' tails (and frees the lines of dead readers now and then). */
        boolean hasRoom();
    }

    /**
     * Decides the fate of one frame while the ring is full.
     *
     * @return true to write the frame anyway, false to drop it (the writer counts a producer drop)
     */
    boolean admit(RoomCheck ring);

    String label();

    /** Whether {@link #admit} may wait: time spent in it then counts as blocked time. */
    default boolean waits() {
        return false;
    }

    /**
     * Waits for the slowest reader, up to {@code timeout}; then drops the frame. No reader loses a
     * frame and none is ever overwritten while it is held, so a display never tears; the producer's
     * rate falls to the slowest reader's, and a stuck reader costs it at most the timeout per frame.
     */
    static OverflowPolicy block(Duration timeout) {
        return new Block(timeout.toNanos(), WaitStrategy.defaultStrategy());
    }

    /**
     * Drops the frame without waiting (after the writer's rate-limited check for dead readers): the
     * producer never waits, slow readers see gaps but never tearing.
     */
    static OverflowPolicy drop() {
        return Drop.INSTANCE;
    }

    /**
     * Writes anyway, over the oldest frame: the producer never waits and never drops; a lapped reader
     * counts what it lost, and a frame overwritten while held is reported torn when released.
     */
    static OverflowPolicy overwrite() {
        return Overwrite.INSTANCE;
    }

    /** Parses {@code block}, {@code drop} or {@code overwrite}; {@code blockTimeout} applies to block. */
    static OverflowPolicy parse(String name, Duration blockTimeout) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "block" -> block(blockTimeout);
            case "drop" -> drop();
            case "overwrite" -> overwrite();
            default -> throw new IllegalArgumentException(
                    "unknown overflow policy '" + name + "': use block, drop or overwrite");
        };
    }

    final class Block implements OverflowPolicy {
        private final long timeoutNanos;
        private final WaitStrategy waitStrategy;

        private Block(long timeoutNanos, WaitStrategy waitStrategy) {
            if (timeoutNanos < 0) {
                throw new IllegalArgumentException("block timeout must not be negative");
            }
            this.timeoutNanos = timeoutNanos;
            this.waitStrategy = waitStrategy;
        }

        @Override
        public boolean admit(RoomCheck ring) {
            long deadline = System.nanoTime() + timeoutNanos;
            for (long failedChecks = 0; ; failedChecks++) {
                if (ring.hasRoom()) {
                    return true;
                }
                if (System.nanoTime() - deadline >= 0) {
                    return false;
                }
                waitStrategy.idle(failedChecks);
            }
        }

        public long timeoutNanos() {
            return timeoutNanos;
        }

        @Override
        public boolean waits() {
            return true;
        }

        @Override
        public String label() {
            return "block";
        }
    }

    final class Drop implements OverflowPolicy {
        static final Drop INSTANCE = new Drop();

        private Drop() {
        }

        @Override
        public boolean admit(RoomCheck ring) {
            return false;
        }

        @Override
        public String label() {
            return "drop";
        }
    }

    final class Overwrite implements OverflowPolicy {
        static final Overwrite INSTANCE = new Overwrite();

        private Overwrite() {
        }

        @Override
        public boolean admit(RoomCheck ring) {
            return true;
        }

        @Override
        public String label() {
            return "overwrite";
        }
    }
}
