package dev.nanobroker.cli;

import dev.nanobroker.frame.FrameSize;
import dev.nanobroker.process.StopSignal;
import dev.nanobroker.ring.RingException;
import dev.nanobroker.ring.RingNotFoundException;
import dev.nanobroker.ring.RingStatus;
import dev.nanobroker.ring.SharedRing;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code nanobroker demo}: one producer window and N viewer windows, each its own process, tiled
 * on the screen, on one ring. Closing the producer window or Ctrl-C ends all of them and removes
 * the ring. With {@code --headless}: a headless producer and verifying readers, and the ring's
 * reader table every second instead.
 */
@Command(name = "demo",
        description = {
                "Runs a producer window and N viewer windows, each its own process, on one ring.",
                "",
                "The windows are tiled on the screen; every viewer shows the frames and how all readers keep up.",
                "Closing the producer window or Ctrl-C ends them all and removes the ring.",
                "With --headless: a headless producer and N verifying readers, and the ring's reader table",
                "every second; at the end each reader reports frames, skipped and lost, torn frames and latency.",
                "With --bridged: the last viewer shows a copy of the ring carried through the bridge over UDP on this",
                "host (bridge send, bridge receive into NAME-bridged), beside the others, so the latency the bridge",
                "adds is there to see: that viewer's latency counts from the producer's publish."
        })
final class DemoCommand implements Callable<Integer> {

    /** Exit codes of a JVM stopped by Ctrl-C or SIGTERM (128 + signal): a stop, not a failure. */
    private static final int EXIT_SIGINT = 130;
    private static final int EXIT_SIGTERM = 143;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--name", defaultValue = "nanobroker-demo", paramLabel = "NAME", description = "Ring name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--viewers", defaultValue = "3", paramLabel = "N",
            description = "Viewer windows (with --headless: reader processes), 1.." + NanoBrokerProcess.MAX_CHILD_READERS
                    + " (default: ${DEFAULT-VALUE}).")
    int viewers;

    @Option(names = "--size", defaultValue = "960x540", converter = FrameSizeConverter.class, paramLabel = "WxH",
            description = "Frame size (default: ${DEFAULT-VALUE}).")
    FrameSize size;

    @Option(names = "--fps", defaultValue = "60", paramLabel = "F", description = "Frames per second, 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--pattern", defaultValue = "clock", paramLabel = "NAME",
            description = "Test pattern (default: ${DEFAULT-VALUE}: frame number, time and a machine-readable clock).")
    String pattern;

    @Option(names = "--slots", defaultValue = "8", paramLabel = "K", description = "Ring slots (default: ${DEFAULT-VALUE}).")
    int slots;

    @Option(names = "--policy", defaultValue = "block", paramLabel = "POLICY", description = "block, drop or overwrite (default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--screen", converter = FrameSizeConverter.class, paramLabel = "WxH",
            description = "Screen area to tile the windows over, from the top left (default: the primary screen less"
                    + " its panels and docks). Smaller tiles draw faster: on 2 cores 1280x720 holds ~57 fps per viewer, the whole"
                    + " 1920x1080 43-50. The demo prints the fps its viewers really show every 10 s.")
    FrameSize screen;

    @Option(names = "--headless", description = "No windows: reader processes and a status table.")
    boolean headless;

    @Option(names = "--seconds", defaultValue = "0", paramLabel = "S", description = "Stop after S seconds; 0 = until Ctrl-C (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--bridged", description = "The last viewer reads NAME-bridged, which bridge send and bridge receive"
            + " fill over UDP on this host (loopback, 8 KiB datagrams), beside the viewers of NAME; 2 viewers unless"
            + " --viewers says otherwise. Its latency counts from the producer's publish, bridge included.")
    boolean bridged;

    @Option(names = "--stall-viewer", description = "The last viewer stalls for 3 s every 10 s, as a GC pause or a slow"
            + " consumer would: watch its lag climb, what the policy does to the producer and the other viewers, and the recovery.")
    boolean stallViewer;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (viewers < 1 || viewers > NanoBrokerProcess.MAX_CHILD_READERS || seconds < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--viewers must be 1.." + NanoBrokerProcess.MAX_CHILD_READERS
                    + " and --seconds not negative");
        }
        SharedRing.pathOf(name);
        if (!headless) {
            CommandException.requireDisplay("run 'nanobroker demo --headless' for the demo without windows");
        }
        if (bridged && headless) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--bridged shows a viewer of the bridged ring: leave out --headless");
        }
        String bridgedName = bridgedName();
        if (bridged) {
            SharedRing.pathOf(bridgedName);
            if (!spec.commandLine().getParseResult().hasMatchedOption("--viewers")) {
                viewers = 2; // one of each, side by side: two bridge processes already share the cores with them
            }
        }
        ScreenArea area = headless ? null : screenArea();
        PrintWriter out = spec.commandLine().getOut();
        List<Process> consumers = new ArrayList<>();
        Process producer;
        Process bridgeSender = null;
        int exitCode = 0;
        try (StopSignal stop = new StopSignal()) {
            List<String> ring = List.of("--name", name, "--size", size.toString(), "--slots", Integer.toString(slots),
                    "--fps", Double.toString(fps), "--policy", policy, "--pattern", pattern, "--unlink");
            if (headless) {
                producer = start(concat(List.of("produce", "--headless", "--wait-readers", Integer.toString(viewers)), ring));
                for (int i = 0; i < viewers; i++) {
                    consumers.add(start(List.of("read", name, "--verify", "--timeout-s", "5")));
                }
            } else {
                List<Tile> tiles = Tile.grid(viewers + 1, area);
                producer = start(concat(concat(List.of("produce"), ring), tiles.getFirst().args()));
                if (bridged) {
                    int port = freeUdpPort();
                    consumers.add(start(List.of("bridge", "receive", name, "--from", "127.0.0.1:" + port, "--as", bridgedName,
                            "--timeout-s", "0", "--quiet")));
                    bridgeSender = start(List.of("bridge", "send", name, "--to", "127.0.0.1:" + port, "--mtu", "8192",
                            "--timeout-s", "0", "--quiet"));
                    consumers.add(bridgeSender);
                }
                for (int i = 1; i <= viewers; i++) {
                    String viewed = bridged && i == viewers ? bridgedName : name;
                    List<String> view = stallViewer && i == viewers ? List.of("view", viewed, "--stall-every", "10", "--stall-ms", "3000")
                            : List.of("view", viewed);
                    consumers.add(start(concat(view, tiles.get(i).args())));
                }
            }
            out.printf(Locale.ROOT, "demo: producer pid %d and %d %s on ring %s (%s, %s fps, pattern %s, policy %s)."
                            + " %s%n", producer.pid(), viewers, headless ? "reader processes" : "viewer windows tiled over " + area, name, size,
                    fps == 0 ? "max" : fps, pattern, policy, headless ? "Ctrl-C stops." : "Close the producer window or press Ctrl-C to stop.");
            out.flush();
            long end = seconds > 0 ? System.nanoTime() + (long) (seconds * 1e9) : Long.MAX_VALUE;
            RateWatch rates = new RateWatch(bridged ? List.of(name, bridgedName) : List.of(name),
                    bridgeSender == null ? -1 : bridgeSender.pid());
            while (!stop.requested() && System.nanoTime() - end < 0 && producer.isAlive()) {
                if (headless) {
                    showStatus(out);
                } else {
                    rates.look(out);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(headless ? 1000 : 200));
            }
            if (!headless) {
                rates.summarise(out);
            }
            if (!producer.isAlive() && !List.of(0, EXIT_SIGINT, EXIT_SIGTERM).contains(producer.exitValue())) {
                out.println("demo: the producer exited with code " + producer.exitValue() + " (its message is above)");
                exitCode = 1;
            }
            stopAll(producer, consumers, out);
        }
        return exitCode;
    }

    /**
     * The viewers' real frame rates, from the ring's own counters: once every viewer reads and 2 s
     * have passed (start-up is not the steady state), a line every 10 s and one for the whole run.
     */
    private final class RateWatch {
        private static final long WARM_UP_NANOS = 2_000_000_000L;
        private static final long EVERY_NANOS = 10_000_000_000L;

        /** The rings whose viewers are watched: the demo's, and with --bridged the bridged one. */
        private final List<String> rings;
        /** A reader that is no viewer (the bridge's sender), left out of the rates; -1: none. */
        private final long notAViewer;
        private long allReadingSince;
        private List<RingStatus> first;
        private long firstNanos;
        private List<RingStatus> last;
        private long lastNanos;

        RateWatch(List<String> rings, long notAViewer) {
            this.rings = rings;
            this.notAViewer = notAViewer;
        }

        void look(PrintWriter out) {
            if (first != null && System.nanoTime() - lastNanos < EVERY_NANOS) {
                return;
            }
            List<RingStatus> statuses = new ArrayList<>();
            for (String ring : rings) {
                try (SharedRing shared = SharedRing.open(ring)) {
                    statuses.add(shared.status());
                } catch (RingException e) {
                    return; // not created yet, or being replaced: look again later
                }
            }
            long now = System.nanoTime();
            if (first == null) {
                long reading = statuses.stream().flatMap(status -> status.readers().stream())
                        .filter(reader -> reader.reading() && reader.pid() != notAViewer).count();
                if (reading < viewers) {
                    allReadingSince = 0;
                } else if (allReadingSince == 0) {
                    allReadingSince = now;
                } else if (now - allReadingSince >= WARM_UP_NANOS) {
                    first = last = statuses;
                    firstNanos = lastNanos = now;
                }
            } else if (now - lastNanos >= EVERY_NANOS) {
                out.println("demo: " + describe(last, statuses, now - lastNanos));
                out.flush();
                last = statuses;
                lastNanos = now;
            }
        }

        void summarise(PrintWriter out) {
            if (first != null && last != first) {
                out.println("demo: in all, " + describe(first, last, lastNanos - firstNanos));
            }
        }

        /** Each ring's rates, the bridged one named. */
        private String describe(List<RingStatus> before, List<RingStatus> after, long nanos) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < rings.size(); i++) {
                String rates = FrameRates.between(before.get(i), after.get(i), nanos).without(notAViewer).describe();
                parts.add(rings.size() == 1 ? rates : "ring " + rings.get(i) + " " + rates);
            }
            return String.join("; ", parts);
        }
    }

    /** {@code --screen} when given, else the primary screen's visual bounds; 1280x720 where those cannot be read. */
    private ScreenArea screenArea() {
        if (screen != null) {
            return ScreenArea.of(screen);
        }
        try {
            return ScreenArea.primary();
        } catch (UnsupportedOperationException e) { // the windows could not open either
            throw new CommandException("cannot open a window (" + e.getMessage() + "); run 'nanobroker demo --headless'"
                    + " for the demo without windows");
        } catch (IllegalStateException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("demo: could not read the screen's size (" + e.getMessage() + "); tiling over "
                    + ScreenArea.FALLBACK.size() + ", --screen WxH sets it");
            err.flush();
            return ScreenArea.FALLBACK;
        }
    }

    /** One window's place on the screen. */
    record Tile(int x, int y, int width, int height) {

        static List<Tile> grid(int windows, ScreenArea area) {
            int columns = (int) Math.ceil(Math.sqrt(windows));
            int rows = (int) Math.ceil(windows / (double) columns);
            int width = (int) (area.width() / columns);
            int height = (int) (area.height() / rows);
            int left = (int) Math.ceil(area.x());
            int top = (int) Math.ceil(area.y());
            List<Tile> tiles = new ArrayList<>();
            for (int i = 0; i < windows; i++) {
                tiles.add(new Tile(left + i % columns * width, top + i / columns * height, width, height));
            }
            return tiles;
        }

        List<String> args() {
            // Leave room for the window decorations inside the tile.
            return List.of("--x", Integer.toString(x), "--y", Integer.toString(y),
                    "--width", Integer.toString(Math.max(160, width - 4)), "--height", Integer.toString(Math.max(120, height - 32)));
        }
    }

    /** The ring {@code --bridged} fills through the bridge. */
    private String bridgedName() {
        return name + "-bridged";
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /** A child whose errors go straight to this terminal and whose report we read at the end. */
    private Process start(List<String> args) throws IOException {
        return new ProcessBuilder(NanoBrokerProcess.command(args)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private void showStatus(PrintWriter out) {
        if (System.console() != null) {
            out.print("\033[H\033[2J"); // redraw in place on a terminal
        }
        try (SharedRing ring = SharedRing.open(name)) {
            out.println(RingTable.describe(ring.status()));
        } catch (RingNotFoundException e) {
            out.println("demo: waiting for the producer to create " + name + " ...");
        }
        out.flush();
    }

    /** Stops the producer (its ring closes, readers finish on their own), then the consumers, and collects reports. */
    private void stopAll(Process producer, List<Process> consumers, PrintWriter out) throws InterruptedException, IOException {
        producer.toHandle().destroy(); // SIGTERM; Process.destroy() would also close the pipes we read below
        if (!producer.waitFor(10, TimeUnit.SECONDS)) {
            producer.destroyForcibly().waitFor();
        }
        String produced = new String(producer.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!produced.isEmpty()) {
            out.println("demo: producer: " + produced);
        }
        for (Process consumer : consumers) {
            if (!headless || !consumer.waitFor(5, TimeUnit.SECONDS)) {
                consumer.toHandle().destroy();
                if (!consumer.waitFor(10, TimeUnit.SECONDS)) {
                    consumer.destroyForcibly().waitFor();
                }
            }
            String report = new String(consumer.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!report.isEmpty()) {
                out.println("demo: pid " + consumer.pid() + ": " + report.replace("\n", "\n      "));
            }
        }
        SharedRing.unlink(name);
        if (bridged) {
            SharedRing.unlink(bridgedName()); // the bridge's receiver leaves its ring for late readers
        }
        out.flush();
    }
}
