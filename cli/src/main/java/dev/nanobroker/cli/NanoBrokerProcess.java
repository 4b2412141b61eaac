package dev.nanobroker.cli;

import dev.nanobroker.process.JavaProcess;
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

/** A nanobroker command in its own JVM, as the demo and the soak start their producer and readers. */
final class NanoBrokerProcess {

    /**
     * The commands that may capture from a camera or a file, or encode and decode frames ({@code bridge
     * --codec}), so need JavaCV's and FFmpeg's jars on their class path (the launcher keeps the same
     * list); every other command runs without them.
     */
    static final Set<String> CAPTURING_COMMANDS = Set.of("produce", "demo", "soak", "bridge");

    /**
     * The most reader processes the demo and the soak start: every reader line but one, which stays
     * free so that a {@code read} or a Python reader can still join the ring to look.
     */
    static final int MAX_CHILD_READERS = RingLayout.MAX_READERS - 1;

    /**
     * What a JVM running Aeron needs on JDK 25: the launcher gives every command the list
     * ({@code -Dnanobroker.aeronJvmOptions}, the root pom's {@code aeron.jvm.options}, as the tests have it).
     */
    static final List<String> AERON_OPTIONS = Arrays.stream(System.getProperty("nanobroker.aeronJvmOptions", "").split(" "))
            .filter(option -> !option.isBlank()).toList();

    private NanoBrokerProcess() {
    }

    /**
     * {@code nanobroker args...} in its own JVM on this JVM's runtime, class path and JavaFX; with the
     * launcher's class-data sharing (its archive per command, see the {@code nanobroker} script) when
     * this JVM has it.
     */
    static List<String> command(List<String> args) {
        List<String> options = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC"));
        if (!args.isEmpty() && args.getFirst().equals("bridge")) {
            options.addAll(AERON_OPTIONS);
        }
        JavaProcess.modulePath().ifPresent(modulePath -> options.addAll(JavaProcess.javaFxOptions(modulePath)));
        String archives = System.getProperty("nanobroker.cds");
        if (archives != null && !args.isEmpty()) {
            options.addAll(0, List.of("-XX:SharedArchiveFile=" + Path.of(archives, args.getFirst() + ".jsa"),
                    "-XX:+AutoCreateSharedArchive", "-Xlog:disable", "-Xlog:all=warning,cds*=off:stderr",
                    "-Dnanobroker.cds=" + archives));
        }
        return JavaProcess.command(options, classPath(!args.isEmpty() && CAPTURING_COMMANDS.contains(args.getFirst())),
                NanoBrokerCommand.class.getName(), args);
    }

    /**
     * This JVM's class path, with the launcher's capture libraries ({@code -Dnanobroker.capture}) or
     * without them; unchanged when not started by the launcher (tests run with Maven's class path).
     */
    private static String classPath(boolean capturing) {
        String own = JavaProcess.classPath();
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
