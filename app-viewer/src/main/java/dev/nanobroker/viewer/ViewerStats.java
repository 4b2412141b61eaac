package dev.nanobroker.viewer;

import dev.nanobroker.ring.RingStatus;

import java.util.List;

/**
 * What the overlay shows, refreshed a few times a second.
 *
 * @param clockLatencyMs now minus the time the latency clock's pixels carry; NaN when the frame
 *     shows no readable clock
 * @param ownLine        this viewer's reader line
 */
public record ViewerStats(String ringName, String geometry, long frame, double displayFps, double producerFps,
                          double latencyMs, double clockLatencyMs, int ownLine, long head, int slots,
                          List<RingStatus.Reader> readers) {
}
