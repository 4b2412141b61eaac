package dev.nanobroker.viewer;

/** The last samples of latency and lag, for the overlay's plot; a fixed ring of primitives. */
final class History {

    static final long SPAN_NANOS = 10_000_000_000L;
    private static final int CAPACITY = 2048;

    private final long[] times = new long[CAPACITY];
    private final double[] latencyMs = new double[CAPACITY];
    private final long[] lag = new long[CAPACITY];
    private int next;
    private int size;

    void add(long nanos, double latency, long lagFrames) {
        times[next] = nanos;
        latencyMs[next] = latency;
        lag[next] = lagFrames;
        next = (next + 1) % CAPACITY;
        size = Math.min(size + 1, CAPACITY);
    }

    int size() {
        return size;
    }

    /** Sample {@code i}, 0 = oldest. */
    long time(int i) {
        return times[index(i)];
    }

    double latency(int i) {
        return latencyMs[index(i)];
    }

    long lag(int i) {
        return lag[index(i)];
    }

    private int index(int i) {
        return Math.floorMod(next - size + i, CAPACITY);
    }

    void clear() {
        size = 0;
        next = 0;
    }
}
