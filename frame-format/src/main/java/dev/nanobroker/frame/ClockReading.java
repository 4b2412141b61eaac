package dev.nanobroker.frame;

/**
 * What {@link LatencyClock#decode} read back from a frame's box rows.
 *
 * @param sequence the frame number the producer rendered
 * @param nanos    the producer's {@link System#nanoTime()} when it started rendering the frame
 */
public record ClockReading(long sequence, long nanos) {
}
