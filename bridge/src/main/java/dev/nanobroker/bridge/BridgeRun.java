package dev.nanobroker.bridge;

/** What both ends of the bridge share about a run: why it ended, what it tells while it goes, and when it must end. */
public final class BridgeRun {

    private BridgeRun() {
    }

    /** Why a run ended. */
    public enum Stop {
        SECONDS("seconds"),
        STOPPED("stopped"),
        /** The other end was connected, then away for the timeout. */
        PEER_GONE("timeout: the other end went away"),
        /** The other end never connected within the timeout. */
        NO_PEER("the other end never came"),
        /** The sender's ring never appeared within the timeout. */
        NO_RING("no ring");

        private final String words;

        Stop(String words) {
            this.words = words;
        }

        /** As the reports say it. */
        public String words() {
            return words;
        }
    }

    /** What an end tells the person running it. */
    public interface Listener<S> {
        /** The publication or subscription is up (a port in use would have failed before this). */
        void ready();

        /** Once a second, with the counts so far and the rates of that second. */
        void second(S status);
    }

    /** When a run must end: on a stop request, after its length, or when the other end was away for the timeout. */
    static final class Limits {
        private final long start;
        private final long runNanos;
        private final long timeoutNanos;
        private long lastConnected;
        private boolean everConnected;

        /**
         * @param runNanos     the run's length; 0: until stopped
         * @param timeoutNanos how long the other end may be away; 0: for ever
         */
        Limits(long start, long runNanos, long timeoutNanos) {
            this.start = start;
            this.runNanos = runNanos;
            this.timeoutNanos = timeoutNanos;
            this.lastConnected = start;
        }

        /** @return why the run ends now, or null to go on */
        Stop check(long now, boolean stopRequested, boolean connected) {
            if (stopRequested) {
                return Stop.STOPPED;
            }
            if (runNanos > 0 && now - start >= runNanos) {
                return Stop.SECONDS;
            }
            if (connected) {
                lastConnected = now;
                everConnected = true;
            } else if (timeoutNanos > 0 && now - lastConnected > timeoutNanos) {
                return everConnected ? Stop.PEER_GONE : Stop.NO_PEER;
            }
            return null;
        }

        /** Whether the timeout has passed since the start (for what must come within it, such as the ring). */
        boolean timeoutPassed(long now) {
            return timeoutNanos > 0 && now - start > timeoutNanos;
        }
    }

    /** Frames per second and megabytes (10^6 bytes) per second. */
    record Rate(double framesPerSecond, double megabytesPerSecond) {
        static Rate over(double seconds, long frames, long bytes) {
            return new Rate(frames / seconds, bytes / seconds / 1e6);
        }
    }

    /** The rates of each second of a run, for its status lines. */
    static final class Seconds {
        private static final long SECOND_NANOS = 1_000_000_000L;

        private long start;
        private long framesAtStart;
        private long bytesAtStart;

        Seconds(long start) {
            this.start = start;
        }

        /** Whether a second has passed since the last {@link #next}. */
        boolean due(long now) {
            return now - start >= SECOND_NANOS;
        }

        /** The rate since the last call, given the run's totals now; then the next second starts. */
        Rate next(long now, long frames, long bytes) {
            Rate rate = Rate.over((now - start) / 1e9, frames - framesAtStart, bytes - bytesAtStart);
            start = now;
            framesAtStart = frames;
            bytesAtStart = bytes;
            return rate;
        }
    }
}
