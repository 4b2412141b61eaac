package dev.nanobroker.producer;

/**
 * What a producer run has done so far.
 *
 * @param attempted frames the producer tried to write (published + dropped by the overflow policy)
 * @param producerDrops frames the overflow policy dropped, this run
 * @param blockedNanos time this run's claims waited for slow readers
 */
public record ProducerStats(long attempted, long published, long producerDrops, long blockedNanos, long elapsedNanos,
                            long lockTakeovers) {

    public double fps() {
        return elapsedNanos <= 0 ? 0 : published * 1e9 / elapsedNanos;
    }
}
