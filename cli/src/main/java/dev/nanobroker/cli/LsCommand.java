package dev.nanobroker.cli;

import dev.nanobroker.json.Json;
import dev.nanobroker.ring.RingException;
import dev.nanobroker.ring.RingStatus;
import dev.nanobroker.ring.SharedRing;
import dev.nanobroker.ring.StaleRings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code nanobroker ls}: the rings in /dev/shm. */
@Command(name = "ls",
        description = {
                "Lists the rings in /dev/shm: name, geometry, producer alive or not, readers.",
                "",
                "A ring is marked stale when no live writer and no live reader is attached",
                "to it: what a killed producer leaves. 'nanobroker rm --dead' removes those,",
                "and the temporaries of ring creators that died half way (counted at the",
                "bottom)."
        })
final class LsCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        List<Object> rings = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        int stale = 0;
        for (String name : SharedRing.listNames()) {
            try (SharedRing ring = SharedRing.open(name)) {
                RingStatus status = ring.status();
                boolean isStale = StaleRings.isStale(status);
                if (isStale) {
                    stale++;
                }
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", name);
                entry.put("width", status.geometry().width());
                entry.put("height", status.geometry().height());
                entry.put("slots", status.geometry().slotCount());
                entry.put("bytes", status.geometry().fileLength());
                entry.put("head", status.head());
                entry.put("producer_pid", status.producerPid());
                entry.put("producer", RingTable.producerState(status));
                entry.put("readers", status.attachedReaders());
                entry.put("stale", isStale);
                rings.add(entry);
                lines.add(String.format("%-24s %11s %5d %9.1f %8d %-8s %7d %12d %s", name,
                        status.geometry().width() + "x" + status.geometry().height(), status.geometry().slotCount(),
                        status.geometry().fileLength() / 1e6, status.producerPid(), RingTable.producerState(status),
                        status.attachedReaders(), status.head(), isStale ? "stale" : "-"));
            } catch (RingException e) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", name);
                entry.put("error", e.getMessage());
                rings.add(entry);
                lines.add(String.format("%-24s unreadable: %s", name, e.getMessage()));
            }
        }
        List<StaleRings.Temporary> temporaries = StaleRings.deadTemporaries(ringName -> true);
        if (json.on()) {
            List<Object> files = new ArrayList<>();
            for (StaleRings.Temporary temporary : temporaries) {
                files.add(RingTable.toMap(temporary));
            }
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("rings", rings);
            all.put("temporaries", files);
            out.println(Json.write(all));
            return 0;
        }
        if (lines.isEmpty()) {
            out.println("no rings in " + SharedRing.DIRECTORY);
        } else {
            out.println(String.format("%-24s %11s %5s %9s %8s %-8s %7s %12s %s",
                    "NAME", "SIZE", "SLOTS", "MB", "PID", "PRODUCER", "READERS", "HEAD", "STALE"));
            lines.forEach(out::println);
        }
        String hint = staleHint(stale, temporaries);
        if (hint != null) {
            out.println(hint);
        }
        return 0;
    }

    /** "2 stale rings: remove them with ...", counting dead creators' temporaries too; null when there is nothing. */
    static String staleHint(int staleRings, List<StaleRings.Temporary> temporaries) {
        List<String> parts = new ArrayList<>();
        if (staleRings > 0) {
            parts.add(staleRings + (staleRings == 1 ? " stale ring" : " stale rings"));
        }
        if (!temporaries.isEmpty()) {
            long bytes = temporaries.stream().mapToLong(StaleRings.Temporary::bytes).sum();
            parts.add(temporaries.size() + (temporaries.size() == 1 ? " temporary" : " temporaries")
                    + " of dead ring creators (" + RmCommand.megabytes(bytes) + ")");
        }
        if (parts.isEmpty()) {
            return null;
        }
        return String.join(" and ", parts) + ": remove " + (staleRings + temporaries.size() == 1 ? "it" : "them")
                + " with 'nanobroker rm --dead'";
    }
}
