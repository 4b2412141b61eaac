package dev.nanobroker.cli;

import dev.nanobroker.process.StopSignal;
import dev.nanobroker.ring.Delivery;
import dev.nanobroker.ring.ReadMode;
import dev.nanobroker.ring.SharedRing;
import dev.nanobroker.ring.WaitStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code nanobroker read NAME}: a headless consumer that counts, verifies and times frames. */
@Command(name = "read",
        description = {
                "Reads a ring's frames in place as a headless reader, with counts and latency.",
                "",
                "Attaches to a ring as a reader and reads frames in place (no copy) until --frames are read,",
                "the producer closes the ring, or no frame came for --timeout-s seconds.",
                "Waits for the ring to appear, and re-attaches by itself when a producer replaces it.",
                "Prints frames read, skipped (by design, latest mode) and lost, torn frames, frames out of order,",
                "checksum failures and publish-to-observe latency.",
                "With --verify it also counts the frames that carried no checksum and so were not verified."
        })
final class ReadCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "Ring name: the file /dev/shm/NAME.")
    String name;

    @Option(names = "--frames", defaultValue = "0", paramLabel = "M", description = "Stop after M frames; 0 = no limit (default: ${DEFAULT-VALUE}).")
    long frameLimit;

    @Option(names = "--mode", defaultValue = "every", paramLabel = "MODE",
            description = "every: each frame in order; latest: jump to the newest, counting the frames passed over as skipped, not lost (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--verify", description = "Check each frame's pixels against the checksum its producer stored with it"
            + " (frames stored without one are counted as unchecked).")
    boolean verify;

    @Option(names = "--decode-clock",
            description = "Decode the latency-clock pattern's box row from the pixels and check it against the frame's"
                    + " sequence and publish time: proof that the pixels are the frame they claim to be.")
    boolean decodeClock;

    @Option(names = "--hold-ms", defaultValue = "0", paramLabel = "H", description = "Hold each frame H ms before releasing it: a slow consumer (default: ${DEFAULT-VALUE}).")
    double holdMillis;

    @Option(names = "--timeout-s", defaultValue = "10", paramLabel = "S", description = "Stop after S seconds without a frame (default: ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    @Option(names = "--wait", defaultValue = "futex", paramLabel = "HOW",
            description = "How to wait for the next frame: futex (spin briefly, then sleep in the kernel until the"
                    + " writer publishes: near-zero CPU, woken within microseconds), spin (lowest latency, burns a core),"
                    + " yield, or backoff (spin, yield, then park up to 1 ms: near-zero CPU, up to ~1 ms later)."
                    + " Default: ${DEFAULT-VALUE}.")
    String waitName;

    @Mixin
    OtherOwnerOption otherOwner;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        ReadMode readMode;
        try {
            readMode = ReadMode.parse(mode);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (frameLimit < 0 || holdMillis < 0 || !(timeoutSeconds > 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--frames and --hold-ms must not be negative, --timeout-s must be more than 0");
        }
        SharedRing.pathOf(name); // a bad name is an error now, not after the timeout
        HeadlessReader reader = new HeadlessReader(new HeadlessReader.Settings(name, readMode, frameLimit, verify, decodeClock,
                (long) (holdMillis * 1e6), (long) (timeoutSeconds * 1e9), waitStrategy(), otherOwner.allowed()));
        PrintWriter err = spec.commandLine().getErr();
        // The stop signal is closed last: on Ctrl-C the JVM exits only after the reader line is
        // freed and the summary printed.
        try (StopSignal stop = new StopSignal()) {
            HeadlessReader.Stop stopped = reader.run(stop::requested, (ring, line, again) -> {
                if (json.on()) {
                    return;
                }
                if (again) {
                    err.printf("ring %s was replaced by a new producer: re-attached%n", name);
                } else {
                    err.printf("reading %s (%s), reader line %d, mode %s%n", name, ring.geometry(), line.line(), readMode.label());
                }
                err.flush();
            });
            if (stopped == HeadlessReader.Stop.NO_RING) {
                err.printf("nanobroker read: ring %s did not appear within %s s%n", name, timeoutSeconds);
                return 1;
            }
            ReadReport report = ReadReport.of(name, reader, stopped, decodeClock);
            PrintWriter out = spec.commandLine().getOut();
            out.println(json.on() ? JsonReports.write(report) : report.text() + uncheckedLine(report));
            out.flush();
            if (verify && reader.checksumFailures() > 0) {
                err.println("nanobroker read: verification failed: " + reader.checksumFailures() + " frame(s) with wrong pixels or checksum");
                return 1;
            }
            if (decodeClock && (reader.clockMismatches() > 0 || reader.clockUnreadable() > 0)) {
                err.println("nanobroker read: clock check failed: " + reader.clockMismatches() + " frame(s) whose pixels name another"
                        + " frame or a later time, " + reader.clockUnreadable() + " without a readable clock (is the pattern 'clock'?)");
                return 1;
            }
            return 0;
        }
    }

    private WaitStrategy waitStrategy() {
        return switch (waitName) {
            case "spin" -> WaitStrategy.busySpin();
            case "yield" -> WaitStrategy.yielding();
            case "backoff" -> WaitStrategy.defaultStrategy();
            case "futex" -> WaitStrategy.futex();
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "unknown wait strategy '" + waitName + "': use futex, spin, yield or backoff");
        };
    }

    /** Without it, a --verify run over frames that carried no checksum would look fully verified. */
    private String uncheckedLine(ReadReport report) {
        long unchecked = report.unchecked();
        if (!verify || unchecked == 0) {
            return "";
        }
        return String.format("%n%s carried no checksum and %s not verified%s", unchecked == 1 ? "1 frame" : unchecked + " frames",
                unchecked == 1 ? "was" : "were", unchecked == report.frames() ? " (all of them: is the producer run with --no-checksum?)" : "");
    }
}
