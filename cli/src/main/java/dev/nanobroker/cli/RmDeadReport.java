package dev.nanobroker.cli;

import dev.nanobroker.ring.StaleRings;

import java.util.List;
import java.util.Locale;

/** What {@code rm --dead --json} prints: what it removed, what it left and why, and the bytes freed. */
record RmDeadReport(List<RemovedRing> removedRings, List<DeadTemporary> removedTemporaries, List<Skipped> skipped,
                    long bytesFreed) {

    /**
     * A stale ring removed.
     *
     * @param producer none (no producer ever attached), closed or dead
     * @param deadReaders reader lines still held by processes that no longer run
     */
    record RemovedRing(String name, int producerPid, String producer, int deadReaders, long bytes) {

        static RemovedRing of(StaleRings.RemovedRing ring) {
            String producer = ring.producerPid() == 0 ? "none" : ring.closed() ? "closed" : "dead";
            return new RemovedRing(ring.name(), ring.producerPid(), producer, ring.deadReaders(), ring.bytes());
        }
    }

    /**
     * A ring or temporary left in place.
     *
     * @param reason not_a_ring, too_young, in_use_again or failed
     */
    record Skipped(String name, String reason, String detail) {

        static Skipped of(StaleRings.Skipped skipped) {
            return new Skipped(skipped.name(), skipped.reason().name().toLowerCase(Locale.ROOT), skipped.detail());
        }
    }

    static RmDeadReport of(StaleRings.Report report) {
        return new RmDeadReport(report.rings().stream().map(RemovedRing::of).toList(),
                report.temporaries().stream().map(DeadTemporary::of).toList(),
                report.skipped().stream().map(Skipped::of).toList(), report.bytesFreed());
    }
}
