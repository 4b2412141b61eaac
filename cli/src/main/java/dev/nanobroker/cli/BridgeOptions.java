package dev.nanobroker.cli;

import dev.nanobroker.bridge.AeronConnection;
import dev.nanobroker.bridge.BridgeRun;
import dev.nanobroker.process.StopSignal;
import io.aeron.Aeron;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * The flags both ends of the bridge share (the media driver, how long to run, how long to wait for
 * the other end), and the run both commands make of them: Aeron, a status line a second, the report.
 */
final class BridgeOptions {

    @Option(names = "--aeron-dir", paramLabel = "DIR",
            description = "Use the Aeron media driver running in DIR (an aeronmd) instead of one embedded in this process.")
    Path aeronDirectory;

    @Option(names = "--seconds", defaultValue = "0", paramLabel = "S", description = "Stop after S seconds; 0 = until Ctrl-C (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--timeout-s", defaultValue = "10", paramLabel = "S",
            description = "Stop when the other end has not been connected for S seconds in a row; 0 = wait for it forever"
                    + " (default: ${DEFAULT-VALUE}). Never connected: exit 1.")
    double timeoutSeconds;

    @Option(names = "--quiet", description = "No status line a second (errors and the report still print), for a bridge run"
            + " beside other output, as demo --bridged runs its two.")
    boolean quiet;

    /** One end of the bridge as a command runs it: its status {@code S}, its report {@code R}. */
    interface End<S, R extends Record & Report> {
        BridgeRun.Stop run(Aeron aeron, BooleanSupplier stopRequested, BridgeRun.Listener<S> listener);

        /** What stderr says once the end is up. */
        String readyLine(String driver);

        String statusLine(S status);

        /** The one line for a run that could not work ({@code NO_PEER}, {@code NO_RING}); null for any other stop. */
        String failure(BridgeRun.Stop stopped);

        R report(BridgeRun.Stop stopped, double seconds);
    }

    /** A bridge command's report: a record that {@code --json} prints, or this text. */
    interface Report {
        String text();
    }

    void check(CommandLine commandLine) {
        if (seconds < 0 || timeoutSeconds < 0) {
            throw new CommandLine.ParameterException(commandLine, "--seconds and --timeout-s must not be negative");
        }
    }

    long runNanos() {
        return (long) (seconds * 1e9);
    }

    long timeoutNanos() {
        return (long) (timeoutSeconds * 1e9);
    }

    /**
     * Runs {@code end} on the embedded media driver or the one in --aeron-dir, with a status line a
     * second on stderr, until Ctrl-C, --seconds or --timeout-s; prints its report.
     *
     * @return the exit code
     */
    <S, R extends Record & Report> int run(CommandLine commandLine, boolean json, End<S, R> end) {
        PrintWriter err = commandLine.getErr();
        // The stop signal is closed last: on Ctrl-C the JVM exits only after the end has let its ring
        // go, the driver is closed (its directory removed) and the report is printed.
        try (StopSignal stop = new StopSignal(); AeronConnection aeron = connect()) {
            long start = System.nanoTime();
            BridgeRun.Stop stopped = end.run(aeron.aeron(), stop::requested, new BridgeRun.Listener<>() {
                @Override
                public void ready() {
                    err.println(end.readyLine((aeron.isEmbedded() ? "embedded Aeron driver in " : "Aeron driver in ") + aeron.directory()));
                    err.flush();
                }

                @Override
                public void second(S status) {
                    if (!quiet) {
                        err.println(end.statusLine(status));
                        err.flush();
                    }
                }
            });
            String failure = end.failure(stopped);
            if (failure != null) {
                throw new CommandException(failure);
            }
            R report = end.report(stopped, (System.nanoTime() - start) / 1e9);
            PrintWriter out = commandLine.getOut();
            out.println(json ? JsonReports.write(report) : report.text());
            out.flush();
            return 0;
        }
    }

    private AeronConnection connect() {
        return aeronDirectory == null ? AeronConnection.embedded() : AeronConnection.external(aeronDirectory);
    }
}
