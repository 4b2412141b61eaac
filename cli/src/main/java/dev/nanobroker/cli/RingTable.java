package dev.nanobroker.cli;

import dev.nanobroker.ring.BridgeNote;
import dev.nanobroker.ring.Delivery;
import dev.nanobroker.ring.RingStatus;

import java.util.List;

/** Renders ring status for people: aligned text ({@link StatReport} is the same for programs). */
final class RingTable {

    private RingTable() {
    }

    static String producerState(RingStatus status) {
        if (status.closed()) {
            return "closed";
        }
        return status.producerAlive() ? "alive" : "dead";
    }

    static String describe(RingStatus status) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("ring %s: %dx%d BGRA, row stride %d, %d slots, %.1f MB%n", status.name(),
                status.geometry().width(), status.geometry().height(), status.geometry().rowStride(),
                status.geometry().slotCount(), status.geometry().fileLength() / 1e6));
        out.append(String.format("producer pid %d (%s), epoch %d, head %d, producer drops %d, blocked %d ms%n",
                status.producerPid(), producerState(status), status.epoch(), status.head(), status.producerDrops(),
                status.blockedNanos() / 1_000_000));
        out.append(String.format("%-4s %-8s %-5s %-6s %12s %6s %12s %8s %6s %6s %12s  %s%n",
                "SLOT", "PID", "ALIVE", "MODE", "TAIL", "LAG", "FRAMES", "SKIPPED", "LOST", "TORN", "LATENCY", "DELIVERY"));
        long attached = 0;
        for (RingStatus.Reader reader : status.readers()) {
            if (!reader.attached()) {
                continue;
            }
            attached++;
            out.append(String.format("%-4d %-8d %-5s %-6s %12s %6d %12d %8d %6d %6d %12s  %s%n",
                    reader.line(), reader.pid(), reader.alive() ? "yes" : "no",
                    reader.mode() == null ? "?" : reader.mode().label(),
                    reader.tail() == Long.MAX_VALUE ? "-" : Long.toString(reader.tail()), reader.lag(),
                    reader.frames(), reader.skipped(), reader.lost(), reader.torn(), micros(reader.lastLatencyNanos()),
                    Delivery.of(reader).verdict().label()));
        }
        if (attached == 0) {
            out.append("(no readers attached)").append(System.lineSeparator());
        }
        return out.toString();
    }

    /**
     * {@link #describe(RingStatus)}, then a line for each bridge at the ring: what it sent, or received
     * and lost, and for a receiver whether the latency above is end to end from the producer's publish.
     */
    static String describe(RingStatus status, List<BridgeNote> bridges) {
        StringBuilder out = new StringBuilder(describe(status));
        for (BridgeNote bridge : bridges) {
            out.append(bridge.describe());
            if (bridge.clock() != null) {
                out.append(bridge.clock().endToEnd() ? " (LATENCY above: end to end, from the producer's publish on the sender's host)"
                        : " (LATENCY above: from this host's republish, not end to end)");
            }
            out.append(System.lineSeparator());
        }
        return out.toString();
    }

    static String micros(long nanos) {
        return String.format("%.1f µs", nanos / 1000.0);
    }
}
