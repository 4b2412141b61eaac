package dev.nanobroker.ring;

import dev.nanobroker.ring.testing.ChildJvm;
import dev.nanobroker.ring.testing.HoldingReaderMain;
import dev.nanobroker.ring.testing.LockHoldingWriterMain;
import dev.nanobroker.ring.testing.TestFrames;
import dev.nanobroker.ring.testing.TestRings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Processes killed with SIGKILL at the worst moment, and the ring going on without them. */
class CrashRecoveryTest {

    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final long RECOVERY_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final TestRings rings = new TestRings();

    @AfterEach
    void removeRings() throws Exception {
        rings.close();
    }

    @Test
    void readerKilledWhileHoldingAFrameStopsGatingABlockedWriterWithinOneSecond() throws Exception {
        String name = rings.newName("deadreader");
        int slots = 4;
        try (SharedRing ring = SharedRing.create(name, RingGeometry.of(32, 8, slots));
             ChildJvm holder = ChildJvm.start(HoldingReaderMain.class, name)) {
            RingWriter writer = ring.writer(OverflowPolicy.block(Duration.ofSeconds(60)));
            holder.awaitLine(line -> line.startsWith("ATTACHED"), STARTUP);
            for (int i = 0; i < slots; i++) {
                TestFrames.fill(writer.claim()).publish();
            }
            holder.awaitLine(line -> line.equals("HOLDING 0"), STARTUP);
            // The ring is full and the holder keeps frame 0: the next claim blocks until it dies.
            CompletableFuture<Long> nextPublished = CompletableFuture.supplyAsync(() -> {
                FrameClaim claim = writer.claim();
                TestFrames.fill(claim).publish();
                return System.nanoTime();
            });
            awaitWriterInClaim(ring);
            assertFalse(nextPublished.isDone(), "the writer must wait for the holding reader");
            long killed = System.nanoTime();
            holder.kill9();
            long recovered = nextPublished.get(10, TimeUnit.SECONDS);
            assertTrue(recovered - killed < RECOVERY_LIMIT_NANOS,
                    "writer went on " + (recovered - killed) / 1_000_000 + " ms after the kill");
            assertEquals(0, ring.status().attachedReaders(), "the dead reader's line is free");
            assertEquals(0, writer.producerDrops());
        }
    }

    /** The claim holds the write lock while it waits for room: that is how we know it waits. */
    private static void awaitWriterInClaim(SharedRing ring) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ring.status().lockOwner() != ProcessIdentity.current()) {
            assertTrue(System.nanoTime() < deadline, "the writer never entered its claim");
            Thread.sleep(1);
        }
    }

    @Test
    void writerKilledHoldingTheLockIsTakenOverAndNoTornFrameIsDelivered() throws Exception {
        String name = rings.newName("deadwriter");
        int goodFrames = 5;
        RingGeometry geometry = RingGeometry.of(64, 16, 8); // room for every frame: the reader reads at the end
        try (SharedRing ring = SharedRing.create(name, geometry);
             ChildJvm dying = ChildJvm.start(LockHoldingWriterMain.class, name, "64", "16", "8", Integer.toString(goodFrames))) {
            RingReader reader = ring.attachReader(ReadMode.EVERY);
            dying.awaitLine(line -> line.equals("HOLDING " + goodFrames), STARTUP);
            assertEquals(dying.pid(), ProcessIdentity.pid(ring.status().lockOwner()));
            long killed = System.nanoTime();
            dying.kill9();

            try (SharedRing again = SharedRing.openForWriting(name, geometry)) {
                RingWriter writer = again.writer(OverflowPolicy.block(Duration.ofSeconds(5)));
                FrameClaim claim = writer.claim();
                long tookOver = System.nanoTime();
                assertTrue(tookOver - killed < RECOVERY_LIMIT_NANOS,
                        "lock taken over " + (tookOver - killed) / 1_000_000 + " ms after the kill");
                assertEquals(1, writer.lockTakeovers());
                assertEquals(goodFrames, claim.sequence(), "the half-written frame was never published");
                TestFrames.fill(claim).publish();

                readIntactInOrder(reader, 0, goodFrames);
                assertNull(reader.poll());
                assertEquals(0, reader.torn());
            }
        }
    }

    @Test
    void writerKilledBetweenSequenceAndHeadHasItsFrameFinishedNotRewritten() throws Exception {
        String name = rings.newName("halfpublished");
        int goodFrames = 3;
        RingGeometry geometry = RingGeometry.of(64, 16, 8);
        try (SharedRing ring = SharedRing.create(name, geometry);
             ChildJvm dying = ChildJvm.start(LockHoldingWriterMain.class, name, "64", "16", "8",
                     Integer.toString(goodFrames), "sequence-stored")) {
            RingReader reader = ring.attachReader(ReadMode.EVERY);
            dying.awaitLine(line -> line.equals("HOLDING " + goodFrames), STARTUP);
            dying.kill9();
            assertEquals(goodFrames, ring.head(), "the head never moved past the dead writer's frame");

            // An every-mode reader looks at the slot before the head, so it may take that frame now.
            readIntactInOrder(reader, 0, goodFrames);

            try (SharedRing again = SharedRing.openForWriting(name, geometry)) {
                RingWriter writer = again.writer(OverflowPolicy.block(Duration.ofSeconds(5)));
                FrameClaim claim = writer.claim();
                assertEquals(1, writer.lockTakeovers());
                assertEquals(goodFrames + 1, claim.sequence(), "the dead writer's complete frame keeps its sequence");
                TestFrames.fill(claim).publish();
                readIntactInOrder(reader, goodFrames + 1, goodFrames + 1);
                assertNull(reader.poll());
                assertEquals(0, reader.torn());
                assertEquals(0, reader.lost());
            }
        }
    }

    /** Polls frames {@code first..last} in order, each intact from poll to release. */
    private static void readIntactInOrder(RingReader reader, long first, long last) {
        for (long expected = first; expected <= last; expected++) {
            Frame frame = reader.poll();
            assertNotNull(frame, "frame " + expected);
            assertEquals(expected, frame.sequence());
            assertTrue(TestFrames.intact(frame), "frame " + expected + " is intact");
            assertTrue(reader.release());
        }
    }
}
