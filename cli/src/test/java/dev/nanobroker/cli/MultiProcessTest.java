package dev.nanobroker.cli;

import dev.nanobroker.ring.testing.Await;
import dev.nanobroker.ring.testing.ChildJvm;
import dev.nanobroker.ring.testing.Children;
import dev.nanobroker.ring.testing.TestRings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** The real commands in real processes: one producer JVM, several reader JVMs, one ring. */
class MultiProcessTest {

    static final Duration RUN_LIMIT = Duration.ofMinutes(3);

    private final TestRings rings = new TestRings();
    private final Children children = new Children();

    @AfterEach
    void cleanUp() throws Exception {
        children.close();
        rings.close();
    }

    private ChildJvm nanobroker(String... args) {
        return children.start(NanoBrokerCommand.class, args);
    }

    /** A JVM stopped by SIGTERM exits with 128 + 15 once its shutdown hooks ran. */
    static final int EXIT_AFTER_SIGTERM = 143;

    private static String summary(ChildJvm child) throws InterruptedException {
        return summary(child, 0);
    }

    /** The child's last stdout line (its report) once it exited with {@code expectedExit}. */
    static String summary(ChildJvm child, int expectedExit) throws InterruptedException {
        int exit = child.awaitExit(RUN_LIMIT);
        String json = child.lastLine(RUN_LIMIT);
        assertEquals(expectedExit, exit, "exit code; stdout " + json + "; stderr " + child.stderr());
        return json;
    }

    @Test
    void underBlockFourReaderProcessesGetEveryOneOf5000FramesIntact() throws Exception {
        String name = rings.newName("block");
        int frames = 5000;
        List<ChildJvm> readers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            readers.add(nanobroker("read", name, "--verify", "--json", "--timeout-s", "60"));
        }
        ChildJvm producer = nanobroker("produce", "--headless", "--name", name, "--size", "320x240",
                "--slots", "8", "--fps", "0", "--frames", Integer.toString(frames), "--policy", "block",
                "--block-timeout-ms", "30000", "--wait-readers", "4", "--json", "--unlink");

        ProduceReport produced = JsonReports.read(summary(producer), ProduceReport.class);
        assertEquals(frames, produced.published(), produced::toString);
        assertEquals(0, produced.producerDrops(), produced::toString);
        for (ChildJvm reader : readers) {
            ReadReport read = JsonReports.read(summary(reader), ReadReport.class);
            ReadReports.assertEveryFrameIntact(read, frames);
            assertEquals(0, read.torn(), read::toString);
            assertEquals("closed", read.stopped(), read::toString);
            assertTrue(read.latencyNs().p50() > 0, read::toString);
        }
    }

    @Test
    void underOverwriteASlowReaderCountsItsLossesAndFastReadersLoseNothing() throws Exception {
        String name = rings.newName("overwrite");
        int frames = 2000;
        ChildJvm slow = nanobroker("read", name, "--verify", "--json", "--hold-ms", "10", "--timeout-s", "60");
        // A display-like reader: as slow, but it wants only the newest frame, so it skips and loses nothing.
        ChildJvm slowLatest = nanobroker("read", name, "--verify", "--json", "--mode", "latest", "--hold-ms", "10", "--timeout-s", "60");
        List<ChildJvm> fast = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            fast.add(nanobroker("read", name, "--verify", "--json", "--timeout-s", "60"));
        }
        // 64 slots at 400 fps: a fast reader may stall 160 ms before it could lose a frame.
        ChildJvm producer = nanobroker("produce", "--headless", "--name", name, "--size", "64x64",
                "--slots", "64", "--fps", "400", "--frames", Integer.toString(frames), "--policy", "overwrite",
                "--wait-readers", "5", "--json", "--unlink");

        ProduceReport produced = JsonReports.read(summary(producer), ProduceReport.class);
        assertEquals(frames, produced.published(), produced::toString);
        assertEquals(0, produced.producerDrops(), produced::toString);
        ReadReport slowRead = JsonReports.read(summary(slow), ReadReport.class);
        assertEquals(frames, slowRead.frames() + slowRead.lost(), slowRead::toString);
        assertTrue(slowRead.lost() > frames / 2, "the slow reader was lapped: " + slowRead);
        assertEquals(0, slowRead.skipped(), "an every reader skips nothing by design: " + slowRead);
        assertTrue(slowRead.delivery().startsWith("lost "), slowRead::toString);
        ReadReport latestRead = JsonReports.read(summary(slowLatest), ReadReport.class);
        assertEquals(0, latestRead.lost(), "a latest reader's skips are not losses: " + latestRead);
        assertTrue(latestRead.skipped() > frames / 2, latestRead::toString);
        assertEquals(frames, latestRead.frames() + latestRead.skipped(), latestRead::toString);
        assertTrue(latestRead.delivery().startsWith("skipped "), latestRead::toString);
        assertEquals(0, slowRead.checksumFailures(), slowRead::toString);
        for (ChildJvm reader : fast) {
            ReadReports.assertEveryFrameIntact(JsonReports.read(summary(reader), ReadReport.class), frames);
        }
    }

    @Test
    void readerKilledWhileHoldingAFrameDoesNotStallABlockProducer() throws Exception {
        String name = rings.newName("killreader");
        ChildJvm holder = nanobroker("read", name, "--hold-ms", "600000", "--timeout-s", "60");
        ChildJvm survivor = nanobroker("read", name, "--verify", "--json", "--timeout-s", "60");
        ChildJvm producer = nanobroker("produce", "--headless", "--name", name, "--size", "64x64",
                "--slots", "4", "--fps", "0", "--frames", "0", "--policy", "block", "--block-timeout-ms", "60000",
                "--wait-readers", "2", "--json", "--unlink");
        // The holder keeps frame 0, so the producer stops at head == slots.
        Await.status(name, status -> status.head() == 4 && status.lockOwner() != 0, Duration.ofSeconds(60));
        holder.kill9();
        long killed = System.nanoTime();
        Await.status(name, status -> status.head() > 100, Duration.ofSeconds(10));
        long resumedMillis = (System.nanoTime() - killed) / 1_000_000;
        assertTrue(resumedMillis < 1000, "producer resumed " + resumedMillis + " ms after the kill");
        producer.terminate();
        ProduceReport produced = JsonReports.read(summary(producer, EXIT_AFTER_SIGTERM), ProduceReport.class);
        assertEquals(0, produced.producerDrops(), produced::toString);
        ReadReport read = JsonReports.read(summary(survivor), ReadReport.class);
        assertEquals(produced.published(), read.frames(), read::toString);
        assertEquals(0, read.checksumFailures(), read::toString);
    }

    @Test
    void readersReattachByThemselvesWhenTheProducerRestarts() throws Exception {
        String name = rings.newName("restart");
        ChildJvm reader = nanobroker("read", name, "--verify", "--json", "--timeout-s", "30");
        ChildJvm first = nanobroker("produce", "--headless", "--name", name, "--size", "64x64",
                "--fps", "500", "--frames", "0", "--wait-readers", "1");
        Await.status(name, status -> status.readers().stream().anyMatch(r -> r.attached() && r.frames() > 50), Duration.ofSeconds(60));
        first.kill9();

        // Same geometry: the new producer takes the ring over; the reader goes on in place.
        ChildJvm second = nanobroker("produce", "--headless", "--name", name, "--size", "64x64",
                "--fps", "500", "--frames", "0");
        Await.status(name, status -> status.epoch() == 2 && status.producerAlive()
                && status.readers().stream().anyMatch(r -> r.attached() && r.frames() > 150), Duration.ofSeconds(60));
        second.kill9();

        // Another geometry: the new producer replaces the file; the reader re-attaches to it.
        ChildJvm third = nanobroker("produce", "--headless", "--name", name, "--size", "128x32",
                "--fps", "500", "--frames", "0");
        Await.status(name, status -> status.geometry().width() == 128
                && status.readers().stream().anyMatch(r -> r.attached() && r.frames() > 50), Duration.ofSeconds(60));
        third.terminate(); // clean exit: closes the ring, the reader finishes
        assertEquals(EXIT_AFTER_SIGTERM, third.awaitExit(RUN_LIMIT), third.stderr());

        ReadReport read = JsonReports.read(summary(reader), ReadReport.class);
        assertEquals(1, read.reattachments(), read::toString);
        assertEquals(0, read.checksumFailures(), read::toString);
        assertEquals(0, read.torn(), read::toString);
        assertEquals("closed", read.stopped(), read::toString);
        assertTrue(read.frames() > 200, read::toString); // > 150 on the first file, > 50 on the second
    }

    @Test
    void twoProducerProcessesShareOneRingThroughTheWriteLock() throws Exception {
        String name = rings.newName("twowriters");
        ChildJvm reader = nanobroker("read", name, "--verify", "--json", "--timeout-s", "60");
        // The ring closes only when its last writer leaves, so the reader sees both writers' frames.
        ChildJvm first = nanobroker("produce", "--headless", "--name", name, "--size", "64x64", "--slots", "16",
                "--fps", "500", "--frames", "2000", "--wait-readers", "1", "--block-timeout-ms", "30000", "--json");
        ChildJvm second = nanobroker("produce", "--headless", "--name", name, "--size", "64x64", "--slots", "16",
                "--fps", "500", "--frames", "1000", "--wait-readers", "1", "--block-timeout-ms", "30000", "--json");
        assertEquals(2000, JsonReports.read(summary(first), ProduceReport.class).published());
        assertEquals(1000, JsonReports.read(summary(second), ProduceReport.class).published());
        ReadReport read = JsonReports.read(summary(reader), ReadReport.class);
        ReadReports.assertEveryFrameIntact(read, 3000);
        assertEquals("closed", read.stopped(), read::toString);
    }

    @Test
    void readerStoppedWithSigtermFreesItsLine() throws Exception {
        String name = rings.newName("sigterm");
        ChildJvm producer = nanobroker("produce", "--headless", "--name", name, "--size", "64x64",
                "--fps", "200", "--frames", "0", "--unlink");
        ChildJvm reader = nanobroker("read", name, "--json", "--timeout-s", "60");
        Await.status(name, status -> status.readers().stream().anyMatch(r -> r.reading() && r.frames() > 10), Duration.ofSeconds(60));
        reader.terminate();
        ReadReport read = JsonReports.read(summary(reader, EXIT_AFTER_SIGTERM), ReadReport.class);
        assertEquals("stopped", read.stopped(), read::toString);
        Await.status(name, status -> status.attachedReaders() == 0, Duration.ofSeconds(5));
        producer.terminate();
        summary(producer, EXIT_AFTER_SIGTERM);
        assertFalse(java.nio.file.Files.exists(rings.pathOf(name)), "--unlink removed the ring");
    }

    @Test
    void decodedLatencyClockMatchesEveryFramesDescriptor() throws Exception {
        String name = rings.newName("clock");
        ChildJvm reader = nanobroker("read", name, "--decode-clock", "--verify", "--json", "--timeout-s", "60");
        ChildJvm producer = nanobroker("produce", "--headless", "--name", name, "--pattern", "clock", "--size", "640x360",
                "--fps", "120", "--frames", "200", "--wait-readers", "1", "--json", "--unlink");
        assertEquals(200, JsonReports.read(summary(producer), ProduceReport.class).published());
        ReadReport read = JsonReports.read(summary(reader), ReadReport.class);
        assertEquals(200, read.frames(), read::toString);
        assertEquals(200, read.clock().decoded(), read::toString);
        assertEquals(0, read.clock().mismatches(), read::toString);
        assertEquals(0, read.clock().unreadable(), read::toString);
        assertEquals(0, read.checksumFailures(), read::toString);
    }

    @Test
    void verifyCountsFramesThatCarriedNoChecksumAsUncheckedNotAsVerified() throws Exception {
        String name = rings.newName("nochecksum");
        ChildJvm jsonReader = nanobroker("read", name, "--verify", "--json", "--timeout-s", "60");
        ChildJvm textReader = nanobroker("read", name, "--verify", "--timeout-s", "60");
        ChildJvm producer = nanobroker("produce", "--headless", "--name", name, "--size", "64x64", "--no-checksum",
                "--fps", "0", "--frames", "100", "--policy", "block", "--block-timeout-ms", "30000",
                "--wait-readers", "2", "--json", "--unlink");
        assertEquals(100, JsonReports.read(summary(producer), ProduceReport.class).published());
        ReadReport read = JsonReports.read(summary(jsonReader), ReadReport.class);
        assertEquals(100, read.frames(), read::toString);
        assertEquals(0, read.checksumFailures(), read::toString);
        assertEquals(100, read.unchecked(), read::toString);
        assertEquals(0, textReader.awaitExit(RUN_LIMIT), textReader.stderr());
        assertTrue(textReader.stdoutLines().stream().anyMatch(line -> line.startsWith(
                "100 frames carried no checksum and were not verified")), textReader.stdoutLines().toString());
    }

    @Test
    void statShowsTheBlockedTimeGrowingWhileABlockWriterWaitsForAReaderHoldingAFrame() throws Exception {
        String name = rings.newName("blockedstat");
        nanobroker("read", name, "--hold-ms", "600000", "--timeout-s", "60");
        nanobroker("produce", "--headless", "--name", name, "--size", "64x64", "--slots", "4", "--fps", "0",
                "--frames", "0", "--policy", "block", "--block-timeout-ms", "60000", "--wait-readers", "1", "--unlink");
        // The reader keeps frame 0: the writer fills the ring, then waits in its claim, holding the lock.
        Await.status(name, status -> status.head() == 4 && status.lockOwner() != 0, Duration.ofSeconds(60));
        long first = blockedMillis(name);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long second = first;
        while (second <= first && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
            second = blockedMillis(name);
        }
        assertTrue(second > first, "blocked_ms did not grow while the writer waited: " + first + " then " + second);
        StringWriter text = new StringWriter();
        assertEquals(0, NanoBrokerCommand.commandLine(new PrintWriter(text, true), new PrintWriter(new StringWriter(), true))
                .execute("stat", name));
        Matcher blocked = Pattern.compile("blocked ([0-9]+) ms").matcher(text.toString());
        assertTrue(blocked.find(), text.toString());
        assertTrue(Long.parseLong(blocked.group(1)) >= second, text.toString());
    }

    /** blocked_ms as {@code nanobroker stat --json} prints it. */
    private static long blockedMillis(String name) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = NanoBrokerCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute("stat", name, "--json");
        assertEquals(0, exit, err.toString());
        return JsonReports.read(out.toString(), StatReport.class).producer().blockedMs();
    }
}
