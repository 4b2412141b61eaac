package dev.nanobroker.cli;

import dev.nanobroker.ring.RingException;
import dev.nanobroker.ring.RingStatus;
import dev.nanobroker.ring.SharedRing;
import dev.nanobroker.ring.StaleRings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code nanobroker rm NAME} removes a ring; {@code nanobroker rm --dead} removes what dead processes left. */
@Command(name = "rm",
        description = {
                "Removes a ring, or every stale ring (--dead).",
                "",
                "Removes a ring's file from /dev/shm. Refuses while its producer is alive,",
                "or when the file is not a readable ring, unless --force. Processes that",
                "mapped it keep their mapping.",
                "",
                "With --dead (and no NAME) removes every stale ring, one that no live writer",
                "and no live reader is attached to, and the temporaries",
                "(.NAME.creating-PID-...) of ring creators that died half way. Never removes",
                "anything in use; leaves files that are not valid rings, and rings created",
                "less than 2 s ago. Prints one line per file removed or skipped, then a",
                "summary; exit 0 when nothing was stale."
        })
final class RmCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Ring name: the file /dev/shm/NAME.")
    String name;

    @Option(names = {"-f", "--force"}, description = "Remove even while the producer runs, or when the file is not a valid ring.")
    boolean force;

    @Option(names = "--dead", description = "Remove every stale ring and dead creators' temporaries instead of one ring.")
    boolean dead;

    @Option(names = "--prefix", paramLabel = "PREFIX", description = "With --dead: only rings whose name starts with PREFIX.")
    String prefix;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        if (dead) {
            if (name != null) {
                throw usage("give a NAME or --dead, not both");
            }
            if (force) {
                throw usage("--force does not go with --dead: --dead never removes anything in use");
            }
            return removeDead();
        }
        if (name == null) {
            throw usage("Missing required parameter: 'NAME' (or --dead)");
        }
        if (prefix != null) {
            throw usage("--prefix goes with --dead only");
        }
        if (!Files.exists(SharedRing.pathOf(name), LinkOption.NOFOLLOW_LINKS)) {
            throw new RingException("ring " + name + " does not exist");
        }
        if (!force) {
            RingStatus status;
            try (SharedRing ring = SharedRing.open(name)) {
                status = ring.status();
            } catch (RingException e) {
                throw new RingException(e.getMessage() + "; use --force to remove the file anyway", e);
            }
            if (status.producerAlive()) {
                throw new RingException("ring " + name + " is in use by a live producer (pid " + status.producerPid()
                        + "); stop it first, or use --force");
            }
        }
        SharedRing.unlink(name);
        PrintWriter out = spec.commandLine().getOut();
        out.println(json.on() ? JsonReports.write(new RmReport(name)) : "removed ring " + name);
        return 0;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private int removeDead() {
        String only = prefix == null ? "" : prefix;
        StaleRings.Report report = StaleRings.removeDead(ringName -> ringName.startsWith(only), StaleRings.MINIMUM_AGE);
        PrintWriter out = spec.commandLine().getOut();
        if (json.on()) {
            out.println(JsonReports.write(RmDeadReport.of(report)));
        } else {
            for (StaleRings.RemovedRing ring : report.rings()) {
                out.println("removed stale ring " + ring.name() + " (" + describe(ring) + ")");
            }
            for (StaleRings.Temporary temporary : report.temporaries()) {
                out.println("removed temporary " + temporary.path().getFileName() + " (" + megabytes(temporary.bytes())
                        + ") of dead creator pid " + temporary.creatorPid());
            }
            for (StaleRings.Skipped skipped : report.skipped()) {
                out.println("skipped " + skipped.name() + ": " + skipReason(skipped));
            }
            out.println(summary(report));
        }
        out.flush();
        long failed = report.skipped().stream().filter(skipped -> skipped.reason() == StaleRings.SkipReason.FAILED).count();
        if (failed > 0) {
            throw new CommandException(failed + " stale file(s) could not be removed; see above");
        }
        return 0;
    }

    private static String describe(StaleRings.RemovedRing ring) {
        String producer = ring.producerPid() == 0 ? "no producer ever attached"
                : ring.closed() ? "closed by producer pid " + ring.producerPid()
                : "producer pid " + ring.producerPid() + " dead";
        String readers = ring.deadReaders() == 0 ? "no readers"
                : ring.deadReaders() == 1 ? "1 dead reader" : ring.deadReaders() + " dead readers";
        return producer + ", " + readers;
    }

    private static String skipReason(StaleRings.Skipped skipped) {
        return switch (skipped.reason()) {
            case NOT_A_RING -> "not a valid ring (" + skipped.detail() + "); 'nanobroker rm " + skipped.name()
                    + " --force' removes it";
            case TOO_YOUNG -> "stale but " + skipped.detail();
            case IN_USE_AGAIN, FAILED -> skipped.detail();
        };
    }

    private static String summary(StaleRings.Report report) {
        int rings = report.rings().size();
        int temporaries = report.temporaries().size();
        int skipped = report.skipped().size();
        if (rings == 0 && temporaries == 0) {
            return skipped == 0 ? "nothing stale" : "nothing removed, " + skipped + " skipped";
        }
        List<String> parts = new ArrayList<>();
        if (rings > 0) {
            parts.add(rings + (rings == 1 ? " stale ring" : " stale rings"));
        }
        if (temporaries > 0) {
            parts.add(temporaries + (temporaries == 1 ? " temporary" : " temporaries"));
        }
        return "removed " + String.join(" and ", parts) + ", " + megabytes(report.bytesFreed()) + " freed"
                + (skipped > 0 ? ", " + skipped + " skipped" : "");
    }

    static String megabytes(long bytes) {
        return String.format("%.1f MB", bytes / 1e6);
    }
}
