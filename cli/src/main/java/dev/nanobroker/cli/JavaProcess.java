package dev.nanobroker.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Command lines that start another JVM on this JVM's runtime and class path: one process per role. */
public final class JavaProcess {

    private JavaProcess() {
    }

    /** {@code java -cp <this class path> mainClass args...} */
    public static List<String> command(Class<?> mainClass, List<String> args) {
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
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(args);
        return command;
    }

    /**
     * A nanobroker command in its own JVM; with the launcher's class-data sharing (its archive per
     * command, see the {@code nanobroker} script) when this JVM has it.
     */
    public static List<String> nanobroker(List<String> args) {
        List<String> command = command(NanoBrokerCommand.class, args);
        String archives = System.getProperty("nanobroker.cds");
        if (archives != null && !args.isEmpty()) {
            command.addAll(1, List.of("-XX:SharedArchiveFile=" + Path.of(archives, args.getFirst() + ".jsa"),
                    "-XX:+AutoCreateSharedArchive", "-Xlog:disable", "-Xlog:all=warning,cds*=off:stderr",
                    "-Dnanobroker.cds=" + archives));
        }
        return command;
    }
}
