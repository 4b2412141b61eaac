package dev.nanobroker.cli;

import dev.nanobroker.ring.RingLayout;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Command lines that start another JVM on this JVM's runtime and class path: one process per role. */
public final class JavaProcess {

    /**
     * The commands that may capture from a camera or a file, so need JavaCV and FFmpeg on their class
     * path (the launcher keeps the same list); every other command runs without them.
     */
    static final Set<String> CAPTURING_COMMANDS = Set.of("produce", "demo", "soak");

    /**
     * The most reader processes the demo and the soak start: every reader line but one, which stays
     * free so that a {@code read} or a Python reader can still join the ring to look.
     */
    static final int MAX_CHILD_READERS = RingLayout.MAX_READERS - 1;

    private JavaProcess() {
    }

    /** {@code java -cp <this class path> mainClass args...} */
    public static List<String> command(Class<?> mainClass, List<String> args) {
        return command(mainClass, args, System.getProperty("java.class.path"));
    }

    private static List<String> command(Class<?> mainClass, List<String> args, String classPath) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-XX:+UseSerialGC");
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath != null && !modulePath.isEmpty()) {
            command.add("--module-path");
            command.add(modulePath);
            command.add("--add-modules");
            command.add("javafx.controls");
            command.add("--enable-native-access=javafx.graphics,ALL-UNNAMED");
        }
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass.getName());
        command.addAll(args);
        return command;
    }

    /**
     * A nanobroker command in its own JVM; with the launcher's class-data sharing (its archive per
     * command, see the {@code nanobroker} script) when this JVM has it.
     */
    public static List<String> nanobroker(List<String> args) {
        List<String> command = command(NanoBrokerCommand.class, args,
                classPath(!args.isEmpty() && CAPTURING_COMMANDS.contains(args.getFirst())));
        String archives = System.getProperty("nanobroker.cds");
        if (archives != null && !args.isEmpty()) {
            command.addAll(1, List.of("-XX:SharedArchiveFile=" + Path.of(archives, args.getFirst() + ".jsa"),
                    "-XX:+AutoCreateSharedArchive", "-Xlog:disable", "-Xlog:all=warning,cds*=off:stderr",
                    "-Dnanobroker.cds=" + archives));
        }
        return command;
    }

    /**
     * This JVM's class path, with the launcher's capture libraries ({@code -Dnanobroker.capture}) or
     * without them; unchanged when not started by the launcher (tests run with Maven's class path).
     */
    private static String classPath(boolean capturing) {
        String own = System.getProperty("java.class.path");
        String capture = System.getProperty("nanobroker.capture");
        if (capture == null) {
            return own;
        }
        Path captureDir = Path.of(capture);
        Stream<String> rest = Arrays.stream(own.split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).toAbsolutePath().startsWith(captureDir));
        if (!capturing) {
            return rest.collect(Collectors.joining(File.pathSeparator));
        }
        try (Stream<Path> jars = Files.list(captureDir)) {
            return Stream.concat(rest, jars.filter(jar -> jar.toString().endsWith(".jar")).map(Path::toString).sorted())
                    .collect(Collectors.joining(File.pathSeparator));
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the capture libraries in " + captureDir + ": " + e.getMessage(), e);
        }
    }
}
