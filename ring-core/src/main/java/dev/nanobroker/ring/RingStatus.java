package dev.nanobroker.ring;

import java.util.List;

/**
 * What the header of a ring said when it was read: for tools and overlays, not for hot paths.
 *
 * @param producerToken identity token of the writer that attached last
 * @param producerAlive whether any attached writer still runs
 * @param liveWriters attached writers whose process still runs
 * @param lockOwner identity token of the process holding the write lock, 0 when free
 */
public record RingStatus(String name, RingGeometry geometry, long head, long epoch, int state,
                         long producerToken, boolean producerAlive, int liveWriters, long producerDrops, long blockedNanos,
                         long lockOwner, long createdMillis, List<Reader> readers) {

    public int producerPid() {
        return ProcessIdentity.pid(producerToken);
    }

    public boolean closed() {
        return state == RingLayout.STATE_CLOSED;
    }

    public long attachedReaders() {
        return readers.stream().filter(Reader::attached).count();
    }

    /**
     * One reader line.
     *
     * @param lag frames published that this reader has not released yet (head - tail)
     */
    public record Reader(int line, long ownerToken, boolean alive, ReadMode mode, long tail, long lag,
                         long frames, long skipped, long lost, long torn, long lastLatencyNanos) {

        public boolean attached() {
            return ownerToken != 0;
        }

        /** Attached and done attaching: its tail now holds frames back from the writer. */
        public boolean reading() {
            return ownerToken != 0 && tail != RingLayout.TAIL_FREE;
        }

        public int pid() {
            return ProcessIdentity.pid(ownerToken);
        }
    }
}
