package dev.nanobroker.bench;

import dev.nanobroker.bench.StreamRoles.Transport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The case table: every measurement the bench can make, its group (for {@code --only}), its label,
 * and the child JVMs it starts with their arguments; the counts and durations for a full run and for
 * {@code --quick}.
 */
final class BenchCases {

    /** The groups, in the order the bench runs them. */
    static final List<String> GROUPS = List.of("floor", "ring", "uds", "tcp", "pipe", "agrona", "pingpong", "throughput", "alloc", "viewer", "wait");

    private static final int SIZE_1MB = 512 * 512 * 4;
    private static final int SIZE_1080P = 1920 * 1080 * 4;
    /** Nanoseconds between the last acknowledgement and the next frame, so that latency is never queueing. */
    private static final long GAP_NANOS = 50_000;
    /**
     * Slots of each 64 B ring of a ring ping-pong: about what the Agrona buffer beside it holds (64 KiB,
     * 910 messages of 72 B), as a writer under {@code block} reads its reader's tail line once per
     * this many frames. With 4 slots that read, in one hop in 4, cost ~20 ns at p50 and the p99
     * target (docs/benchmarks.md).
     */
    private static final int PING_PONG_SLOTS_64B = 1024;
    /** Slots of each 1080p ring of a ring ping-pong: what a video ring has. */
    private static final int PING_PONG_SLOTS_1080P = 4;

    private BenchCases() {
    }

    /**
     * One measurement: its key in the results, its group, its label in the table, and its child
     * JVMs, started in this order, given the names of the run's files.
     */
    record Case(String key, String group, String label, Function<CaseFiles, List<Child>> children) {
    }

    /**
     * One child JVM of a case. {@code program} is a {@link Role} (run by {@link BenchChild}), a
     * {@link ViewerRoles.View} (the product's {@code nanobroker view}) or a
     * {@link PixelBufferBaseline.Settings} (the viewer's baseline). {@code reports}: its RESULT line
     * carries the measurement. {@code background}: it runs until the others are done and is then
     * stopped with SIGTERM (a producer, a viewer).
     */
    record Child(Record program, boolean reports, boolean background) {

        /** A child whose RESULT line is the measurement (or part of it: one per reader). */
        static Child measuring(Record program) {
            return new Child(program, true, false);
        }

        /** A child the measurement needs that reports nothing of it (a sender, a producer). */
        static Child helping(Record program) {
            return new Child(program, false, false);
        }

        /** A child that runs until the others are done, reporting nothing. */
        static Child background(Record program) {
            return new Child(program, false, true);
        }
    }

    /**
     * The names one run of one case uses, unique to it: its control file, rings, socket, FIFO and
     * files, all in /dev/shm (the rings by their names). The reply ring and reply Agrona buffer are a
     * ping-pong's way back.
     */
    record CaseFiles(Path control, String ring, String replyRing, String uds, String pipe, String agrona, String replyAgrona,
                     String fill) {

        static CaseFiles numbered(String prefix, int number) {
            return new CaseFiles(Path.of("/dev/shm", prefix + "ctl-" + number), prefix + "ring-" + number,
                    prefix + "reply-ring-" + number, "/dev/shm/" + prefix + "uds-" + number, "/dev/shm/" + prefix + "pipe-" + number,
                    "/dev/shm/" + prefix + "agrona-" + number, "/dev/shm/" + prefix + "reply-agrona-" + number,
                    "/dev/shm/" + prefix + "fill-" + number);
        }

        /** Every file of the run, to remove after it. */
        List<Path> paths() {
            return List.of(control, Path.of("/dev/shm", ring), Path.of("/dev/shm", replyRing), Path.of(uds), Path.of(pipe),
                    Path.of(agrona), Path.of(replyAgrona), Path.of(fill));
        }
    }

    /** Every case, in the order the bench runs them. */
    static List<Case> all(boolean quick) {
        List<Case> cases = new ArrayList<>();
        long floorCount = quick ? 200_000 : 1_000_000;
        cases.add(new Case("floor", "floor", "cache line ping-pong, one way", files -> List.of(
                Child.helping(new FloorRoles.Pong(100_000, floorCount)),
                Child.measuring(new FloorRoles.Ping(100_000, floorCount)))));

        int[][] ringSizes = {{16, 1}, {512, 512}, {1920, 1080}};
        String[] sizeNames = {"64b", "1mb", "8mb"};
        // 4 busy-spinning readers and a writer on a 2-vCPU machine are 5 spinning threads on 2 cores:
        // scheduler bound and slow to run, so only in the full run and with fewer frames.
        for (int readers : quick ? new int[] {1} : new int[] {1, 4}) {
            for (int s = 0; s < 3; s++) {
                if (readers == 4 && s == 1) {
                    continue;
                }
                int width = ringSizes[s][0];
                int height = ringSizes[s][1];
                long count = readers == 1 ? (quick ? 10_000 : 50_000) : 1_000;
                long warmup = readers == 1 ? 5_000 : 200;
                cases.add(new Case("ring_" + sizeNames[s] + (readers == 1 ? "" : "_4r"), "ring",
                        "NanoBroker ring, " + readers + " reader" + (readers == 1 ? "" : "s") + ", " + label(sizeNames[s]),
                        files -> oneToMany(new RingLatencyRoles.Writer(files.ring(), width, height, 4, readers, warmup, count, GAP_NANOS),
                                readers, id -> new RingLatencyRoles.Reader(files.ring(), id, warmup, count))));
            }
        }

        int[] streamSizes = {64, SIZE_1MB, SIZE_1080P};
        for (Transport transport : Transport.values()) {
            for (int s = 0; s < 3; s++) {
                int size = streamSizes[s];
                long count = switch (s) {
                    case 0 -> quick ? 5_000 : 20_000;
                    case 1 -> quick ? 300 : 2_000;
                    default -> quick ? 50 : 300;
                };
                long warmup = switch (s) {
                    case 0 -> 2_000;
                    case 1 -> 100;
                    default -> 20;
                };
                cases.add(new Case(transport.key() + "_" + sizeNames[s], transport.key(), transport.label + ", " + label(sizeNames[s]),
                        files -> {
                            String address = switch (transport) {
                                case UDS -> files.uds();
                                case TCP -> "-"; // the receiver's port, through the control file
                                case PIPE -> files.pipe();
                            };
                            return List.of(
                                    Child.measuring(new StreamRoles.Receiver(transport, address, size, warmup, count)),
                                    Child.helping(new StreamRoles.Sender(transport, address, size, warmup, count, GAP_NANOS)));
                        }));
            }
        }

        for (int readers : quick ? new int[] {1} : new int[] {1, 4}) {
            long count = readers == 1 ? (quick ? 10_000 : 50_000) : 1_000;
            long warmup = readers == 1 ? 5_000 : 200;
            cases.add(new Case("agrona_64b" + (readers == 1 ? "" : "_4r"), "agrona",
                    "Agrona broadcast (copy receiver), " + readers + " receiver" + (readers == 1 ? "" : "s") + ", 64 B",
                    files -> oneToMany(new AgronaRoles.Transmitter(files.agrona(), readers, warmup, count, GAP_NANOS),
                            readers, id -> new AgronaRoles.Receiver(files.agrona(), id, warmup, count))));
        }

        // Ping-pong: one way = round trip / 2 on the initiator's clock, every transport the same way
        // (PingPongRoles); the floor is the floor group's cache line, run again beside them.
        long pingPongWarmup = quick ? 50_000 : 200_000;
        long pingPongCount = quick ? 200_000 : 1_000_000;
        cases.add(new Case("pingpong_floor", "pingpong", "ping-pong: cache line (floor)", files -> List.of(
                Child.helping(new FloorRoles.Pong(pingPongWarmup, pingPongCount)),
                Child.measuring(new FloorRoles.Ping(pingPongWarmup, pingPongCount)))));
        cases.add(pingPongRing("64b", "64 B, 1024 slots", 16, 1, PING_PONG_SLOTS_64B, pingPongWarmup, pingPongCount));
        cases.add(new Case("pingpong_agrona_64b", "pingpong", "ping-pong: Agrona broadcast, 64 B", files -> List.of(
                Child.helping(new PingPongRoles.AgronaResponder(files.agrona(), files.replyAgrona(), pingPongWarmup, pingPongCount)),
                Child.measuring(new PingPongRoles.AgronaInitiator(files.agrona(), files.replyAgrona(), pingPongWarmup, pingPongCount)))));
        cases.add(pingPongRing("1080p", "1920x1080 slot, 8 B written, 4 slots", 1920, 1080, PING_PONG_SLOTS_1080P, pingPongWarmup, pingPongCount));

        long warmupMs = quick ? 200 : 500;
        long measureMs = quick ? 700 : 2_000;
        cases.add(new Case("fill_alone", "throughput", "producer fill alone (no ring), 1080p", files -> List.of(
                Child.measuring(new ThroughputRoles.FillAlone(files.fill(), 8, warmupMs, measureMs)))));
        for (boolean fill : new boolean[] {true, false}) {
            for (int readers : quick ? new int[] {1, 4} : new int[] {1, 4, 16}) {
                cases.add(new Case("fps_1080p_" + readers + "_readers" + (fill ? "" : "_nofill"), "throughput",
                        "ring fps at 1080p, " + readers + " reader" + (readers == 1 ? "" : "s") + (fill ? ", producer fills" : ", no fill"),
                        files -> {
                            List<Child> children = new ArrayList<>();
                            children.add(Child.measuring(new ThroughputRoles.Writer(files.ring(), readers, fill, 8, warmupMs, measureMs)));
                            for (int r = 0; r < readers; r++) {
                                children.add(Child.helping(new ThroughputRoles.Reader(files.ring())));
                            }
                            return children;
                        }));
            }
        }

        long allocWarmup = quick ? 100_000 : 300_000;
        long allocCount = quick ? 300_000 : 1_000_000;
        cases.add(new Case("alloc", "alloc", "bytes allocated per frame", files -> List.of(
                Child.measuring(new AllocationRoles.WriteReadLoop(files.ring(), allocWarmup, allocCount)))));

        long viewerWarmupMs = quick ? 1_500 : 3_000;
        long viewerMeasureMs = quick ? 3_000 : 8_000;
        for (int[] size : quick ? new int[][] {{1280, 720}} : new int[][] {{1280, 720}, {1920, 1080}}) {
            int width = size[0];
            int height = size[1];
            String suffix = height + "p";
            String geometry = width + "x" + height;
            for (boolean overlay : quick ? new boolean[] {false} : new boolean[] {false, true}) {
                cases.add(new Case("viewer_fps_" + suffix + (overlay ? "_overlay" : ""), "viewer",
                        "nanobroker view, " + geometry + (overlay ? ", overlay on" : ", overlay off"), files -> List.of(
                        Child.background(new ViewerRoles.DisplayWriter(files.ring(), width, height, 90, 8)),
                        Child.background(new ViewerRoles.View(files.ring(), width, height, overlay)),
                        Child.measuring(new ViewerRoles.DisplayCounter(files.ring(), viewerWarmupMs, viewerMeasureMs)))));
            }
            // The same producer runs beside the baseline, so both share the 2 cores with the same load.
            cases.add(new Case("baseline_fps_" + suffix, "viewer", "minimal JavaFX PixelBuffer app, " + geometry, files -> List.of(
                    Child.background(new ViewerRoles.DisplayWriter(files.ring(), width, height, 90, 8)),
                    Child.measuring(new PixelBufferBaseline.Settings(width, height, viewerWarmupMs, viewerMeasureMs)))));
        }

        addWaitCases(cases, quick);
        return cases;
    }

    /**
     * The {@code wait} group: per wait, a reader's wake-up latency and CPU use while frames come 1 to
     * 3 ms apart, then (futex and backoff; all four in the full run) its CPU use while none comes.
     */
    private static void addWaitCases(List<Case> cases, boolean quick) {
        long warmup = quick ? 1_000 : 3_000;
        long count = quick ? 400 : 3_000;
        // Warm-up frames 200 µs apart (for the JIT compiler, quickly), then frames 1 to 3 ms apart, as a 30-60 fps camera's.
        for (WaitRoles.Wait wait : WaitRoles.Wait.values()) {
            cases.add(new Case("wait_" + wait.key(), "wait", "reader waits with " + wait.key() + ", frames 1-3 ms apart",
                    files -> List.of(
                            Child.helping(new WaitRoles.Writer(files.ring(), warmup, count, 200, 1_000, 3_000)),
                            Child.measuring(new WaitRoles.Reader(files.ring(), wait, warmup, count)))));
        }
        long settleMs = quick ? 250 : 500;
        long measureMs = quick ? 750 : 4_000;
        // Spinning and yielding readers take a whole core whether frames come or not: the full run only.
        List<WaitRoles.Wait> idle = quick ? List.of(WaitRoles.Wait.FUTEX, WaitRoles.Wait.BACKOFF) : List.of(WaitRoles.Wait.values());
        for (WaitRoles.Wait wait : idle) {
            cases.add(new Case("wait_" + wait.key() + "_idle", "wait", "reader waits with " + wait.key() + ", no frame comes",
                    files -> List.of(
                            Child.helping(new WaitRoles.Writer(files.ring(), warmup, 0, 200, 1_000, 3_000)),
                            Child.measuring(new WaitRoles.IdleReader(files.ring(), wait, warmup, settleMs, measureMs)))));
        }
    }

    /** A ring ping-pong: 8 B written into a slot of {@code width x height}, the first and last line read. */
    private static Case pingPongRing(String size, String label, int width, int height, int slots, long warmup, long count) {
        return new Case("pingpong_ring_" + size, "pingpong", "ping-pong: NanoBroker ring, " + label, files -> List.of(
                Child.helping(new PingPongRoles.RingResponder(files.ring(), files.replyRing(), width, height, slots, warmup, count)),
                Child.measuring(new PingPongRoles.RingInitiator(files.ring(), files.replyRing(), width, height, slots, warmup, count))));
    }

    /** A latency case's children: the sender first, then one measuring receiver per id. */
    private static List<Child> oneToMany(Record sender, int receivers, IntFunction<Record> receiver) {
        List<Child> children = new ArrayList<>();
        children.add(Child.helping(sender));
        for (int id = 0; id < receivers; id++) {
            children.add(Child.measuring(receiver.apply(id)));
        }
        return children;
    }

    private static String label(String size) {
        return switch (size) {
            case "64b" -> "64 B";
            case "1mb" -> "1 MB";
            default -> "1920x1080 BGRA (8,294,400 B)";
        };
    }
}
