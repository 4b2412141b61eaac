package dev.nanobroker.ring.testing;

import dev.nanobroker.ring.ProcessIdentity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A real second process for multi-process tests: a JVM running a main class from this test class
 * path. Its stdout is read line by line on a daemon thread so a test can wait for a line with a
 * deadline; stderr is kept for failure messages.
 */
public final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final List<String> allStdout = new ArrayList<>();
    private final StringBuffer stderr = new StringBuffer();
    private final List<Thread> pumps = new ArrayList<>();
    private Writer stdin;

    private ChildJvm(Process process) {
        this.process = process;
        pumps.add(pump(process.inputReader(StandardCharsets.UTF_8), true));
        pumps.add(pump(process.errorReader(StandardCharsets.UTF_8), false));
    }

    public static ChildJvm start(Class<?> mainClass, String... args) {
        return start(mainClass, List.of(args));
    }

    public static ChildJvm start(Class<?> mainClass, List<String> args) {
        return start(List.of(), ownClassPath(), javaLauncher(), List.of(), mainClass, args);
    }

    /** Runs the JVM with more options ({@code --add-exports} a library needs, a {@code -D} property). */
    public static ChildJvm startWithOptions(List<String> jvmOptions, Class<?> mainClass, List<String> args) {
        return start(List.of(), ownClassPath(), javaLauncher(), jvmOptions, mainClass, args);
    }

    /**
     * Runs the JVM, with more options, in the network namespace {@code namespace} ({@code ip netns
     * exec}, which needs root): its own interfaces and addresses, the same files and /dev/shm.
     */
    public static ChildJvm startInNetworkNamespace(String namespace, List<String> jvmOptions, Class<?> mainClass, List<String> args) {
        return start(List.of("ip", "netns", "exec", namespace), ownClassPath(), javaLauncher(), jvmOptions, mainClass, args);
    }

    /**
     * Runs the JVM under another process name ({@code comm} in /proc, what {@code ps} shows): the java
     * launcher is started through a symbolic link of that name, in a fresh temporary directory.
     */
    public static ChildJvm startAs(String processName, Class<?> mainClass, String... args) {
        return start(List.of(), ownClassPath(), linkAs(processName, Path.of(javaLauncher())).toString(), List.of(), mainClass,
                List.of(args));
    }

    /**
     * A program under another name: a symbolic link named {@code processName} to it, in a fresh
     * temporary directory (both removed at exit). A process's name ({@code comm}) is the name of the
     * file it was started from.
     */
    public static Path linkAs(String processName, Path program) {
        try {
            Path directory = Files.createTempDirectory("nbtest-comm");
            Path link = Files.createSymbolicLink(directory.resolve(processName), program);
            directory.toFile().deleteOnExit(); // deleted in reverse order: the link, then its directory
            link.toFile().deleteOnExit();
            return link;
        } catch (IOException e) {
            throw new IllegalStateException("cannot link " + program + " as '" + processName + "'", e);
        }
    }

    /** Runs the JVM with at most {@code limit} open file descriptors ({@code ulimit -n}). */
    public static ChildJvm startWithOpenFileLimit(int limit, Class<?> mainClass, String... args) {
        return start(List.of("/bin/sh", "-c", "ulimit -n " + limit + " && exec \"$0\" \"$@\""), projectClassPath(), javaLauncher(),
                List.of(), mainClass, List.of(args));
    }

    /**
     * Runs the JVM through {@code /bin/sh -c SCRIPT java ...}: the script prepares what the child
     * needs (a mount namespace, another user) and ends with {@code exec "$0" "$@"}.
     */
    public static ChildJvm startThrough(String script, Class<?> mainClass, String... args) {
        return start(List.of("/bin/sh", "-c", script), projectClassPath(), javaLauncher(), List.of(), mainClass, List.of(args));
    }

    /**
     * This build's own class directories, copied once into a world-readable temporary directory: a
     * child running as another user (nobody) cannot read a checkout under a private directory.
     */
    public static synchronized String projectClassPath() {
        if (readableClassPath == null) {
            try {
                Path root = Files.createTempDirectory("nbtest-classes");
                List<String> copies = new ArrayList<>();
                int index = 0;
                for (String entry : System.getProperty("java.class.path").split(":")) {
                    Path directory = Path.of(entry);
                    if (Files.isDirectory(directory)) {
                        copies.add(copyReadable(directory, root.resolve(Integer.toString(index++))).toString());
                    }
                }
                Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(root)));
                readableClassPath = String.join(":", copies);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy the class directories for a child JVM", e);
            }
        }
        return readableClassPath;
    }

    private static String readableClassPath;

    private static Path copyReadable(Path from, Path to) throws IOException {
        try (Stream<Path> tree = Files.walk(from)) {
            for (Path source : (Iterable<Path>) tree::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                } else {
                    Files.copy(source, target);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
        return to;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> tree = Files.walk(root)) {
            tree.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory: nothing more to do
        }
    }

    private static String javaLauncher() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String ownClassPath() {
        return System.getProperty("java.class.path");
    }

    private static ChildJvm start(List<String> prefix, String classPath, String java, List<String> jvmOptions, Class<?> mainClass,
                                  List<String> args) {
        List<String> command = new ArrayList<>(prefix);
        command.add(java);
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass.getName());
        command.addAll(args);
        try {
            return new ChildJvm(new ProcessBuilder(command).start());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command, e);
        }
    }

    private Thread pump(BufferedReader reader, boolean isStdout) {
        Thread thread = new Thread(() -> {
            try (BufferedReader lines = reader) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (isStdout) {
                        synchronized (allStdout) {
                            allStdout.add(line);
                        }
                        stdout.add(line);
                    } else {
                        stderr.append(line).append('\n');
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "child-" + (isStdout ? "out" : "err"));
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Waits for a stdout line that matches; fails the test with the child's stderr at the deadline. */
    public String awaitLine(Predicate<String> matches, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? stdout.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw new AssertionError("no matching line from pid " + process.pid() + " within " + timeout
                        + "; alive=" + process.isAlive() + "; stdout=" + stdoutLines() + "; stderr=" + stderr);
            }
            if (matches.test(line)) {
                return line;
            }
        }
    }

    /** Waits for the process to end and its output to be read; returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("pid " + process.pid() + " did not exit within " + timeout
                    + "; stdout=" + stdoutLines() + "; stderr=" + stderr);
        }
        for (Thread pump : pumps) {
            pump.join(timeout.toMillis());
        }
        return process.exitValue();
    }

    /** Everything printed on stdout so far (after exit: complete once the pump drained it). */
    public List<String> stdoutLines() {
        synchronized (allStdout) {
            return List.copyOf(allStdout);
        }
    }

    /** The last stdout line, once the process has ended. */
    public String lastLine(Duration timeout) throws InterruptedException {
        awaitExit(timeout);
        List<String> lines = stdoutLines();
        return lines.isEmpty() ? "" : lines.getLast();
    }

    public String stderr() {
        return stderr.toString();
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    /** Writes one line to the child's stdin (read there by {@link ParentCommands}). */
    public synchronized void send(String line) {
        try {
            if (stdin == null) {
                stdin = process.outputWriter(StandardCharsets.UTF_8);
            }
            stdin.write(line + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new AssertionError("cannot write to pid " + process.pid() + " (alive=" + process.isAlive()
                    + "); stderr=" + stderr, e);
        }
    }

    /** The child's identity token as the ring names it (0 once it has ended). */
    public long identityToken() {
        return ProcessIdentity.tokenOf(process.pid());
    }

    /**
     * SIGSTOP, and wait until the kernel shows the process stopped (state T in /proc/PID/stat), so
     * that it can no longer write anything to the ring. A stopped process is alive to the ring.
     */
    public void suspend(Duration timeout) throws InterruptedException {
        signal("-STOP");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (state() != 'T') {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("pid " + process.pid() + " not stopped within " + timeout + ", state " + state());
            }
            Thread.onSpinWait();
        }
    }

    /** SIGCONT: a process {@link #suspend}ed goes on. */
    public void resume() throws InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws InterruptedException {
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).start();
            if (kill.waitFor() != 0) {
                throw new AssertionError("kill " + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run kill", e);
        }
    }

    /** Field 3 of /proc/PID/stat, or '?' when the process is gone. */
    private char state() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (IOException | RuntimeException e) {
            return '?';
        }
    }

    /** SIGKILL, and wait until the kernel has reaped it. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM: the process may clean up. (Process.destroy() would also close its pipes.) */
    public void terminate() {
        process.toHandle().destroy();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill9();
        }
    }
}
