package dev.nanobroker.cli;

import dev.nanobroker.ring.Delivery;
import dev.nanobroker.ring.ProcessIdentity;
import dev.nanobroker.ring.RingStatus;

import java.util.List;

/**
 * What {@code stat --json} prints: one ring's header and every attached reader line.
 *
 * @param rowStride bytes from one pixel row to the next
 * @param bytes the file's length
 * @param state open, or closed by its producer
 * @param lockOwnerPid the process holding the write lock, 0 when free
 */
record StatReport(String name, int width, int height, int rowStride, int slots, long bytes, long head, long epoch,
                  String state, Producer producer, int lockOwnerPid, List<Reader> readers) {

    /**
     * @param writers attached writers whose process still runs
     * @param drops frames the producer dropped (policy drop, or block after its timeout)
     */
    record Producer(int pid, boolean alive, int writers, long drops, long blockedMs) {
    }

    /**
     * One attached reader line.
     *
     * @param slot the line's index in the ring's reader table
     * @param mode every or latest; null when the line holds no known mode
     * @param delivery its delivery in words ({@link Delivery#describe()})
     */
    record Reader(int slot, int pid, boolean alive, String mode, long tail, long lag, long frames, long skipped, long lost,
                  long torn, String delivery, long lastLatencyNs) {
    }

    static StatReport of(RingStatus status) {
        List<Reader> readers = status.readers().stream()
                .filter(RingStatus.Reader::attached)
                .map(reader -> new Reader(reader.line(), reader.pid(), reader.alive(),
                        reader.mode() == null ? null : reader.mode().label(), reader.tail(), reader.lag(), reader.frames(),
                        reader.skipped(), reader.lost(), reader.torn(), Delivery.of(reader).describe(),
                        reader.lastLatencyNanos()))
                .toList();
        return new StatReport(status.name(), status.geometry().width(), status.geometry().height(),
                status.geometry().rowStride(), status.geometry().slotCount(), status.geometry().fileLength(), status.head(),
                status.epoch(), status.closed() ? "closed" : "open",
                new Producer(status.producerPid(), status.producerAlive(), status.liveWriters(), status.producerDrops(),
                        status.blockedNanos() / 1_000_000),
                ProcessIdentity.pid(status.lockOwner()), readers);
    }
}
