package dev.nanobroker.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Command lines that start another JVM on this JVM's runtime: {@code java OPTIONS... -cp CLASS_PATH
 * MAIN_CLASS ARGS...}. What the options are (heap, garbage collector, JavaFX) is the caller's choice.
 */
public final class JavaProcess {

    private JavaProcess() {
    }

    /** {@code java options... -cp classPath mainClass args...}, with the java of this JVM's runtime. */
    public static List<String> command(List<String> options, String classPath, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /** This JVM's class path. */
    public static String classPath() {
        return System.getProperty("java.class.path");
    }

    /** This JVM's module path, where the launcher puts JavaFX; empty when it has none (tests, the bench). */
    public static Optional<String> modulePath() {
        return Optional.ofNullable(System.getProperty("jdk.module.path")).filter(path -> !path.isEmpty());
    }

    /** The options that run JavaFX from the modules in {@code modulePath}, as the launcher runs the windows. */
    public static List<String> javaFxOptions(String modulePath) {
        return List.of("--module-path", modulePath, "--add-modules", "javafx.controls",
                "--enable-native-access=javafx.graphics,ALL-UNNAMED");
    }
}
