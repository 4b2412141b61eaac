package dev.nanobroker.ring;

import dev.nanobroker.ring.testing.ChildJvm;
import dev.nanobroker.ring.testing.Children;
import dev.nanobroker.ring.testing.CreatingTemporaryMain;
import dev.nanobroker.ring.testing.HoldingReaderMain;
import dev.nanobroker.ring.testing.LockHoldingWriterMain;
import dev.nanobroker.ring.testing.TestRings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Stale rings and dead creators' temporaries, made by real processes that are SIGKILLed. Every
 * removal is limited to this test's own names: other tests (and other people) may have stale rings
 * in /dev/shm at the same time, and a killed producer's ring may be one a test is about to take over.
 */
class StaleRingsTest {

    private static final Duration STARTUP = Duration.ofSeconds(30);

    private final TestRings rings = new TestRings();
    private final Children children = new Children();

    @AfterEach
    void cleanUp() throws Exception {
        children.close();
        rings.close();
    }

    private static RingStatus status(String name) {
        try (SharedRing ring = SharedRing.open(name)) {
            return ring.status();
        }
    }

    private static StaleRings.Report removeDead(String name) {
        return StaleRings.removeDead(name::equals, Duration.ZERO);
    }

    @Test
    void ringIsStaleOnlyOnceItsWriterAndItsReaderProcessesAreBothDead() throws Exception {
        String name = rings.newName("stale");
        ChildJvm writer = children.start(LockHoldingWriterMain.class, name, "32", "8", "4", "2");
        writer.awaitLine(line -> line.startsWith("HOLDING"), STARTUP);
        assertFalse(StaleRings.isStale(status(name)), "a live writer");

        ChildJvm reader = children.start(HoldingReaderMain.class, name);
        reader.awaitLine(line -> line.startsWith("ATTACHED"), STARTUP);
        writer.kill9();
        RingStatus readerOnly = status(name);
        assertEquals(0, readerOnly.liveWriters(), readerOnly.toString());
        assertFalse(StaleRings.isStale(readerOnly), "a live reader, its writer dead: " + readerOnly);
        StaleRings.Report untouched = removeDead(name);
        assertTrue(untouched.empty(), untouched.toString());
        assertTrue(Files.exists(rings.pathOf(name)));

        reader.kill9();
        RingStatus dead = status(name);
        assertTrue(StaleRings.isStale(dead), dead.toString());
        assertEquals(1, StaleRings.deadReaders(dead));

        StaleRings.Report report = removeDead(name);
        assertEquals(List.of(new StaleRings.RemovedRing(name, (int) writer.pid(), false, 1,
                RingGeometry.of(32, 8, 4).fileLength())), report.rings(), report.toString());
        assertEquals(List.of(), report.skipped());
        assertFalse(Files.exists(rings.pathOf(name)), "the stale ring is gone");
        assertTrue(removeDead(name).empty(), "nothing left to remove");
    }

    @Test
    void staleRingYoungerThanTheMinimumAgeIsLeftToItsProducer() {
        String name = rings.newName("young");
        // Created, no writer attached yet: what a producer's ring looks like for a moment.
        try (SharedRing ring = SharedRing.create(name, RingGeometry.of(16, 16, 2))) {
            assertTrue(StaleRings.isStale(ring.status()));
            StaleRings.Report report = StaleRings.removeDead(name::equals, Duration.ofMinutes(10));
            assertEquals(List.of(), report.rings());
            assertEquals(1, report.skipped().size(), report.toString());
            assertEquals(StaleRings.SkipReason.TOO_YOUNG, report.skipped().getFirst().reason());
            assertTrue(Files.exists(rings.pathOf(name)));
        }
    }

    @Test
    void fileThatIsNotAValidRingIsReportedNotRemoved() throws IOException {
        String name = rings.newName("invalid");
        SharedRing.create(name, RingGeometry.of(16, 16, 2)).close();
        try (FileChannel file = FileChannel.open(rings.pathOf(name), StandardOpenOption.WRITE)) {
            file.truncate(5000);
        }
        StaleRings.Report report = removeDead(name);
        assertEquals(List.of(), report.rings());
        assertEquals(1, report.skipped().size(), report.toString());
        StaleRings.Skipped skipped = report.skipped().getFirst();
        assertEquals(name, skipped.name());
        assertEquals(StaleRings.SkipReason.NOT_A_RING, skipped.reason());
        assertTrue(skipped.detail().contains("truncated"), skipped.detail());
        assertTrue(Files.exists(rings.pathOf(name)), "left in place");
    }

    @Test
    void temporaryOfADeadCreatorIsFoundAndRemovedOneOfALivePidIsNot() throws Exception {
        String name = rings.newName("creating");
        ChildJvm creator = children.start(CreatingTemporaryMain.class, name, "300000");
        Path dying = Path.of(creator.awaitLine(line -> line.startsWith("CREATED "), STARTUP).substring("CREATED ".length()));
        // This JVM runs: its pid is live, whatever the file's story.
        Path live = SharedRing.DIRECTORY.resolve("." + name + ".creating-" + ProcessHandle.current().pid() + "-abc123");
        Files.createFile(live);
        try {
            assertEquals(List.of(), StaleRings.deadCreatorTemporaries(name), "its creator still runs");

            creator.kill9();
            assertEquals(List.of(dying), StaleRings.deadCreatorTemporaries(name));
            assertTrue(StaleRings.deadCreatorTemporaries().contains(dying));
            assertFalse(StaleRings.deadCreatorTemporaries().contains(live));

            StaleRings.Report report = removeDead(name);
            assertEquals(List.of(new StaleRings.Temporary(dying, name, (int) creator.pid(), 300000)),
                    report.temporaries(), report.toString());
            assertFalse(Files.exists(dying));
            assertTrue(Files.exists(live), "a live pid's temporary stays");
        } finally {
            Files.deleteIfExists(live);
        }
    }

    @Test
    void temporariesOfOneNameAreNotAnothers() throws IOException {
        String name = rings.newName("prefix");
        // A pid no process has (above any pid_max): dead.
        Path other = SharedRing.DIRECTORY.resolve("." + name + "-longer.creating-2147483647-1f");
        Files.createFile(other);
        try {
            assertEquals(List.of(), StaleRings.deadCreatorTemporaries(name));
            assertEquals(List.of(other), StaleRings.deadCreatorTemporaries(name + "-longer"));
        } finally {
            Files.deleteIfExists(other);
        }
    }
}
