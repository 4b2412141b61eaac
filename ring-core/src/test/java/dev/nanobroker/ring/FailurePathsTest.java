package dev.nanobroker.ring;

import java.lang.foreign.MemorySegment;

import static dev.nanobroker.ring.HeaderWords.*;

import dev.nanobroker.ring.testing.TestFrames;
import dev.nanobroker.ring.testing.TestRings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static dev.nanobroker.ring.RingLayout.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The paths around the protocol: a failed claim never strands the lock, a closed or superseded handle
 * touches nothing, replacing a ring is one producer's job, and a blocked writer shows as blocked.
 */
class FailurePathsTest {

    private static final RingGeometry SMALL = RingGeometry.of(16, 4, 3);

    private final TestRings rings = new TestRings();

    @AfterEach
    void removeRings() throws Exception {
        rings.close();
    }

    private static long lockOwner(SharedRing ring) {
        return getLongAcquire(ring.header(), LOCK_OWNER_OFFSET);
    }

    @Test
    void aCorruptHeadIsAClearErrorAndTheLockIsReleased() {
        try (SharedRing ring = SharedRing.create(rings.newName("corrupthead"), SMALL)) {
            RingWriter writer = ring.writer(OverflowPolicy.block(Duration.ofSeconds(1)));
            putLongRelease(ring.header(), HEAD_OFFSET, -1L);
            RingException e = assertThrows(RingException.class, writer::claim);
            assertTrue(e.getMessage().contains("is corrupt: its HEAD is -1"), e.getMessage());
            assertEquals(0, lockOwner(ring), "the lock is free again");
            long lastReaderCounters = readerOffset(MAX_READERS - 1) + READER_FRAMES_OFFSET + 56;
            assertEquals(0L, getLongAcquire(ring.header(), lastReaderCounters), "no WRITING mark before the descriptors");
            RingException attach = assertThrows(RingException.class, () -> ring.attachReader(ReadMode.EVERY));
            assertTrue(attach.getMessage().contains("is corrupt: its HEAD is -1"), attach.getMessage());
            assertEquals(0, ring.status().attachedReaders(), "a refused reader leaves its line free");
            assertFalse(ring.copyFrame(-1, java.lang.foreign.MemorySegment.ofArray(new byte[(int) SMALL.frameLength()])));
            putLongRelease(ring.header(), HEAD_OFFSET, 0L);
            TestFrames.fill(writer.claim()).publish();
            assertEquals(1, ring.head());
        }
    }

    @Test
    void closingAWriterWhileItsClaimWaitsReleasesTheLock() throws Exception {
        String name = rings.newName("closewaiting");
        try (SharedRing readerSide = SharedRing.create(name, SMALL)) {
            RingReader reader = readerSide.attachReader(ReadMode.EVERY);
            SharedRing writerSide = SharedRing.open(name, true);
            RingWriter writer = writerSide.writer(OverflowPolicy.block(Duration.ofSeconds(60)));
            TestFrames.fill(writer.claim()).publish();
            assertNotNull(reader.poll()); // held: the ring fills after two more frames
            for (int i = 1; i < SMALL.slotCount(); i++) {
                TestFrames.fill(writer.claim()).publish();
            }
            CompletableFuture<FrameClaim> waiting = CompletableFuture.supplyAsync(writer::claim);
            awaitLockHeldBy(readerSide, ProcessIdentity.current());
            writerSide.close();
            ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, e.getCause());
            assertEquals(0, lockOwner(readerSide), "a claim that gave up released the lock");
            assertTrue(reader.release());
        }
    }

    private static void awaitLockHeldBy(SharedRing ring, long token) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (lockOwner(ring) != token) {
            assertTrue(System.nanoTime() < deadline, "the writer never took the lock");
            Thread.sleep(1);
        }
    }

    @Test
    void aBlockedWriterShowsItsWaitWhileItWaits() throws Exception {
        String name = rings.newName("blockedtime");
        try (SharedRing ring = SharedRing.create(name, SMALL)) {
            RingReader reader = ring.attachReader(ReadMode.EVERY);
            RingWriter writer = ring.writer(OverflowPolicy.block(Duration.ofSeconds(60)));
            TestFrames.fill(writer.claim()).publish();
            assertNotNull(reader.poll());
            for (int i = 1; i < SMALL.slotCount(); i++) {
                TestFrames.fill(writer.claim()).publish();
            }
            CompletableFuture<FrameClaim> waiting = CompletableFuture.supplyAsync(writer::claim);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (ring.status().blockedNanos() < TimeUnit.MILLISECONDS.toNanos(100)) {
                assertTrue(System.nanoTime() < deadline, "blocked time never grew while the writer waited");
                Thread.sleep(5);
            }
            assertFalse(waiting.isDone(), "still waiting while its wait shows");
            assertTrue(reader.release());
            waiting.get(10, TimeUnit.SECONDS).abort();
        }
    }

    @Test
    void everyCallOnAClosedReaderFailsAndTouchesNothing() {
        try (SharedRing ring = SharedRing.create(rings.newName("closedreader"), SMALL)) {
            RingWriter writer = ring.writer(OverflowPolicy.overwrite());
            RingReader closed = ring.attachReader(ReadMode.EVERY);
            closed.close();
            RingReader next = ring.attachReader(ReadMode.EVERY); // same process, same (now free) line
            assertEquals(closed.line(), next.line());
            TestFrames.fill(writer.claim()).publish();
            long tailBefore = getLongAcquire(ring.header(), readerOffset(next.line()) + READER_TAIL_OFFSET);
            assertThrows(IllegalStateException.class, closed::poll);
            assertThrows(IllegalStateException.class, closed::release);
            assertThrows(IllegalStateException.class, new DisplayReader(closed)::poll);
            assertThrows(IllegalStateException.class, closed::caughtUp);
            closed.close();
            assertEquals(tailBefore, getLongAcquire(ring.header(), readerOffset(next.line()) + READER_TAIL_OFFSET));
            assertNotNull(next.poll(), "the line's new reader reads on");
            writer.close();
            assertThrows(IllegalStateException.class, writer::claim);
        }
    }

    @Test
    void aReaderWhoseLineWasFreedBehindItsBackNeverTouchesTheLinesNextReader() {
        try (SharedRing ring = SharedRing.create(rings.newName("stalereader"), SMALL)) {
            RingWriter writer = ring.writer(OverflowPolicy.overwrite());
            RingReader stale = ring.attachReader(ReadMode.EVERY);
            long base = readerOffset(stale.line());
            // What a process that wrongly judged this one dead would do (docs/ring-layout.md §10).
            putLongRelease(ring.header(), base + READER_TAIL_OFFSET, TAIL_FREE);
            putLongRelease(ring.header(), base + READER_OWNER_OFFSET, 0L);
            RingReader sibling = ring.attachReader(ReadMode.EVERY);
            assertEquals(stale.line(), sibling.line());
            TestFrames.fill(writer.claim()).publish();
            assertThrows(IllegalStateException.class, stale::poll);
            stale.close();
            assertEquals(ProcessIdentity.current(), getLongAcquire(ring.header(), base + READER_OWNER_OFFSET),
                    "the sibling still owns the line");
            assertEquals(0L, getLongAcquire(ring.header(), base + READER_TAIL_OFFSET));
            assertNotNull(sibling.poll());
        }
    }

    @Test
    void aWriterWaitingForTheLockOfAReplacedRingFailsInsteadOfWaitingForever() throws Exception {
        String name = rings.newName("replacedwait");
        try (SharedRing ring = SharedRing.create(name, SMALL)) {
            RingWriter writer = ring.writer(OverflowPolicy.block(Duration.ofSeconds(1)));
            // A replacer holds the old file's lock for good (docs/ring-layout.md §2).
            putLongRelease(ring.header(), LOCK_OWNER_OFFSET, ProcessIdentity.current());
            CompletableFuture<FrameClaim> waiting = CompletableFuture.supplyAsync(writer::claim);
            String other = rings.newName("replacement");
            SharedRing.create(other, SMALL).close();
            Files.move(rings.pathOf(other), rings.pathOf(name), StandardCopyOption.ATOMIC_MOVE);
            ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
            assertInstanceOf(RingException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("was replaced or removed"), e.getCause().getMessage());
        }
    }

    /**
     * Two producers replace one dead ring of another geometry at once, many times over: each ends up
     * writing into the file that has the name (one created it, the other joined it), never into a
     * file without a name.
     */
    @Test
    void twoProducersReplacingOneDeadRingEndUpOnTheSameFile() throws Exception {
        String name = rings.newName("tworeplacers");
        RingGeometry bigger = RingGeometry.of(32, 4, 3);
        int rounds = 40;
        try (ExecutorService twoThreads = Executors.newFixedThreadPool(2)) {
        for (int round = 0; round < rounds; round++) {
            SharedRing.unlink(name);
            SharedRing.create(name, SMALL).close(); // no writer attached: no live producer
            CyclicBarrier start = new CyclicBarrier(2);
            List<CompletableFuture<SharedRing>> replacers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                replacers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return SharedRing.openForWriting(name, bigger);
                }, twoThreads));
            }
            for (CompletableFuture<SharedRing> replacer : replacers) {
                try (SharedRing ring = replacer.get(30, TimeUnit.SECONDS)) {
                    assertEquals(bigger, ring.geometry());
                    assertFalse(ring.isReplaced(), "round " + round + ": a producer was left with a file without a name");
                }
            }
        }
        }
    }

    @Test
    void creatingARingRemovesTheTemporaryADeadCreatorLeftBehind() throws Exception {
        String name = rings.newName("deadcreator");
        Process exited = new ProcessBuilder("/bin/true").start();
        exited.waitFor();
        var leftover = SharedRing.DIRECTORY.resolve("." + name + ".creating-" + exited.pid() + "-5eed");
        Files.write(leftover, new byte[4096]);
        var ours = SharedRing.DIRECTORY.resolve("." + name + ".creating-" + ProcessHandle.current().pid() + "-5eed");
        Files.write(ours, new byte[4096]);
        try (SharedRing ring = SharedRing.create(name, SMALL)) {
            assertFalse(Files.exists(leftover), "a dead creator's temporary is removed");
            assertTrue(Files.exists(ours), "a live creator's temporary is left alone");
        } finally {
            Files.deleteIfExists(ours);
        }
    }

    /**
     * /dev/shm fills up between the free-space check and the pages being touched: the reservation
     * (posix_fallocate) answers ENOSPC with one clear line and leaves nothing behind, where touching
     * the pages of a sparse file would raise SIGBUS. Needs root, for a small private /dev/shm.
     */
    @Test
    void aFullDevShmIsAClearErrorNotACrash() throws Exception {
        assumeTrue(Files.getAttribute(java.nio.file.Path.of("/proc/self"), "unix:uid").equals(0),
                "needs root to mount a small /dev/shm in a mount namespace");
        String script = "unshare -m --propagation private sh -c 'mount -t tmpfs -o size=1m tmpfs /dev/shm"
                + " && exec \"$0\" \"$@\"' \"$0\" \"$@\"";
        try (var child = dev.nanobroker.ring.testing.ChildJvm.startThrough(script, ReserveRingMain.class,
                "nbtest-full", "1024", "512", "4")) {
            assertEquals(0, child.awaitExit(Duration.ofSeconds(30)), child.stderr());
            List<String> lines = child.stdoutLines();
            assumeTrue(!lines.isEmpty(), "could not mount a private /dev/shm: " + child.stderr());
            assertTrue(lines.get(0).matches("REFUSED ring nbtest-full needs 8\\.[0-9] MB but /dev/shm has only 1\\.0 MB free.*"),
                    lines.toString());
            assertEquals("LEFT ", lines.get(1), "no temporary file left");
        }
    }
}
