package dev.nanobroker.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.nanobroker.producer.ProducerStats;
import dev.nanobroker.producer.source.SourceSpec;

/**
 * What {@code produce --headless} prints at the end of its run.
 *
 * @param source the source as given: pattern, webcam[:DEVICE] or file:PATH
 * @param pattern the test pattern, only when it drew the frames (left out of the JSON otherwise)
 * @param fps frames published per second, to 0.1
 * @param seconds the run's length, to the millisecond
 * @param blockedMs time the producer waited for slow readers
 * @param lockTakeovers write locks taken over from a dead writer
 * @param policy the overflow policy: block, drop or overwrite
 */
record ProduceReport(String name, String source, @JsonInclude(JsonInclude.Include.NON_NULL) String pattern, long published,
                     long producerDrops, double fps, double seconds, long blockedMs, long lockTakeovers, String policy) {

    static ProduceReport of(String name, SourceSpec source, String pattern, ProducerStats stats, String policy) {
        return new ProduceReport(name, source.toString(), source instanceof SourceSpec.Pattern ? pattern : null,
                stats.published(), stats.producerDrops(), Math.round(stats.fps() * 10) / 10.0,
                Math.round(stats.elapsedNanos() / 1e6) / 1000.0, stats.blockedNanos() / 1_000_000, stats.lockTakeovers(),
                policy);
    }

    /** The report in one line of text. */
    String text() {
        return String.format("published %s frames in %s s (%s fps), producer drops %s, blocked %s ms, lock takeovers %s",
                published, seconds, fps, producerDrops, blockedMs, lockTakeovers);
    }
}
