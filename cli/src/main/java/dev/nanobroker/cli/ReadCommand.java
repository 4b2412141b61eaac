package dev.nanobroker.cli;

import dev.nanobroker.frame.ClockReading;
import dev.nanobroker.frame.LatencyClock;
import dev.nanobroker.json.Json;
import dev.nanobroker.ring.Delivery;
import dev.nanobroker.ring.Frame;
import dev.nanobroker.ring.FrameChecksum;
import dev.nanobroker.ring.ReadMode;
import dev.nanobroker.ring.RingNotFoundException;
import dev.nanobroker.ring.RingReader;
import dev.nanobroker.ring.RingSignal;
import dev.nanobroker.ring.SharedRing;
import dev.nanobroker.ring.WaitStrategy;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

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

    private static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

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

    @Option(names = "--wait", defaultValue = "backoff", paramLabel = "HOW",
            description = "How to wait for the next frame: spin (lowest latency, burns a core), yield, or backoff"
                    + " (spin, yield, then park up to 1 ms: near-zero CPU, up to ~1 ms later). Default: ${DEFAULT-VALUE}.")
    String waitName;

    @Mixin
    OtherOwnerOption otherOwner;

    @Mixin
    JsonOption json;

    private final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(3600), 3);
    private long frames;
    private long skipped;
    private long lost;
    private long outOfOrder;
    private long torn;
    private long checksumFailures;
    private long unchecked;
    private long reattachments;
    private long clockDecoded;
    private long clockMismatches;
    private long clockUnreadable;
    private final Histogram renderToPublish = new Histogram(TimeUnit.SECONDS.toNanos(3600), 3);

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
        PrintWriter err = spec.commandLine().getErr();
        long timeoutNanos = (long) (timeoutSeconds * 1e9);
        // The stop signal is closed last: on Ctrl-C the JVM exits only after the reader line is
        // freed and the summary printed.
        try (StopSignal stop = new StopSignal()) {
            String stoppedBecause = readUntilDone(readMode, waitStrategy(), timeoutNanos, stop, err);
            if (stoppedBecause.equals("no ring appeared")) {
                err.printf("nanobroker read: ring %s did not appear within %s s%n", name, timeoutSeconds);
                return 1;
            }
            Map<String, Object> summary = summary(stoppedBecause);
            PrintWriter out = spec.commandLine().getOut();
            out.println(json.on() ? Json.write(summary) : human(summary) + uncheckedLine());
            out.flush();
            if (verify && checksumFailures > 0) {
                err.println("nanobroker read: verification failed: " + checksumFailures + " frame(s) with wrong pixels or checksum");
                return 1;
            }
            if (decodeClock && (clockMismatches > 0 || clockUnreadable > 0)) {
                err.println("nanobroker read: clock check failed: " + clockMismatches + " frame(s) whose pixels name another"
                        + " frame or a later time, " + clockUnreadable + " without a readable clock (is the pattern 'clock'?)");
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
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "unknown wait strategy '" + waitName + "': use spin, yield or backoff");
        };
    }

    private String readUntilDone(ReadMode readMode, WaitStrategy wait, long timeoutNanos, StopSignal stop, PrintWriter err) {
        // The viewer's state machine, with read's own intervals: look for the ring every 10 ms, at
        // the header every 50 ms, and give up after --timeout-s without a frame.
        RingSignal signal = new RingSignal(name, new RingSignal.Timing(IDLE_POLL_NANOS / 5, IDLE_POLL_NANOS, timeoutNanos),
                System.nanoTime());
        while (!stop.requested()) {
            long now = System.nanoTime();
            if (!signal.shouldAttach(now)) {
                LockSupport.parkNanos(IDLE_POLL_NANOS / 5);
                continue;
            }
            SharedRing ring;
            try {
                ring = SharedRing.open(name, false, otherOwner.allowed());
            } catch (RingNotFoundException e) {
                signal.attachFailed(null, now);
                if (signal.silentNanos(now) > timeoutNanos) {
                    return frames == 0 ? "no ring appeared" : "timeout";
                }
                continue;
            }
            try (ring; RingReader reader = ring.attachReader(readMode)) {
                signal.attached(System.nanoTime());
                if (!json.on() && reattachments == 0) {
                    err.printf("reading %s (%s), reader line %d, mode %s%n", name, ring.geometry(), reader.line(), readMode.label());
                    err.flush();
                }
                String outcome = readRing(reader, wait, signal, stop);
                skipped += reader.skipped();
                lost += reader.lost();
                torn += reader.torn();
                if (!outcome.equals("replaced")) {
                    return outcome;
                }
            }
            reattachments++;
            if (!json.on()) {
                err.printf("ring %s was replaced by a new producer: re-attaching%n", name);
                err.flush();
            }
        }
        return "stopped";
    }

    private String readRing(RingReader reader, WaitStrategy wait, RingSignal signal, StopSignal stop) {
        SharedRing ring = reader.ring();
        long holdNanos = (long) (holdMillis * 1e6);
        long lastSequence = -1; // per ring: a replacing producer's ring starts again at 0
        while (!stop.requested()) {
            if (frameLimit > 0 && frames >= frameLimit) {
                return "frames";
            }
            Frame frame = reader.poll(IDLE_POLL_NANOS, wait);
            long now = System.nanoTime();
            if (frame == null) {
                if (ring.isClosedByProducer() && reader.caughtUp()) {
                    return "closed"; // every frame of a closed ring read (a producer may also unlink it)
                }
                if (signal.shouldCheck(now) && signal.checked(RingSignal.healthOf(ring), now)) {
                    return "replaced";
                }
                if (signal.silentNanos(now) > signal.timing().silenceNanos()) {
                    return "timeout";
                }
                continue;
            }
            signal.frame(now);
            latency.recordValue(Math.max(0, frame.latencyNanos()));
            // A checksum of 0 means the producer stored none: nothing to verify against.
            boolean checked = verify && frame.checksum() != 0;
            boolean good = !checked || FrameChecksum.of(frame.pixels()) == frame.checksum();
            ClockReading clock = decodeClock ? LatencyClock.decode(frame.pixels(), frame.width(), frame.height(), frame.rowStride()) : null;
            long sequence = frame.sequence();
            if (sequence <= lastSequence) {
                outOfOrder++; // never expected: the protocol hands out sequences in increasing order
            }
            lastSequence = sequence;
            long publishNanos = frame.publishNanos();
            if (holdNanos > 0) {
                LockSupport.parkNanos(holdNanos);
            }
            if (reader.release()) {
                frames++;
                if (!good) {
                    checksumFailures++;
                }
                if (!checked) {
                    unchecked++;
                }
                if (decodeClock) {
                    checkClock(clock, sequence, publishNanos);
                }
            }
        }
        return "stopped";
    }

    /** The clock's pixels carry the frame number and the render time, which precedes the publish. */
    private void checkClock(ClockReading clock, long sequence, long publishNanos) {
        if (clock == null) {
            clockUnreadable++;
        } else if (clock.sequence() != sequence || clock.nanos() > publishNanos) {
            clockMismatches++;
        } else {
            clockDecoded++;
            renderToPublish.recordValue(publishNanos - clock.nanos());
        }
    }

    private Map<String, Object> summary(String stoppedBecause) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("name", name);
        summary.put("frames", frames);
        summary.put("skipped", skipped);
        summary.put("lost", lost);
        summary.put("torn", torn);
        summary.put("out_of_order", outOfOrder);
        summary.put("delivery", new Delivery(frames, skipped, lost, torn, outOfOrder).describe());
        summary.put("checksum_failures", checksumFailures);
        summary.put("unchecked", unchecked);
        summary.put("reattachments", reattachments);
        summary.put("stopped", stoppedBecause);
        Map<String, Object> percentiles = new LinkedHashMap<>();
        boolean any = latency.getTotalCount() > 0;
        percentiles.put("p50", any ? latency.getValueAtPercentile(50) : 0);
        percentiles.put("p99", any ? latency.getValueAtPercentile(99) : 0);
        percentiles.put("p999", any ? latency.getValueAtPercentile(99.9) : 0);
        percentiles.put("max", any ? latency.getMaxValue() : 0);
        summary.put("latency_ns", percentiles);
        if (decodeClock) {
            Map<String, Object> clock = new LinkedHashMap<>();
            clock.put("decoded", clockDecoded);
            clock.put("mismatches", clockMismatches);
            clock.put("unreadable", clockUnreadable);
            clock.put("render_to_publish_p50_ns", clockDecoded > 0 ? renderToPublish.getValueAtPercentile(50) : 0);
            summary.put("clock", clock);
        }
        return summary;
    }

    private static String human(Map<String, Object> summary) {
        @SuppressWarnings("unchecked")
        Map<String, Object> latency = (Map<String, Object>) summary.get("latency_ns");
        @SuppressWarnings("unchecked")
        Map<String, Object> clock = (Map<String, Object>) summary.get("clock");
        String clockLine = clock == null ? "" : String.format("%nlatency clock: %s frames decoded and matching, %s mismatches,"
                        + " %s unreadable; render to publish p50 %s", clock.get("decoded"), clock.get("mismatches"),
                clock.get("unreadable"), micros(clock.get("render_to_publish_p50_ns")));
        return humanCore(summary, latency) + clockLine;
    }

    /** Without it, a --verify run over frames that carried no checksum would look fully verified. */
    private String uncheckedLine() {
        if (!verify || unchecked == 0) {
            return "";
        }
        return String.format("%n%s carried no checksum and %s not verified%s", unchecked == 1 ? "1 frame" : unchecked + " frames",
                unchecked == 1 ? "was" : "were", unchecked == frames ? " (all of them: is the producer run with --no-checksum?)" : "");
    }

    private static String humanCore(Map<String, Object> summary, Map<String, Object> latency) {
        return String.format("read %s frames: %s; checksum failures %s (stopped: %s)%n"
                        + "publish-to-observe latency: p50 %s, p99 %s, p99.9 %s, max %s",
                summary.get("frames"), summary.get("delivery"), summary.get("checksum_failures"),
                summary.get("stopped"), micros(latency.get("p50")), micros(latency.get("p99")),
                micros(latency.get("p999")), micros(latency.get("max")));
    }

    private static String micros(Object nanos) {
        return String.format("%.1f µs", ((Number) nanos).longValue() / 1000.0);
    }
}
