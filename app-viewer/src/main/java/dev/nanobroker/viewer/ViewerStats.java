package dev.nanobroker.viewer;

import dev.nanobroker.ring.BridgeNote;
import dev.nanobroker.ring.RingStatus;

import java.util.List;

/**
 * What the overlay shows, refreshed a few times a second.
 *
 * @param frame          the frame on screen's sequence where it was first published (its own, unless a bridge
 *     copied it: then the source's, the number its picture shows)
 * @param clockLatencyMs now minus the time the latency clock's pixels carry; NaN when the frame
 *     shows no readable clock
 * @param ownLine        this viewer's reader line
 * @param producerDrops  frames the ring's writers dropped under their overflow policy
 * @param blockedMillis  time the ring's writers spent waiting for a slow reader (block policy)
 * @param stallLeftMillis how much longer this viewer's simulated stall lasts; 0 when it reads
 * @param bridgedClock   for a ring a {@code bridge receive} writes, what it knows of the sender's clock (whether
 *     the latency counts from the producer's publish on the other host); null for any other ring
 */
public record ViewerStats(String ringName, String geometry, long frame, double displayFps, double producerFps,
                          double latencyMs, double clockLatencyMs, int ownLine, long head, int slots,
                          List<RingStatus.Reader> readers, long producerDrops, long blockedMillis, long stallLeftMillis,
                          BridgeNote.Clock bridgedClock) {
}
