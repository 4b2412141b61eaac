package dev.nanobroker.process;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class StopSignalTest {

    private static final long DEADLINE_SECONDS = 30;

    @Test
    void sigtermRunsTheActionAndTheJvmWaitsForTheLoopToCleanUp() throws Exception {
        Process child = new ProcessBuilder(JavaProcess.command(List.of(), JavaProcess.classPath(),
                StoppableLoop.class.getName(), List.of())).redirectErrorStream(true).start();
        try {
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread.ofVirtual().start(() -> pump(child.inputReader(StandardCharsets.UTF_8), lines));

            assertEquals("looping", lines.poll(DEADLINE_SECONDS, TimeUnit.SECONDS));
            child.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its stdout

            assertEquals("on signal", lines.poll(DEADLINE_SECONDS, TimeUnit.SECONDS));
            assertEquals("cleaned up", lines.poll(DEADLINE_SECONDS, TimeUnit.SECONDS));
            assertTrue(child.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS), "the child ended");
            assertEquals(128 + 15, child.exitValue(), "the child ended by SIGTERM");
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void withoutASignalNothingIsRequested() {
        try (StopSignal stop = new StopSignal()) {
            assertFalse(stop.requested());
        }
    }

    private static void pump(BufferedReader reader, BlockingQueue<String> lines) {
        try (reader) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException childGone) {
            // The test fails on the line it waits for.
        }
    }
}
