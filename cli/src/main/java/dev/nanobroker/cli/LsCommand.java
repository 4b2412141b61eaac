package dev.nanobroker.cli;

import dev.nanobroker.json.Json;
import dev.nanobroker.ring.RingException;
import dev.nanobroker.ring.RingStatus;
import dev.nanobroker.ring.SharedRing;
import picocli.CommandLine;
import picocli.CommandLine.Command;
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
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        description = "Lists the rings in /dev/shm: name, geometry, producer alive or not, readers attached.")
final class LsCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object: {\"rings\": [...]}.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        List<Object> rings = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (String name : SharedRing.listNames()) {
            try (SharedRing ring = SharedRing.open(name)) {
                RingStatus status = ring.status();
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
                rings.add(entry);
                lines.add(String.format("%-24s %11s %5d %9.1f %8d %-7s %7d %12d", name,
                        status.geometry().width() + "x" + status.geometry().height(), status.geometry().slotCount(),
                        status.geometry().fileLength() / 1e6, status.producerPid(), RingTable.producerState(status),
                        status.attachedReaders(), status.head()));
            } catch (RingException e) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", name);
                entry.put("error", e.getMessage());
                rings.add(entry);
                lines.add(String.format("%-24s unreadable: %s", name, e.getMessage()));
            }
        }
        if (json) {
            out.println(Json.write(Map.of("rings", rings)));
        } else if (lines.isEmpty()) {
            out.println("no rings in " + SharedRing.DIRECTORY);
        } else {
            out.println(String.format("%-24s %11s %5s %9s %8s %-7s %7s %12s",
                    "NAME", "SIZE", "SLOTS", "MB", "PID", "PRODUCER", "READERS", "HEAD"));
            lines.forEach(out::println);
        }
        return 0;
    }
}
