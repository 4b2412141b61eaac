package dev.nanobroker.ring;

import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.*;

/** One writer thread and several reader threads on one ring, with real concurrency. */
class ConcurrentRingTest {

    private static final int FRAMES = 20_000;

    /** What one reader thread saw. */
    private record Seen(long frames, long lost, long torn, long badFrames, long outOfOrder) {
    }

    private static Seen read(RingReader reader, AtomicBoolean writerDone, long holdNanos) {
        long badFrames = 0;
        long outOfOrder = 0;
        long last = -1;
        while (!(writerDone.get() && reader.caughtUp())) {
            Frame frame = reader.poll(TimeUnit.MILLISECONDS.toNanos(10), WaitStrategy.yielding());
            if (frame == null) {
                continue;
            }
            boolean good = frame.pixels().get(ValueLayout.JAVA_LONG, 0) == frame.sequence()
                    && FrameChecksum.of(frame.pixels()) == frame.checksum();
            if (frame.sequence() <= last) {
                outOfOrder++;
            }
            last = frame.sequence();
            if (holdNanos > 0) {
                LockSupport.parkNanos(holdNanos);
            }
            if (reader.release() && !good) {
                badFrames++;
            }
        }
        assertEquals(0, reader.skipped(), "an every reader skips nothing by design");
        return new Seen(reader.frames(), reader.lost(), reader.torn(), badFrames, outOfOrder);
    }

    /** Writes frames; under block (long timeout) and overwrite every claim succeeds. */
    private static void write(RingWriter writer, int frames) {
        for (int i = 0; i < frames; i++) {
            FrameClaim claim = writer.claim();
            assertNotNull(claim, "claim " + i);
            claim.pixels().fill((byte) claim.sequence());
            claim.pixels().set(ValueLayout.JAVA_LONG, 0, claim.sequence());
            claim.checksum(FrameChecksum.of(claim.pixels())).publish();
        }
    }

    private static List<Seen> run(OverflowPolicy policy, int readers, long slowReaderHoldNanos) throws Exception {
        try (SharedRing ring = SharedRing.onHeap("threads", RingGeometry.of(64, 16, 8));
             ExecutorService threads = Executors.newFixedThreadPool(readers + 1)) {
            RingWriter writer = ring.writer(policy);
            AtomicBoolean writerDone = new AtomicBoolean();
            List<RingReader> attached = new ArrayList<>();
            for (int i = 0; i < readers; i++) {
                attached.add(ring.attachReader(ReadMode.EVERY));
            }
            CountDownLatch start = new CountDownLatch(1);
            Future<?> writing = threads.submit(() -> {
                start.await();
                write(writer, FRAMES);
                writerDone.set(true);
                return null;
            });
            List<Future<Seen>> reading = new ArrayList<>();
            for (int i = 0; i < readers; i++) {
                RingReader reader = attached.get(i);
                long hold = i == 0 ? slowReaderHoldNanos : 0;
                reading.add(threads.submit(() -> {
                    start.await();
                    return read(reader, writerDone, hold);
                }));
            }
            start.countDown();
            writing.get(60, TimeUnit.SECONDS);
            List<Seen> seen = new ArrayList<>();
            for (Future<Seen> each : reading) {
                seen.add(each.get(60, TimeUnit.SECONDS));
            }
            return seen;
        }
    }

    @Test
    void underBlockEveryReaderGetsEveryFrameIntact() throws Exception {
        for (Seen seen : run(OverflowPolicy.block(Duration.ofSeconds(30)), 3, 0)) {
            assertEquals(new Seen(FRAMES, 0, 0, 0, 0), seen);
        }
    }

    @Test
    void underOverwriteNoFrameIsDeliveredBadAndLossesAreCounted() throws Exception {
        List<Seen> seen = run(OverflowPolicy.overwrite(), 3, TimeUnit.MICROSECONDS.toNanos(200));
        for (Seen each : seen) {
            assertEquals(FRAMES, each.frames() + each.lost(), "frames + lost == published: " + each);
            assertEquals(0, each.badFrames(), "a torn or lapped frame was delivered as good: " + each);
            assertEquals(0, each.outOfOrder());
        }
        assertTrue(seen.getFirst().lost() > 0, "the slow reader was lapped: " + seen.getFirst());
    }
}
