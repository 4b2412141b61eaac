package dev.nanobroker.cli;

import dev.nanobroker.ring.RingException;
import dev.nanobroker.ring.SharedRing;
import dev.nanobroker.ring.StaleRings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
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
        List<LsReport.Entry> rings = new ArrayList<>();
        for (String name : SharedRing.listNames()) {
            try (SharedRing ring = SharedRing.open(name)) {
                rings.add(LsReport.Ring.of(ring.status()));
            } catch (RingException e) {
                rings.add(new LsReport.Unreadable(name, e.getMessage()));
            }
        }
        List<StaleRings.Temporary> temporaries = StaleRings.deadTemporaries(ringName -> true);
        if (json.on()) {
            out.println(JsonReports.write(new LsReport(rings, temporaries.stream().map(DeadTemporary::of).toList())));
            return 0;
        }
        if (rings.isEmpty()) {
            out.println("no rings in " + SharedRing.DIRECTORY);
        } else {
            out.println(String.format("%-24s %11s %5s %9s %8s %-8s %7s %12s %s",
                    "NAME", "SIZE", "SLOTS", "MB", "PID", "PRODUCER", "READERS", "HEAD", "STALE"));
            rings.forEach(entry -> out.println(line(entry)));
        }
        long stale = rings.stream().filter(entry -> entry instanceof LsReport.Ring ring && ring.stale()).count();
        String hint = staleHint(stale, temporaries);
        if (hint != null) {
            out.println(hint);
        }
        return 0;
    }

    private static String line(LsReport.Entry entry) {
        return switch (entry) {
            case LsReport.Ring ring -> String.format("%-24s %11s %5d %9.1f %8d %-8s %7d %12d %s", ring.name(),
                    ring.width() + "x" + ring.height(), ring.slots(), ring.bytes() / 1e6, ring.producerPid(), ring.producer(),
                    ring.readers(), ring.head(), ring.stale() ? "stale" : "-");
            case LsReport.Unreadable unreadable -> String.format("%-24s unreadable: %s", unreadable.name(), unreadable.error());
        };
    }

    /** "2 stale rings: remove them with ...", counting dead creators' temporaries too; null when there is nothing. */
    static String staleHint(long staleRings, List<StaleRings.Temporary> temporaries) {
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
