package dev.nanobroker.cli;

import dev.nanobroker.ring.RingStatus;
import dev.nanobroker.ring.StaleRings;

import java.util.List;

/**
 * What {@code ls --json} prints: every ring in /dev/shm, and the temporaries of ring creators that
 * died half way.
 */
record LsReport(List<Entry> rings, List<DeadTemporary> temporaries) {

    /** One file that starts like a ring: a {@link Ring}, or {@link Unreadable} when it cannot be opened as one. */
    sealed interface Entry permits Ring, Unreadable {
    }

    /**
     * A ring that opened.
     *
     * @param producer alive, dead or closed
     * @param readers reader lines attached
     * @param stale no live writer and no live reader is attached: what {@code rm --dead} removes
     */
    record Ring(String name, int width, int height, int slots, long bytes, long head, int producerPid, String producer,
                long readers, boolean stale) implements Entry {

        static Ring of(RingStatus status) {
            return new Ring(status.name(), status.geometry().width(), status.geometry().height(),
                    status.geometry().slotCount(), status.geometry().fileLength(), status.head(), status.producerPid(),
                    RingTable.producerState(status), status.attachedReaders(), StaleRings.isStale(status));
        }
    }

    /** A file that starts like a ring but could not be opened as one, and why. */
    record Unreadable(String name, String error) implements Entry {
    }
}
