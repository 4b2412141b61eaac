package dev.nanobroker.cli;

import dev.nanobroker.process.StopSignal;
import dev.nanobroker.ring.BridgeNote;
import dev.nanobroker.ring.SharedRing;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/** {@code nanobroker stat NAME}: the header and every reader line of one ring. */
@Command(name = "stat",
        description = "Shows one ring: geometry, producer, head, and every reader's tail, lag, frames skipped (by design) and lost, and"
                + " latency; and the counts of any bridge that sends the ring or receives into it.")
final class StatCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "Ring name: the file /dev/shm/NAME.")
    String name;

    @Mixin
    JsonOption json;

    @Mixin
    OtherOwnerOption otherOwner;

    @Option(names = "--watch", description = "Print again every --interval-ms until stopped (Ctrl-C).")
    boolean watch;

    @Option(names = "--interval-ms", defaultValue = "500", paramLabel = "MS", description = "Refresh interval for --watch (default: ${DEFAULT-VALUE}).")
    long intervalMillis;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (intervalMillis < 10) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--interval-ms must be at least 10");
        }
        try (StopSignal stop = new StopSignal(); SharedRing ring = SharedRing.open(name, false, otherOwner.allowed())) {
            do {
                if (watch && !json.on() && System.console() != null) {
                    out.print("\033[H\033[2J");
                }
                List<BridgeNote> bridges = BridgeNote.of(name);
                out.println(json.on() ? JsonReports.write(StatReport.of(ring.status(), bridges)) : RingTable.describe(ring.status(), bridges));
                out.flush();
                if (watch) {
                    LockSupport.parkNanos(intervalMillis * 1_000_000);
                }
            } while (watch && !stop.requested());
        }
        return 0;
    }
}
