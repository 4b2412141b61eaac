package dev.nanobroker.process;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class JavaProcessTest {

    @Test
    void startsThisRuntimesJavaWithTheOptionsBeforeTheClassPathAndTheMainClass() {
        List<String> command = JavaProcess.command(List.of("-Xmx64m", "-XX:+UseSerialGC"), "a.jar:lib/*", "x.Main", List.of("one", "two"));

        assertEquals(List.of("-Xmx64m", "-XX:+UseSerialGC", "-cp", "a.jar:lib/*", "x.Main", "one", "two"),
                command.subList(1, command.size()));
        Path java = Path.of(command.getFirst());
        assertEquals(Path.of(System.getProperty("java.home")), java.getParent().getParent());
        assertTrue(Files.isExecutable(java), java + " is executable");
    }
}
