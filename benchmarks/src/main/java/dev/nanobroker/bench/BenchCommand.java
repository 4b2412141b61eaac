package dev.nanobroker.bench;

import dev.nanobroker.json.Json;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code nanobroker bench}: runs every measurement in child JVMs it starts itself (one role per JVM,
 * {@link BenchChild}), one measurement at a time, and prints a side-by-side table with the target
 * checks, or one JSON object.
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        versionProvider = BenchCommand.Version.class,
        description = "Measures on this machine, side by side: the hardware floor (one cache line between two JVMs), "
                + "the ring's publish-to-observe latency (64 B, 1 MB, 1080p; 1 and 4 readers), the same hand-off over a "
                + "Unix domain socket, TCP loopback and a pipe, Agrona's broadcast buffer, 1080p throughput with 1, 4 and "
                + "16 readers, bytes allocated per frame, and the fps of `view` against a minimal JavaFX PixelBuffer app "
                + "(under a private Xvfb when there is no display). Every role runs in its own JVM; see docs/benchmarks.md.",
        footer = {"", "Groups for --only: floor, ring, uds, tcp, pipe, agrona, throughput, alloc, viewer."})
public final class BenchCommand implements Callable<Integer> {

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = BenchCommand.class.getPackage().getImplementationVersion();
            return new String[] {"nanobroker bench " + (version == null ? "(development build)" : version)};
        }
    }

    static final List<String> GROUPS = List.of("floor", "ring", "uds", "tcp", "pipe", "agrona", "throughput", "alloc", "viewer");

    @Option(names = "--quick", description = "A short version (under a minute; 1 run unless --runs).")
    boolean quick;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Option(names = "--runs", paramLabel = "N", description = "Runs of every measurement (default: 3, with --quick 1).")
    Integer runs;

    @Option(names = "--only", split = ",", paramLabel = "GROUP", description = "Only these groups (comma separated).")
    List<String> only;

    @Option(names = "--json-file", paramLabel = "FILE", description = "Also write the JSON object to FILE.")
    Path jsonFile;

    @Option(names = "--plots", paramLabel = "DIR", description = "Also draw PNG plots into DIR: latency percentile curves "
            + "(" + Plots.LATENCY_64B + ", " + Plots.LATENCY_1080P + ") and fps against readers (" + Plots.FPS + ").")
    Path plots;

    @Option(names = "--verbose", description = "Progress and child JVM errors on stderr.")
    boolean verbose;

    private final String prefix = "nbbench-" + ProcessHandle.current().pid() + "-";
    private final List<Process> children = new CopyOnWriteArrayList<>();
    private VirtualDisplay display;
    private int caseNumber;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }

    // ------------------------------------------------------------------ the measurements

    /**
     * One role in one JVM; {@code result} marks the roles whose RESULT line carries the measurement.
     * A {@code background} role (a producer, a viewer) runs until the others are done and is then
     * stopped with SIGTERM. Roles are {@link BenchChild} roles, except {@value #VIEW} (the product's
     * {@code nanobroker view}) and {@value #BASELINE} ({@link PixelBufferBaseline}).
     */
    record Role(String name, boolean result, Map<String, String> args, boolean background) {
        Role(String name, boolean result, Map<String, String> args) {
            this(name, result, args, false);
        }
    }

    static final String VIEW = "view";
    static final String BASELINE = "pixelbuffer-baseline";

    /** One measurement: its key in the results, its group, and its roles, started in this order. */
    record Case(String key, String group, String label, List<Role> roles) {
    }

    private static Map<String, String> args(Object... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], String.valueOf(keyValues[i + 1]));
        }
        return map;
    }

    private static final int SIZE_1MB = 512 * 512 * 4;
    private static final int SIZE_1080P = 1920 * 1080 * 4;

    private List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        long gap = 50_000; // ns between the last acknowledgement and the next frame
        cases.add(new Case("floor", "floor", "cache line ping-pong, one way", List.of(
                new Role("floor-pong", false, args("warmup", 100_000, "count", quick ? 200_000 : 1_000_000)),
                new Role("floor-ping", true, args("warmup", 100_000, "count", quick ? 200_000 : 1_000_000)))));
        int[][] ringSizes = {{16, 1}, {512, 512}, {1920, 1080}};
        String[] sizeNames = {"64b", "1mb", "8mb"};
        // 4 busy-spinning readers and a writer on a 2-vCPU machine are 5 spinning threads on 2 cores:
        // scheduler bound and slow to run, so only in the full run and with fewer frames.
        for (int readers : quick ? new int[] {1} : new int[] {1, 4}) {
            for (int s = 0; s < 3; s++) {
                if (readers == 4 && s == 1) {
                    continue;
                }
                String key = "ring_" + sizeNames[s] + (readers == 1 ? "" : "_4r");
                long count = readers == 1 ? (quick ? 10_000 : 50_000) : 1_000;
                long warmup = readers == 1 ? 5_000 : 200;
                List<Role> roles = new ArrayList<>();
                roles.add(new Role("ring-writer", false, args("ring", "@ring", "width", ringSizes[s][0], "height", ringSizes[s][1],
                        "slots", 4, "receivers", readers, "warmup", warmup, "count", count, "gap", gap)));
                for (int r = 0; r < readers; r++) {
                    roles.add(new Role("ring-reader", true, args("ring", "@ring", "id", r, "warmup", warmup, "count", count)));
                }
                cases.add(new Case(key, "ring",
                        "NanoBroker ring, " + readers + " reader" + (readers == 1 ? "" : "s") + ", " + label(sizeNames[s]), roles));
            }
        }
        int[] streamSizes = {64, SIZE_1MB, SIZE_1080P};
        for (String transport : new String[] {"uds", "tcp", "pipe"}) {
            for (int s = 0; s < 3; s++) {
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
                String address = transport.equals("tcp") ? "-" : "@" + transport;
                cases.add(new Case(transport + "_" + sizeNames[s], transport, transportLabel(transport) + ", " + label(sizeNames[s]), List.of(
                        new Role("stream-recv", true, args("transport", transport, "address", address, "size", streamSizes[s],
                                "warmup", warmup, "count", count)),
                        new Role("stream-send", false, args("transport", transport, "address", address, "size", streamSizes[s],
                                "warmup", warmup, "count", count, "gap", gap)))));
            }
        }
        for (int readers : quick ? new int[] {1} : new int[] {1, 4}) {
            long count = readers == 1 ? (quick ? 10_000 : 50_000) : 1_000;
            long warmup = readers == 1 ? 5_000 : 200;
            List<Role> roles = new ArrayList<>();
            roles.add(new Role("agrona-tx", false, args("file", "@agrona", "receivers", readers, "warmup", warmup, "count", count, "gap", gap)));
            for (int r = 0; r < readers; r++) {
                roles.add(new Role("agrona-rx", true, args("file", "@agrona", "id", r, "warmup", warmup, "count", count)));
            }
            cases.add(new Case("agrona_64b" + (readers == 1 ? "" : "_4r"), "agrona",
                    "Agrona broadcast (copy receiver), " + readers + " receiver" + (readers == 1 ? "" : "s") + ", 64 B", roles));
        }
        long warmupMs = quick ? 200 : 500;
        long measureMs = quick ? 700 : 2_000;
        cases.add(new Case("fill_alone", "throughput", "producer fill alone (no ring), 1080p", List.of(
                new Role("fill", true, args("file", "@fill", "slots", 8, "warmup_ms", warmupMs, "measure_ms", measureMs)))));
        for (int fill = 1; fill >= 0; fill--) {
            for (int readers : quick ? new int[] {1, 4} : new int[] {1, 4, 16}) {
                List<Role> roles = new ArrayList<>();
                roles.add(new Role("tp-writer", true, args("ring", "@ring", "receivers", readers, "fill", fill, "slots", 8,
                        "warmup_ms", warmupMs, "measure_ms", measureMs)));
                for (int r = 0; r < readers; r++) {
                    roles.add(new Role("tp-reader", false, args("ring", "@ring", "id", r)));
                }
                cases.add(new Case("fps_1080p_" + readers + "_readers" + (fill == 1 ? "" : "_nofill"), "throughput",
                        "ring fps at 1080p, " + readers + " reader" + (readers == 1 ? "" : "s") + (fill == 1 ? ", producer fills" : ", no fill"), roles));
            }
        }
        cases.add(new Case("alloc", "alloc", "bytes allocated per frame", List.of(
                new Role("alloc", true, args("ring", "@ring", "warmup", quick ? 100_000 : 300_000, "count", quick ? 300_000 : 1_000_000)))));
        long viewerWarmupMs = quick ? 1_500 : 3_000;
        long viewerMeasureMs = quick ? 3_000 : 8_000;
        for (int[] size : quick ? new int[][] {{1280, 720}} : new int[][] {{1280, 720}, {1920, 1080}}) {
            String suffix = size[1] + "p";
            String geometry = size[0] + "x" + size[1];
            for (boolean overlay : quick ? new boolean[] {false} : new boolean[] {false, true}) {
                cases.add(new Case("viewer_fps_" + suffix + (overlay ? "_overlay" : ""), "viewer",
                        "nanobroker view, " + geometry + (overlay ? ", overlay on" : ", overlay off"), List.of(
                        new Role("display-writer", false, args("ring", "@ring", "width", size[0], "height", size[1], "fps", 90, "slots", 8), true),
                        new Role(VIEW, false, args("ring", "@ring", "width", size[0], "height", size[1], "overlay", overlay), true),
                        new Role("display-counter", true, args("ring", "@ring", "warmup_ms", viewerWarmupMs, "measure_ms", viewerMeasureMs)))));
            }
            // The same producer runs beside the baseline, so both share the 2 cores with the same load.
            cases.add(new Case("baseline_fps_" + suffix, "viewer", "minimal JavaFX PixelBuffer app, " + geometry, List.of(
                    new Role("display-writer", false, args("ring", "@ring", "width", size[0], "height", size[1], "fps", 90, "slots", 8), true),
                    new Role(BASELINE, true, args("width", size[0], "height", size[1], "warmup_ms", viewerWarmupMs,
                            "measure_ms", viewerMeasureMs)))));
        }
        return cases;
    }

    private static String label(String size) {
        return switch (size) {
            case "64b" -> "64 B";
            case "1mb" -> "1 MB";
            default -> "1920x1080 BGRA (8,294,400 B)";
        };
    }

    private static String transportLabel(String transport) {
        return switch (transport) {
            case "uds" -> "Unix domain socket";
            case "tcp" -> "TCP loopback";
            default -> "pipe (FIFO)";
        };
    }

    // ------------------------------------------------------------------ running children

    @Override
    public Integer call() throws Exception {
        int runCount = runs != null ? runs : (quick ? 1 : 3);
        if (runCount < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--runs must be at least 1");
        }
        Set<String> groups = new LinkedHashSet<>(only == null ? GROUPS : only);
        for (String group : groups) {
            if (!GROUPS.contains(group)) {
                throw new CommandLine.ParameterException(new CommandLine(this), "unknown group '" + group + "': use " + String.join(", ", GROUPS));
            }
        }
        Thread cleanup = new Thread(this::cleanUp, "nbbench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        Results results = new Results(runCount);
        long started = System.nanoTime();
        try {
            List<Case> selected = cases().stream().filter(c -> groups.contains(c.group())).toList();
            for (int run = 0; run < runCount; run++) {
                for (Case c : selected) {
                    progress("run " + (run + 1) + "/" + runCount + ": " + c.label());
                    try {
                        results.add(c, runCase(c));
                    } catch (Exception e) {
                        results.fail(c, e.getMessage());
                        progress("  failed: " + e.getMessage());
                    }
                }
            }
        } finally {
            cleanUp();
        }
        results.seconds = (System.nanoTime() - started) / 1e9;
        PrintStream out = System.out;
        if (jsonFile != null) {
            Files.writeString(jsonFile, Json.write(results.json(quick)) + "\n");
        }
        if (plots != null) {
            for (Path file : Plots.write(results, plots, plotSubtitle(runCount))) {
                progress("plot: " + file);
            }
        }
        if (json) {
            out.println(Json.write(results.json(quick)));
        } else {
            results.printTable(out, quick);
        }
        return results.failures.isEmpty() ? 0 : 1;
    }

    private String plotSubtitle(int runCount) {
        String cpu = "";
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(line -> line.startsWith("model name")).findFirst()
                    .map(line -> ", " + line.substring(line.indexOf(':') + 1).trim()).orElse("");
        } catch (IOException e) {
            // the subtitle only goes without the CPU's name
        }
        return String.format(Locale.ROOT, "nanobroker bench%s, %s; %d run%s pooled; %d CPUs%s; each role in its own JVM",
                quick ? " --quick" : "", java.time.LocalDate.now(), runCount, runCount == 1 ? "" : "s",
                Runtime.getRuntime().availableProcessors(), cpu);
    }

    private void progress(String line) {
        if (verbose || !json) {
            System.err.println("bench: " + line);
        }
    }

    /** Runs one measurement's roles, each in its own JVM, and returns the result lines of the result roles. */
    private List<Map<String, String>> runCase(Case c) throws IOException, InterruptedException {
        int n = ++caseNumber;
        Path control = Path.of("/dev/shm", prefix + "ctl-" + n);
        Files.write(control, new byte[(int) Control.LENGTH]);
        List<Path> files = new ArrayList<>(List.of(control));
        Map<String, String> names = new LinkedHashMap<>();
        for (String kind : List.of("ring", "uds", "pipe", "agrona", "fill")) {
            names.put("@" + kind, (kind.equals("ring") ? "" : "/dev/shm/") + prefix + kind + "-" + n);
        }
        files.add(Path.of("/dev/shm", prefix + "ring-" + n));
        for (String kind : List.of("uds", "pipe", "agrona", "fill")) {
            files.add(Path.of(names.get("@" + kind)));
        }
        boolean fifo = c.roles().stream().anyMatch(r -> "pipe".equals(r.args().get("transport")));
        if (fifo) {
            Process mkfifo = new ProcessBuilder("mkfifo", "-m", "600", names.get("@pipe")).inheritIO().start();
            if (mkfifo.waitFor() != 0) {
                throw new IOException("mkfifo failed");
            }
        }
        long timeoutSeconds = quick ? 40 : 120;
        List<Process> started = new ArrayList<>();
        List<List<String>> outputs = new ArrayList<>();
        List<StringBuilder> errors = new ArrayList<>();
        List<Thread> pumps = new ArrayList<>();
        try {
            for (Role role : c.roles()) {
                Map<String, String> roleArgs = new LinkedHashMap<>();
                role.args().forEach((k, v) -> roleArgs.put(k, names.getOrDefault(v, v)));
                ProcessBuilder builder = new ProcessBuilder(switch (role.name()) {
                    case VIEW -> viewCommand(roleArgs);
                    case BASELINE -> baselineCommand(roleArgs);
                    default -> childCommand(role.name(), control, timeoutSeconds, roleArgs);
                });
                if (role.name().equals(VIEW) || role.name().equals(BASELINE)) {
                    builder.environment().put("DISPLAY", display());
                }
                Process process = builder.start();
                children.add(process);
                started.add(process);
                List<String> lines = new CopyOnWriteArrayList<>();
                StringBuilder error = new StringBuilder();
                outputs.add(lines);
                errors.add(error);
                pumps.add(Thread.ofVirtual().start(() -> pump(process.getInputStream(), lines, null)));
                pumps.add(Thread.ofVirtual().start(() -> pump(process.getErrorStream(), null, error)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds + 15);
            for (int i = 0; i < started.size(); i++) {
                Process process = started.get(i);
                if (c.roles().get(i).background()) {
                    if (!process.isAlive()) {
                        throw new IOException(c.roles().get(i).name() + " ended early: "
                                + errors.get(i).toString().lines().findFirst().orElse("exit code " + process.exitValue()));
                    }
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (!process.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                    throw new IOException(c.roles().get(i).name() + " did not finish in " + timeoutSeconds + " s");
                }
                if (process.exitValue() != 0) {
                    for (Thread pump : pumps) {
                        pump.join(1000);
                    }
                    String message = errors.get(i).toString().lines().findFirst().orElse("exit code " + process.exitValue());
                    if (verbose) {
                        System.err.print(errors.get(i));
                    }
                    throw new IOException(c.roles().get(i).name() + ": " + message);
                }
            }
            for (int i = 0; i < started.size(); i++) {
                if (!c.roles().get(i).background()) { // a background role's output ends when it is stopped
                    pumps.get(2 * i).join(5000);
                    pumps.get(2 * i + 1).join(5000);
                }
            }
            List<Map<String, String>> results = new ArrayList<>();
            for (int i = 0; i < started.size(); i++) {
                if (!c.roles().get(i).result()) {
                    continue;
                }
                String line = outputs.get(i).stream().filter(l -> l.startsWith("RESULT ")).findFirst()
                        .orElseThrow(() -> new IOException(c.key() + ": a child printed no result"));
                results.add(Json.parseFlat(line.substring("RESULT ".length())));
            }
            return results;
        } finally {
            // Background roles last in, first out: the viewer closes (SIGTERM) before its producer goes.
            for (Process process : started.reversed()) {
                if (process.isAlive()) {
                    process.destroy();
                    if (!process.waitFor(5, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                }
                process.waitFor(5, TimeUnit.SECONDS);
                children.remove(process);
            }
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static void pump(java.io.InputStream stream, List<String> lines, StringBuilder text) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (lines != null) {
                    lines.add(line);
                } else {
                    synchronized (text) {
                        text.append(line).append('\n');
                    }
                }
            }
        } catch (IOException ignored) {
            // The child is gone.
        }
    }

    private static List<String> childCommand(String role, Path control, long timeoutSeconds, Map<String, String> args) {
        List<String> command = new ArrayList<>(javaCommand());
        command.add(BenchChild.class.getName());
        command.add(role);
        command.add("ctl=" + control);
        command.add("timeout=" + timeoutSeconds);
        args.forEach((k, v) -> command.add(k + "=" + v));
        return command;
    }

    /** The product's launcher, which the shell launcher names when it starts the bench. */
    private static Path home() throws IOException {
        String home = System.getProperty("nanobroker.home");
        if (home == null) {
            throw new IOException("the viewer benchmarks run the product's viewer: start the bench with ./nanobroker bench");
        }
        return Path.of(home);
    }

    private static List<String> viewCommand(Map<String, String> args) throws IOException {
        return List.of(home().resolve("nanobroker").toString(), "view", args.get("ring"),
                Boolean.parseBoolean(args.get("overlay")) ? "--overlay" : "--no-overlay",
                "--x", "0", "--y", "0", "--width", args.get("width"), "--height", args.get("height"));
    }

    /** The baseline app with the product's JavaFX on the module path, as the launcher runs the viewer. */
    private static List<String> baselineCommand(Map<String, String> args) throws IOException {
        return List.of(javaExecutable(), "--module-path", home().resolve("cli/target/javafx").toString(),
                "--add-modules", "javafx.controls", "--enable-native-access=javafx.graphics,ALL-UNNAMED",
                // By name: loading the class here would need JavaFX on this JVM's class path.
                "-cp", System.getProperty("java.class.path"), "dev.nanobroker.bench.PixelBufferBaseline",
                args.get("width"), args.get("height"), args.get("warmup_ms"), args.get("measure_ms"));
    }

    /** This process's display, or a private Xvfb started on first use and stopped in {@link #cleanUp}. */
    private synchronized String display() throws IOException {
        String own = System.getenv("DISPLAY");
        if (own != null && !own.isEmpty()) {
            return own;
        }
        if (display == null) {
            display = VirtualDisplay.start();
        }
        return display.name();
    }

    /** The java this JVM runs on. */
    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The same java, class path and native access as this JVM, a small serial-GC heap. */
    private static List<String> javaCommand() {
        return List.of(javaExecutable(), "-XX:+UseSerialGC", "-Xms64m", "-Xmx512m", "-XX:-UsePerfData",
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                // Agrona 2.x reaches jdk.internal.misc.Unsafe.
                "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"));
    }

    /** Kills every child still running and removes every /dev/shm file of this run. Idempotent. */
    private void cleanUp() {
        for (Process process : children) {
            process.destroyForcibly();
        }
        synchronized (this) {
            if (display != null) {
                display.close();
                display = null;
            }
        }
        try (Stream<Path> files = Files.list(Path.of("/dev/shm"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(prefix)
                    || f.getFileName().toString().startsWith("." + prefix)).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // Best effort; nothing else to do at exit.
        }
    }

    // ------------------------------------------------------------------ results

    static final class Results {
        final int runs;
        final Map<String, Case> cases = new LinkedHashMap<>();
        /** Latency: per case, one merged histogram per run. */
        final Map<String, List<Histogram>> latency = new LinkedHashMap<>();
        /** Scalars: per case and name, one value per run. */
        final Map<String, Map<String, List<Double>>> scalars = new LinkedHashMap<>();
        final Map<String, String> failures = new LinkedHashMap<>();
        double seconds;

        Results(int runs) {
            this.runs = runs;
        }

        void add(Case c, List<Map<String, String>> lines) {
            cases.put(c.key(), c);
            for (Map<String, String> line : lines) {
                line.forEach((name, value) -> {
                    if (!name.equals("hist")) {
                        scalars.computeIfAbsent(c.key(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(name, k -> new ArrayList<>()).add(Double.parseDouble(value));
                    }
                });
            }
            Histogram merged = null;
            long mismatches = 0;
            for (Map<String, String> line : lines) {
                if (line.containsKey("hist")) {
                    Histogram one = Histograms.decode(line.get("hist"));
                    if (merged == null) {
                        merged = one;
                    } else {
                        merged.add(one);
                    }
                    mismatches += Long.parseLong(line.getOrDefault("mismatches", "0"));
                }
            }
            if (merged != null) {
                latency.computeIfAbsent(c.key(), k -> new ArrayList<>()).add(merged);
                if (mismatches != 0) {
                    failures.put(c.key(), mismatches + " frames whose last line did not match their first");
                }
            }
        }

        void fail(Case c, String message) {
            cases.put(c.key(), c);
            failures.put(c.key(), message);
        }

        /** Median over runs of one percentile (ns); NaN when the case did not run. */
        double latency(String key, double percentile) {
            List<Histogram> list = latency.get(key);
            if (list == null) {
                return Double.NaN;
            }
            return median(list.stream().mapToDouble(h -> percentile >= 100 ? h.getMaxValue() : h.getValueAtPercentile(percentile)).toArray());
        }

        double[] spread(String key, double percentile) {
            List<Histogram> list = latency.get(key);
            double[] values = list.stream().mapToDouble(h -> h.getValueAtPercentile(percentile)).toArray();
            return new double[] {Arrays.stream(values).min().orElse(Double.NaN), Arrays.stream(values).max().orElse(Double.NaN)};
        }

        List<Double> scalarRuns(String key, String name) {
            Map<String, List<Double>> byName = scalars.get(key);
            return byName == null ? null : byName.get(name);
        }

        /** Lowest and highest run of a scalar. */
        double[] scalarSpread(String key, String name) {
            double[] values = scalarRuns(key, name).stream().mapToDouble(Double::doubleValue).toArray();
            return new double[] {Arrays.stream(values).min().orElse(Double.NaN), Arrays.stream(values).max().orElse(Double.NaN)};
        }

        static boolean isThroughputCase(String key) {
            return key.startsWith("fps_") || key.equals("fill_alone");
        }

        static boolean isViewerCase(String key) {
            return key.startsWith("viewer_fps_") || key.startsWith("baseline_fps_");
        }

        double scalar(String key, String name) {
            List<Double> values = scalarRuns(key, name);
            return values == null ? Double.NaN : median(values.stream().mapToDouble(Double::doubleValue).toArray());
        }

        static double median(double[] values) {
            if (values.length == 0) {
                return Double.NaN;
            }
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            int mid = sorted.length / 2;
            return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        }

        double allocPerFrame(String name) {
            return scalar("alloc", name) / scalar("alloc", "frames");
        }

        /** The issue's targets: name, target text, measured text, ratio, pass (null when not measured). */
        List<Map<String, Object>> targets() {
            List<Map<String, Object>> list = new ArrayList<>();
            double floor = latency("floor", 50);
            double ring64 = latency("ring_64b", 50);
            double ring64p99 = latency("ring_64b", 99);
            double ring8 = latency("ring_8mb", 50);
            double uds8 = latency("uds_8mb", 50);
            double agrona = latency("agrona_64b", 50);
            double agronaP99 = latency("agrona_64b", 99);
            double fps4 = scalar("fps_1080p_4_readers", "fps");
            double fillAlone = scalar("fill_alone", "fps");
            target(list, "ring p50 at 64 B <= 1.5x floor p50", ring64 / floor, ring64 / floor <= 1.5,
                    ns(ring64) + " vs floor " + ns(floor));
            target(list, "ring p99 at 64 B <= 2 us", ring64p99 / 2000, ring64p99 <= 2000, ns(ring64p99));
            target(list, "ring p50 at 8.3 MB <= 1.2x p50 at 64 B", ring8 / ring64, ring8 / ring64 <= 1.2,
                    ns(ring8) + " vs " + ns(ring64));
            target(list, "UDS p50 at 8.3 MB >= 100x ring p50 at 8.3 MB", uds8 / ring8, uds8 / ring8 >= 100,
                    ns(uds8) + " vs " + ns(ring8));
            target(list, "ring p50 at 64 B < Agrona p50", ring64 / agrona, ring64 < agrona, ns(ring64) + " vs " + ns(agrona));
            target(list, "ring p99 at 64 B < Agrona p99", ring64p99 / agronaP99, ring64p99 < agronaP99,
                    ns(ring64p99) + " vs " + ns(agronaP99));
            target(list, "1080p fps with 4 readers >= 0.9x fill rate alone", fps4 / fillAlone, fps4 / fillAlone >= 0.9,
                    String.format(Locale.ROOT, "%.0f fps vs %.0f fills/s", fps4, fillAlone));
            for (String size : List.of("720p", "1080p")) {
                double viewer = scalar("viewer_fps_" + size, "fps");
                double baseline = scalar("baseline_fps_" + size, "fps");
                if (size.equals("720p") || !Double.isNaN(viewer)) {
                    target(list, "viewer fps at " + size + " >= 0.95x PixelBuffer baseline", viewer / baseline, viewer / baseline >= 0.95,
                            String.format(Locale.ROOT, "%.1f fps vs %.1f fps", viewer, baseline));
                }
            }
            double write = allocPerFrame("write_bytes");
            double read = allocPerFrame("read_bytes");
            target(list, "0 bytes allocated per frame, write and read paths", Double.NaN, write == 0 && read == 0,
                    String.format(Locale.ROOT, "write %.4f B, read %.4f B", write, read));
            return list;
        }

        private static void target(List<Map<String, Object>> list, String name, double ratio, boolean pass, String measured) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("target", name);
            entry.put("measured", measured);
            entry.put("ratio", Double.isNaN(ratio) ? null : ratio);
            entry.put("pass", measured.contains("NaN") || measured.contains("n/a") ? null : pass);
            list.add(entry);
        }

        static String ns(double nanos) {
            if (Double.isNaN(nanos)) {
                return "n/a";
            }
            if (nanos < 10_000) {
                return String.format(Locale.ROOT, "%.0f ns", nanos);
            }
            if (nanos < 10_000_000) {
                return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
            }
            return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        }

        Map<String, Object> json(boolean quick) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("runs", runs);
            out.put("quick", quick);
            out.put("cpus", Runtime.getRuntime().availableProcessors());
            out.put("seconds", seconds);
            for (String key : latency.keySet()) {
                out.put(key + "_p50_ns", (long) latency(key, 50));
                out.put(key + "_p99_ns", (long) latency(key, 99));
                out.put(key + "_p999_ns", (long) latency(key, 99.9));
                out.put(key + "_max_ns", (long) latency(key, 100));
                double[] spread = spread(key, 50);
                out.put(key + "_p50_ns_min", (long) spread[0]);
                out.put(key + "_p50_ns_max", (long) spread[1]);
                out.put(key + "_samples", latency.get(key).getFirst().getTotalCount());
                if (key.startsWith("ring_")) {
                    for (String part : List.of("t0_to_publish_stamp_p50", "publish_stamp_to_poll_p50", "poll_to_touched_p50")) {
                        out.put(key + "_" + part + "_ns", (long) scalar(key, part));
                    }
                }
            }
            for (String key : scalars.keySet()) {
                if (isViewerCase(key)) {
                    double[] spread = scalarSpread(key, "fps");
                    out.put(key, scalar(key, "fps"));
                    out.put(key + "_min", spread[0]);
                    out.put(key + "_max", spread[1]);
                }
                if (isThroughputCase(key)) {
                    String name = key.equals("fill_alone") ? "fill_alone_fps" : key;
                    double[] spread = scalarSpread(key, "fps");
                    out.put(name, Math.round(scalar(key, "fps")));
                    out.put(name + "_min", Math.round(spread[0]));
                    out.put(name + "_max", Math.round(spread[1]));
                    if (key.startsWith("fps_")) {
                        out.put(name + "_blocked_fraction", scalar(key, "blocked_fraction"));
                    }
                }
            }
            if (scalars.containsKey("alloc")) {
                out.put("alloc_bytes_per_frame_write", allocPerFrame("write_bytes"));
                out.put("alloc_bytes_per_frame_read", allocPerFrame("read_bytes"));
                out.put("alloc_frames", (long) scalar("alloc", "frames"));
            }
            out.put("targets", targets());
            out.put("failures", failures);
            return out;
        }

        void printTable(PrintStream out, boolean quick) {
            out.printf(Locale.ROOT, "NanoBroker bench%s: %d run%s of each measurement, %d CPUs, %.0f s%n",
                    quick ? " --quick" : "", runs, runs == 1 ? "" : "s", Runtime.getRuntime().availableProcessors(), seconds);
            out.println("Latency, one way (sender's t0 before the hand-off to the receiver having the frame); median of runs,");
            out.println("p50 range = lowest..highest p50 over the runs");
            out.println();
            out.printf(Locale.ROOT, "%-60s %10s %10s %10s %10s  %-22s %9s%n", "", "p50", "p99", "p99.9", "max", "p50 range", "samples");
            for (String key : latency.keySet()) {
                double[] spread = spread(key, 50);
                out.printf(Locale.ROOT, "%-60s %10s %10s %10s %10s  %-22s %9d%n", cases.get(key).label(),
                        ns(latency(key, 50)), ns(latency(key, 99)), ns(latency(key, 99.9)), ns(latency(key, 100)),
                        ns(spread[0]) + " .. " + ns(spread[1]), latency.get(key).getFirst().getTotalCount());
            }
            out.println();
            out.println("Where the ring's time goes (p50 per reader, median): t0 -> the writer's publish stamp (claim, descriptor),");
            out.println("stamp -> the reader's poll, poll -> first and last cache line read");
            for (String key : latency.keySet()) {
                if (key.startsWith("ring_")) {
                    out.printf(Locale.ROOT, "  %-58s %10s %10s %10s%n", cases.get(key).label(),
                            ns(scalar(key, "t0_to_publish_stamp_p50")), ns(scalar(key, "publish_stamp_to_poll_p50")),
                            ns(scalar(key, "poll_to_touched_p50")));
                }
            }
            if (scalars.keySet().stream().anyMatch(Results::isThroughputCase)) {
                out.println();
                out.println("Throughput at 1920x1080 (frames per second; median of runs, lowest..highest)");
                for (String key : scalars.keySet().stream().filter(Results::isThroughputCase).toList()) {
                    double[] spread = scalarSpread(key, "fps");
                    String blocked = key.startsWith("fps_")
                            ? String.format(Locale.ROOT, "  producer blocked %.0f%%", 100 * scalar(key, "blocked_fraction")) : "";
                    out.printf(Locale.ROOT, "%-60s %8.0f  %8.0f .. %-8.0f%s%n", cases.get(key).label(), scalar(key, "fps"),
                            spread[0], spread[1], blocked);
                }
            }
            if (scalars.keySet().stream().anyMatch(Results::isViewerCase)) {
                out.println();
                out.println("Viewer: frames shown per second (median of runs, lowest..highest), same display and Prism pipeline");
                for (String key : scalars.keySet().stream().filter(Results::isViewerCase).toList()) {
                    double[] spread = scalarSpread(key, "fps");
                    out.printf(Locale.ROOT, "%-60s %8.1f  %8.1f .. %-8.1f%n", cases.get(key).label(), scalar(key, "fps"),
                            spread[0], spread[1]);
                }
            }
            if (scalars.containsKey("alloc")) {
                out.println();
                out.printf(Locale.ROOT, "Allocation per frame over %.0f frames: write path %.4f B, read path %.4f B%n",
                        scalar("alloc", "frames"), allocPerFrame("write_bytes"), allocPerFrame("read_bytes"));
            }
            out.println();
            out.println("Targets");
            for (Map<String, Object> target : targets()) {
                Object pass = target.get("pass");
                Object ratio = target.get("ratio");
                out.printf(Locale.ROOT, "  %-4s %-52s %s%s%n", pass == null ? "n/a" : (Boolean) pass ? "PASS" : "FAIL",
                        target.get("target"), target.get("measured"),
                        ratio == null ? "" : String.format(Locale.ROOT, "  (ratio %.2f)", (Double) ratio));
            }
            if (!failures.isEmpty()) {
                out.println();
                out.println("Failures");
                failures.forEach((key, message) -> out.println("  " + key + ": " + message));
            }
        }
    }
}
