package dev.nanobroker.bridge;

import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;

/** One hop's latency: every sample of the run for its percentiles, and those since the last status line for its median. */
public final class HopLatency {

    private final Histogram run = histogram();
    private final Histogram interval = histogram();

    private static Histogram histogram() {
        return new Histogram(TimeUnit.HOURS.toNanos(1), 3);
    }

    /** A sample in ns; a negative one (clocks a few ns apart between cores) counts as 0, one over an hour as an hour. */
    public void record(long nanos) {
        long value = Math.clamp(nanos, 0, run.getHighestTrackableValue());
        run.recordValue(value);
        interval.recordValue(value);
    }

    /** The median since the last call (0 without samples), and a new interval. */
    public long intervalMedianAndReset() {
        long median = interval.getTotalCount() > 0 ? interval.getValueAtPercentile(50) : 0;
        interval.reset();
        return median;
    }

    public long count() {
        return run.getTotalCount();
    }

    /** The run's value at {@code percentile}, 0 without samples. */
    public long percentile(double percentile) {
        return run.getTotalCount() > 0 ? run.getValueAtPercentile(percentile) : 0;
    }

    public long max() {
        return run.getTotalCount() > 0 ? run.getMaxValue() : 0;
    }
}
