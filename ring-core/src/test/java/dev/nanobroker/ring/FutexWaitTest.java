package dev.nanobroker.ring;

import dev.nanobroker.ring.testing.Await;
import dev.nanobroker.ring.testing.ChildJvm;
import dev.nanobroker.ring.testing.Children;
import dev.nanobroker.ring.testing.TestRings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.nanobroker.ring.HeaderWords.getIntVolatile;
import static dev.nanobroker.ring.RingLayout.SLEEPERS_OFFSET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Readers that sleep on the head with {@link WaitStrategy#futex()} (docs/ring-layout.md §9,
 * "Sleeping"): woken by a publish and by a close, never left asleep by a lost wake-up, and a reader
 * that died asleep no longer counted once its line is reclaimed. Each wait has a timeout far longer
 * than any wake-up takes; a reader sleeps at most 50 ms at a time, so a lost wake-up shows as a
 * frame seen about 50 ms after its publish.
 */
class FutexWaitTest {

    private static final long LONG_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);
    /** Far below LONG_TIMEOUT and far above any wake-up, even on a loaded machine. */
    private static final long WOKEN_WITHIN_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Close to a reader's longest single sleep (50 ms): what a frame whose wake-up was lost waits. */
    private static final long MISSED_WAKE_UP_NANOS = 45_000_000L;

    private final TestRings rings = new TestRings();

    @AfterEach
    void removeRings() throws Exception {
        rings.close();
    }

    @Test
    void aSleepingReaderIsWokenByAPublishAndStopsCountingAsASleeper() throws Exception {
        String name = rings.newName("futex-wake");
        try (SharedRing ring = SharedRing.create(name, RingGeometry.of(16, 8, 4));
             RingWriter writer = ring.writer(OverflowPolicy.block(Duration.ofSeconds(5)));
             RingReader reader = ring.attachReader(ReadMode.EVERY)) {
            CompletableFuture<Long> waited = CompletableFuture.supplyAsync(() -> {
                long start = System.nanoTime();
                Frame frame = reader.poll(LONG_TIMEOUT_NANOS, WaitStrategy.futex());
                assertNotNull(frame, "a frame");
                reader.release();
                return System.nanoTime() - start;
            });
            Await.until(() -> sleepers(ring) != 0, "the reader to sleep");
            writer.claim().publish();
            long nanos = waited.get(30, TimeUnit.SECONDS);
            assertTrue(nanos < WOKEN_WITHIN_NANOS, "woken after " + nanos / 1_000_000 + " ms");
            assertEquals(0, sleepers(ring), "nobody sleeps any more");
        }
    }

    @Test
    void closingTheLastWriterWakesASleepingReader() throws Exception {
        String name = rings.newName("futex-close");
        try (SharedRing ring = SharedRing.create(name, RingGeometry.of(16, 8, 4));
             RingReader reader = ring.attachReader(ReadMode.EVERY)) {
            RingWriter writer = ring.writer(OverflowPolicy.drop());
            CompletableFuture<Long> waited = CompletableFuture.supplyAsync(() -> {
                long start = System.nanoTime();
                assertNull(reader.poll(LONG_TIMEOUT_NANOS, WaitStrategy.futex()), "no frame, the ring closed");
                return System.nanoTime() - start;
            });
            Await.until(() -> sleepers(ring) != 0, "the reader to sleep");
            writer.close();
            long nanos = waited.get(30, TimeUnit.SECONDS);
            assertTrue(nanos < WOKEN_WITHIN_NANOS, "returned after " + nanos / 1_000_000 + " ms");
            assertTrue(ring.isClosedByProducer());
        }
    }

    /**
     * The lost-wake-up race, between processes: a writer in another JVM publishes bursts with gaps
     * from none to a few microseconds, so that publishes keep landing between a reader's
     * announcement, its look at the head and its sleep. Every frame arrives, in order, and no wait
     * comes near its timeout.
     */
    @Test
    void noWakeUpIsLostToAWriterInAnotherProcess() throws Exception {
        String name = rings.newName("futex-race");
        int frames = 20_000;
        try (SharedRing ring = SharedRing.create(name, RingGeometry.of(16, 8, 8));
             RingReader reader = ring.attachReader(ReadMode.EVERY);
             Children children = new Children()) {
            ChildJvm writer = children.start(BurstWriterMain.class, name, Integer.toString(frames));
            long longestWait = 0;
            int lateFrames = 0;
            for (long expected = 0; expected < frames; expected++) {
                long start = System.nanoTime();
                Frame frame = reader.poll(LONG_TIMEOUT_NANOS, WaitStrategy.futex());
                longestWait = Math.max(longestWait, System.nanoTime() - start);
                assertNotNull(frame, "frame " + expected + " within the timeout; writer: " + writer.stderr());
                assertEquals(expected, frame.sequence());
                if (frame.latencyNanos() >= MISSED_WAKE_UP_NANOS) {
                    lateFrames++;
                }
                assertTrue(reader.release());
            }
            assertEquals(0, writer.awaitExit(Duration.ofSeconds(30)), writer.stderr());
            int publishesWithASleeper = Integer.parseInt(writer.lastLine(Duration.ofSeconds(5)).split(" ")[1]);
            assertTrue(publishesWithASleeper > frames / 20, "the reader slept often enough to race: "
                    + publishesWithASleeper + " publishes found it asleep");
            assertEquals(frames, reader.frames());
            assertEquals(0, reader.lost());
            assertTrue(longestWait < WOKEN_WITHIN_NANOS, "longest wait " + longestWait / 1_000_000 + " ms");
            // A lost wake-up leaves the frame to the end of the reader's capped sleep (50 ms); a broken
            // protocol loses thousands, a loaded machine may delay a few.
            assertTrue(lateFrames < 10, lateFrames + " frames seen 45 ms or more after their publish");
        }
    }

    @Test
    void aReaderKilledAsleepIsNoLongerASleeperOnceItsLineIsReclaimed() throws Exception {
        String name = rings.newName("futex-killed");
        try (SharedRing ring = SharedRing.create(name, RingGeometry.of(16, 8, 4));
             Children children = new Children()) {
            ChildJvm sleeper = children.start(SleepingReaderMain.class, name);
            Await.until(() -> sleepers(ring) != 0, "the child reader to sleep");
            sleeper.kill9();
            assertTrue(sleepers(ring) != 0, "its bit outlives it");
            Await.until(() -> ring.reclaimDeadReaders() > 0 || sleepers(ring) == 0, "its line to be reclaimed");
            assertEquals(0, sleepers(ring));
        }
    }

    private static int sleepers(SharedRing ring) {
        return getIntVolatile(ring.header(), SLEEPERS_OFFSET);
    }

    /**
     * Publishes N frames, a quarter of them after a random gap of up to 200 µs (busy-waited: longer
     * than the reader's spin, so it goes to sleep, and short enough that publishes land in every
     * step of its going to sleep), then closes. Prints how many publishes found a sleeper.
     */
    public static final class BurstWriterMain {
        public static void main(String[] args) {
            int frames = Integer.parseInt(args[1]);
            SplittableRandom random = new SplittableRandom(42);
            int publishesWithASleeper = 0;
            try (SharedRing ring = SharedRing.openForWriting(args[0], RingGeometry.of(16, 8, 8));
                 RingWriter writer = ring.writer(OverflowPolicy.block(Duration.ofSeconds(20)))) {
                for (int frame = 0; frame < frames; frame++) {
                    FrameClaim claim = writer.claim();
                    if (claim == null) {
                        throw new IllegalStateException("frame " + frame + " dropped: the reader stopped reading");
                    }
                    claim.publish();
                    if (getIntVolatile(ring.header(), SLEEPERS_OFFSET) != 0) {
                        publishesWithASleeper++;
                    }
                    if (random.nextInt(4) == 0) {
                        long until = System.nanoTime() + random.nextInt(200_000);
                        while (System.nanoTime() - until < 0) {
                            Thread.onSpinWait();
                        }
                    }
                }
            }
            System.out.println("sleepers " + publishesWithASleeper);
        }
    }

    /** Attaches a reader and sleeps on the head until killed. */
    public static final class SleepingReaderMain {
        public static void main(String[] args) {
            try (SharedRing ring = SharedRing.open(args[0]);
                 RingReader reader = ring.attachReader(ReadMode.EVERY)) {
                while (true) {
                    reader.poll(TimeUnit.HOURS.toNanos(1), WaitStrategy.futex());
                }
            }
        }
    }
}
