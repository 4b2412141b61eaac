package dev.nanobroker.cli;

import dev.nanobroker.ring.FrameClaim;
import dev.nanobroker.ring.OverflowPolicy;
import dev.nanobroker.ring.RingGeometry;
import dev.nanobroker.ring.RingWriter;
import dev.nanobroker.ring.SharedRing;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/** {@code nanobroker produce --headless}: writes verifiable frames into a ring. */
@Command(name = "produce",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        description = {
                "Creates (or joins) a ring and publishes frames into it.",
                "",
                "With --headless: flat frames whose colour follows the sequence number, each with a checksum,",
                "so 'nanobroker read NAME --verify' can prove every frame arrived intact."
        })
final class ProduceCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--headless", description = "Run without a window (the producer window comes with the JavaFX app).")
    boolean headless;

    @Option(names = {"-n", "--name"}, required = true, paramLabel = "NAME", description = "Ring name: the file /dev/shm/NAME.")
    String name;

    @Option(names = "--size", defaultValue = "1280x720", converter = FrameSize.Converter.class, paramLabel = "WxH",
            description = "Frame size (default: ${DEFAULT-VALUE}).")
    FrameSize size;

    @Option(names = "--slots", defaultValue = "8", paramLabel = "K", description = "Frames the ring holds (default: ${DEFAULT-VALUE}).")
    int slots;

    @Option(names = "--fps", defaultValue = "60", paramLabel = "F", description = "Frames per second; 0 = as fast as it can (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--frames", defaultValue = "0", paramLabel = "M", description = "Frames to produce, then stop; 0 = until stopped (default: ${DEFAULT-VALUE}).")
    long frames;

    @Option(names = "--policy", defaultValue = "block", paramLabel = "POLICY",
            description = "When the slowest reader is a whole ring behind: block (wait, up to --block-timeout-ms, then drop),"
                    + " drop (skip the frame), overwrite (write anyway). Default: ${DEFAULT-VALUE}.")
    String policy;

    @Option(names = "--block-timeout-ms", defaultValue = "1000", paramLabel = "T",
            description = "Longest wait for a slow reader under block before dropping the frame (default: ${DEFAULT-VALUE}).")
    long blockTimeoutMillis;

    @Option(names = "--wait-readers", defaultValue = "0", paramLabel = "R",
            description = "Start publishing once R readers are attached (default: ${DEFAULT-VALUE}).")
    int waitReaders;

    @Option(names = "--unlink", description = "Remove the ring's file when done.")
    boolean unlink;

    @Option(names = "--json", description = "Print the final summary as one JSON object.")
    boolean json;

    @Override
    public Integer call() {
        if (!headless) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "the producer window is not built yet: add --headless to run the headless producer");
        }
        RingGeometry geometry = validatedGeometry();
        OverflowPolicy overflow = validatedPolicy();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // The stop signal is closed last: on Ctrl-C the JVM exits only after the ring is closed,
        // removed if asked, and the summary printed.
        try (StopSignal stop = new StopSignal()) {
            Map<String, Object> summary;
            try (SharedRing ring = SharedRing.openForWriting(name, geometry);
                 RingWriter writer = ring.writer(overflow)) {
                if (!json) {
                    err.printf("producing into %s: %s, policy %s%s%n", ring.path(), geometry, overflow.label(),
                            fps > 0 ? String.format(", %.1f fps", fps) : ", as fast as possible");
                }
                waitForReaders(ring, stop, err);
                summary = run(writer, stop, frames);
            } finally {
                if (unlink) {
                    SharedRing.unlink(name);
                }
            }
            out.println(json ? Json.of(summary) : human(summary));
            out.flush();
        }
        return 0;
    }

    private RingGeometry validatedGeometry() {
        try {
            return RingGeometry.of(size.width(), size.height(), slots);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private OverflowPolicy validatedPolicy() {
        if (fps < 0 || Double.isNaN(fps)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--fps must be 0 (as fast as possible) or more, not " + fps);
        }
        if (frames < 0 || waitReaders < 0 || waitReaders > 16 || blockTimeoutMillis < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--frames and --block-timeout-ms must not be negative; --wait-readers must be 0..16");
        }
        try {
            return OverflowPolicy.parse(policy, Duration.ofMillis(blockTimeoutMillis));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private void waitForReaders(SharedRing ring, StopSignal stop, PrintWriter err) {
        if (waitReaders == 0) {
            return;
        }
        if (!json) {
            err.printf("waiting for %d reader(s) to attach to %s ...%n", waitReaders, name);
            err.flush();
        }
        while (!stop.requested()) {
            if (ring.status().readers().stream().filter(r -> r.reading() && r.alive()).count() >= waitReaders) {
                return;
            }
            LockSupport.parkNanos(5_000_000);
        }
    }

    private Map<String, Object> run(RingWriter writer, StopSignal stop, long frameLimit) {
        long periodNanos = fps > 0 ? Math.round(1e9 / fps) : 0;
        long start = System.nanoTime();
        long attempted = 0;
        long published = 0;
        long dropsBefore = writer.producerDrops();
        long blockedBefore = writer.blockedNanos();
        while (!stop.requested() && (frameLimit == 0 || attempted < frameLimit)) {
            if (periodNanos > 0) {
                long due = start + attempted * periodNanos;
                for (long wait = due - System.nanoTime(); wait > 0 && !stop.requested(); wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
            }
            attempted++;
            FrameClaim claim = writer.claim();
            if (claim != null) {
                SyntheticFrames.render(claim);
                claim.publish();
                published++;
            }
        }
        double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("name", name);
        summary.put("published", published);
        summary.put("producer_drops", writer.producerDrops() - dropsBefore);
        summary.put("fps", Math.round(published / seconds * 10) / 10.0);
        summary.put("seconds", Math.round(seconds * 1000) / 1000.0);
        summary.put("blocked_ms", (writer.blockedNanos() - blockedBefore) / 1_000_000);
        summary.put("lock_takeovers", writer.lockTakeovers());
        summary.put("policy", writer.policy().label());
        return summary;
    }

    private static String human(Map<String, Object> summary) {
        return String.format("published %s frames in %s s (%s fps), producer drops %s, blocked %s ms, lock takeovers %s",
                summary.get("published"), summary.get("seconds"), summary.get("fps"), summary.get("producer_drops"),
                summary.get("blocked_ms"), summary.get("lock_takeovers"));
    }
}
