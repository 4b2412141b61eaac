package dev.nanobroker.cli;

import dev.nanobroker.ring.Delivery;
import dev.nanobroker.ring.RingStatus;
import dev.nanobroker.ring.StaleRings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders ring status for people (aligned text) and for programs (JSON-ready maps). */
final class RingTable {

    private RingTable() {
    }

    static String producerState(RingStatus status) {
        if (status.closed()) {
            return "closed";
        }
        return status.producerAlive() ? "alive" : "dead";
    }

    /** A dead creator's temporary file, as {@code ls --json} and {@code rm --dead --json} give it. */
    static Map<String, Object> toMap(StaleRings.Temporary temporary) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("file", temporary.path().getFileName().toString());
        entry.put("name", temporary.ringName());
        entry.put("creator_pid", temporary.creatorPid());
        entry.put("bytes", temporary.bytes());
        return entry;
    }

    static Map<String, Object> toMap(RingStatus status) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", status.name());
        map.put("width", status.geometry().width());
        map.put("height", status.geometry().height());
        map.put("row_stride", status.geometry().rowStride());
        map.put("slots", status.geometry().slotCount());
        map.put("bytes", status.geometry().fileLength());
        map.put("head", status.head());
        map.put("epoch", status.epoch());
        map.put("state", status.closed() ? "closed" : "open");
        Map<String, Object> producer = new LinkedHashMap<>();
        producer.put("pid", status.producerPid());
        producer.put("alive", status.producerAlive());
        producer.put("writers", status.liveWriters());
        producer.put("drops", status.producerDrops());
        producer.put("blocked_ms", status.blockedNanos() / 1_000_000);
        map.put("producer", producer);
        map.put("lock_owner_pid", dev.nanobroker.ring.ProcessIdentity.pid(status.lockOwner()));
        List<Object> readers = new ArrayList<>();
        for (RingStatus.Reader reader : status.readers()) {
            if (!reader.attached()) {
                continue;
            }
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("slot", reader.line());
            line.put("pid", reader.pid());
            line.put("alive", reader.alive());
            line.put("mode", reader.mode() == null ? null : reader.mode().label());
            line.put("tail", reader.tail());
            line.put("lag", reader.lag());
            line.put("frames", reader.frames());
            line.put("skipped", reader.skipped());
            line.put("lost", reader.lost());
            line.put("torn", reader.torn());
            line.put("delivery", Delivery.of(reader).describe());
            line.put("last_latency_ns", reader.lastLatencyNanos());
            readers.add(line);
        }
        map.put("readers", readers);
        return map;
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

    static String micros(long nanos) {
        return String.format("%.1f µs", nanos / 1000.0);
    }
}
