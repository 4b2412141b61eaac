package dev.nanobroker.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.nanobroker.ring.BridgeNote;
import dev.nanobroker.ring.Delivery;
import dev.nanobroker.ring.ProcessIdentity;
import dev.nanobroker.ring.RingStatus;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code stat --json} prints: one ring's header and every attached reader line.
 *
 * @param rowStride bytes from one pixel row to the next
 * @param bytes the file's length
 * @param state open, or closed by its producer
 * @param lockOwnerPid the process holding the write lock, 0 when free
 * @param bridges the bridges that send this ring or receive into it ({@link BridgeNote}); left out when none does
 */
record StatReport(String name, int width, int height, int rowStride, int slots, long bytes, long head, long epoch,
                  String state, Producer producer, int lockOwnerPid, List<Reader> readers,
                  @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Bridge> bridges) {

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

    /**
     * A bridge end at this ring.
     *
     * @param role   send or receive
     * @param peer   the other end in words
     * @param counts its counts: sent, skipped, torn, cut; or received, lost, incomplete, corrupt, dropped
     * @param clock  a receiver's knowledge of the sender's clock: same host, estimated, unknown; null for a sender
     * @param clockOffsetMs the sender's clock minus this host's, when estimated
     * @param clockAccuracyMs the offset is within ± this
     */
    record Bridge(String role, int pid, String peer, Map<String, Long> counts, @JsonInclude(JsonInclude.Include.NON_NULL) String clock,
                  @JsonInclude(JsonInclude.Include.NON_NULL) Double clockOffsetMs,
                  @JsonInclude(JsonInclude.Include.NON_NULL) Double clockAccuracyMs) {

        static Bridge of(BridgeNote note) {
            BridgeNote.Clock clock = note.clock();
            boolean estimated = clock != null && clock.known() == BridgeNote.Clock.Known.ESTIMATED;
            return new Bridge(note.role().name().toLowerCase(Locale.ROOT), ProcessIdentity.pid(note.process()), note.peer(),
                    note.counts(), clock == null ? null : clock.known().word(), estimated ? clock.offsetNanos() / 1e6 : null,
                    estimated ? clock.accuracyNanos() / 1e6 : null);
        }
    }

    static StatReport of(RingStatus status, List<BridgeNote> bridges) {
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
                ProcessIdentity.pid(status.lockOwner()), readers, bridges.stream().map(Bridge::of).toList());
    }
}
