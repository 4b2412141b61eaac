package dev.nanobroker.bench;

import dev.nanobroker.bench.BenchCases.Case;
import dev.nanobroker.bench.BenchCases.CaseFiles;
import dev.nanobroker.bench.BenchCases.Child;
import dev.nanobroker.process.JavaProcess;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs one case at a time, every child in its own JVM, and returns the RESULT lines of the children
 * that report. {@link #close} (also safe on a signal's thread, beside a running case) kills what is
 * still running and removes every file of this bench in /dev/shm.
 *
 * <pre>
 *  bench JVM (CaseRunner)                          the case's child JVMs, started in the case's order
 *  ----------------------                          --------------------------------------------------
 *  /dev/shm/nbbench-PID-ctl-N, zeroed  --------->  each maps it: READY, FLAG, VALUE, ACKs ({@link Control})
 *  starts each child  -------------------------->  java ... BenchChild ROLE ctl=... timeout=... key=value...,
 *                                                  ./nanobroker view RING ..., java ... PixelBufferBaseline ...
 *                                                  (these two on this display, or a private Xvfb)
 *  one thread per stdout and stderr  <-----------  a RESULT line on stdout; errors on stderr
 *  waits for the foreground children (timeout + 15 s; a failed one fails the case),
 *  then SIGTERM to the background ones, last started first; removes the case's files
 * </pre>
 */
final class CaseRunner implements AutoCloseable {

    /** A bench role's JVM: a small serial-GC heap; Agrona 2.x reaches jdk.internal.misc.Unsafe. */
    private static final List<String> CHILD_OPTIONS = List.of("-XX:+UseSerialGC", "-Xms64m", "-Xmx512m", "-XX:-UsePerfData",
            "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED");

    /** A child on its way: its name in messages, its command line, and whether it opens a window. */
    private record Launch(String name, List<String> command, boolean window) {
    }

    private final String prefix = "nbbench-" + ProcessHandle.current().pid() + "-";
    private final long childTimeoutSeconds;
    private final boolean verbose;
    private final List<Process> running = new CopyOnWriteArrayList<>();
    private VirtualDisplay display;
    private int caseNumber;

    /**
     * @param childTimeoutSeconds how long a child may take before it gives up (and the bench 15 s after)
     * @param verbose             whether a failed child's stderr goes to this stderr
     */
    CaseRunner(long childTimeoutSeconds, boolean verbose) {
        this.childTimeoutSeconds = childTimeoutSeconds;
        this.verbose = verbose;
    }

    /** Runs the case's children and returns the result lines of those that report, in their order. */
    List<Map<String, String>> run(Case c) throws IOException, InterruptedException {
        CaseFiles files = CaseFiles.numbered(prefix, ++caseNumber);
        Files.write(files.control(), new byte[(int) Control.LENGTH]);
        List<Child> children = c.children().apply(files);
        List<Process> started = new ArrayList<>();
        List<List<String>> outputs = new ArrayList<>();
        List<StringBuilder> errors = new ArrayList<>();
        List<Thread> pumps = new ArrayList<>();
        try {
            List<Launch> launches = new ArrayList<>();
            for (Child child : children) {
                Launch launch = launch(child.program(), files);
                launches.add(launch);
                ProcessBuilder builder = new ProcessBuilder(launch.command());
                if (launch.window()) {
                    builder.environment().put("DISPLAY", display());
                }
                Process process = builder.start();
                running.add(process);
                started.add(process);
                List<String> lines = new CopyOnWriteArrayList<>();
                StringBuilder error = new StringBuilder();
                outputs.add(lines);
                errors.add(error);
                pumps.add(Thread.ofVirtual().start(() -> pump(process.getInputStream(), lines, null)));
                pumps.add(Thread.ofVirtual().start(() -> pump(process.getErrorStream(), null, error)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(childTimeoutSeconds + 15);
            for (int i = 0; i < started.size(); i++) {
                Process process = started.get(i);
                String name = launches.get(i).name();
                if (children.get(i).background()) {
                    if (!process.isAlive()) {
                        throw new IOException(name + " ended early: "
                                + errors.get(i).toString().lines().findFirst().orElse("exit code " + process.exitValue()));
                    }
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (!process.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                    throw new IOException(name + " did not finish in " + childTimeoutSeconds + " s");
                }
                if (process.exitValue() != 0) {
                    for (Thread pump : pumps) {
                        pump.join(1000);
                    }
                    String message = errors.get(i).toString().lines().findFirst().orElse("exit code " + process.exitValue());
                    if (verbose) {
                        System.err.print(errors.get(i));
                    }
                    throw new IOException(name + ": " + message);
                }
            }
            for (int i = 0; i < started.size(); i++) {
                if (!children.get(i).background()) { // a background child's output ends when it is stopped
                    pumps.get(2 * i).join(5000);
                    pumps.get(2 * i + 1).join(5000);
                }
            }
            List<Map<String, String>> results = new ArrayList<>();
            for (int i = 0; i < started.size(); i++) {
                if (children.get(i).reports()) {
                    String line = outputs.get(i).stream().filter(BenchResults::isResultLine).findFirst()
                            .orElseThrow(() -> new IOException(c.key() + ": a child printed no result"));
                    results.add(BenchResults.parseResultLine(line));
                }
            }
            return results;
        } finally {
            // Background children last in, first out: the viewer closes (SIGTERM) before its producer goes.
            for (Process process : started.reversed()) {
                if (process.isAlive()) {
                    process.destroy();
                    if (!process.waitFor(5, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                }
                process.waitFor(5, TimeUnit.SECONDS);
                running.remove(process);
            }
            for (Path file : files.paths()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private Launch launch(Record program, CaseFiles files) throws IOException {
        return switch (program) {
            case Role role -> new Launch(BenchChild.name(role), JavaProcess.command(CHILD_OPTIONS, JavaProcess.classPath(),
                    BenchChild.class.getName(), BenchChild.arguments(role, files.control(), childTimeoutSeconds)), false);
            case ViewerRoles.View view -> new Launch("view", List.of(home().resolve("nanobroker").toString(), "view", view.ring(),
                    view.overlay() ? "--overlay" : "--no-overlay", "--x", "0", "--y", "0",
                    "--width", Integer.toString(view.width()), "--height", Integer.toString(view.height())), true);
            // With the product's JavaFX on the module path, as the launcher runs the viewer; the main class by
            // name: loading it here would need JavaFX on this JVM's class path.
            case PixelBufferBaseline.Settings baseline -> new Launch("pixelbuffer-baseline", JavaProcess.command(
                    JavaProcess.javaFxOptions(home().resolve("cli/target/javafx").toString()), JavaProcess.classPath(),
                    "dev.nanobroker.bench.PixelBufferBaseline",
                    RoleArguments.format(baseline)),
                    true);
            default -> throw new IllegalArgumentException("a case cannot start " + program);
        };
    }

    private static void pump(InputStream stream, List<String> lines, StringBuilder text) {
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

    /** The product's root, which the launcher names when it starts the bench. */
    private static Path home() throws IOException {
        String home = System.getProperty("nanobroker.home");
        if (home == null) {
            throw new IOException("the viewer benchmarks run the product's viewer: start the bench with ./nanobroker bench");
        }
        return Path.of(home);
    }

    /** This process's display, or a private Xvfb started on first use and stopped in {@link #close}. */
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

    /** Kills every child still running and removes every /dev/shm file of this bench. Idempotent. */
    @Override
    public void close() {
        for (Process process : running) {
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
}
