package dev.nanobroker.ring;

import dev.nanobroker.ring.testing.Actors;
import dev.nanobroker.ring.testing.ChildJvm;
import dev.nanobroker.ring.testing.Outcomes;
import dev.nanobroker.ring.testing.ParentCommands;
import dev.nanobroker.ring.testing.Payload;
import dev.nanobroker.ring.testing.Stress;
import dev.nanobroker.ring.testing.TestRings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stress test 2 of issue 11 (jcstress-style): the attach / cached-tail Dekker pair. Under
 * {@code block}, a reader that attaches while writers run is never overwritten.
 *
 * <p><b>Actors.</b> One ring in /dev/shm with only 2 slots, so that every frame a writer writes
 * destroys the frame before the previous one. Two {@code block} writers, a thread here and a thread of
 * a child JVM, publish as fast as the readers let them; each remembers the oldest tail between claims
 * and rescans the reader lines only when {@code READER_ATTACHES} moved or that bound says "full"
 * ({@code RingWriter.hasRoom}). Four churning readers, two threads here and two in the child, attach in
 * {@code every} mode, poll and release 1 to 6 frames, check each, and close, over and over: each
 * attach is the reader's half of the store-load pair (seq_cst tail store, seq_cst
 * {@code READER_ATTACHES} increment, seq_cst head load, {@code RingReader}'s constructor), racing a
 * writer's half (full fence, then the attach count and the tails).
 *
 * <p><b>Allowed</b> (docs/ring-layout.md §9 "Attach" step 4 and its "Why two head reads"; §8 step 5):
 * <ul>
 *   <li>{@code attach.at-head}: the reader's first tail is the head it saw just before attaching.
 *   <li>{@code attach.after-head}: frames came out while it attached, so its first tail is a later
 *       head ({@code max(h1, h2 - slotCount + 1)}, never below the head seen before).
 *   <li>{@code frame.in-order}: a frame polled in order from the first tail on (first frame = the
 *       tail attach set, then each one more than the last), whole, and released intact.
 *   <li>{@code write.published}: frames published.
 * </ul>
 * <b>Forbidden</b>:
 * <ul>
 *   <li>{@code frame.first-skipped}: the first frame polled is not the attach tail: the writer
 *       destroyed it before the reader could read it, so the poll skipped (§9 "Attach": "from
 *       {@code tail} on, no frame of this reader is overwritten before it is read").
 *   <li>{@code frame.gap}: a later frame is not the previous one plus one (§11: {@code every} mode
 *       loses frames only under {@code overwrite}).
 *   <li>{@code frame.torn}: release() false under {@code block} (§13 item 2: always true under block).
 *   <li>{@code frame.garbled}: release() true but the payload was not the frame's.
 *   <li>{@code reader.lost}: a reader closed with frames counted lost or skipped (§12: none under block, and an every reader skips none).
 *   <li>{@code attach.before-head}: the first tail is below the head seen before attaching.
 *   <li>{@code attach.no-line}: all 16 reader lines taken with at most 4 readers attached (a leak).
 *   <li>{@code reader.starved}: no frame for 10 s while the writers run (a lost tail, a stuck writer).
 *   <li>{@code write.dropped}: a {@code block(30 s)} writer timed out: some tail held it for 30 s.
 * </ul>
 */
class AttachStressTest {

    static final RingGeometry GEOMETRY = RingGeometry.of(32, 4, 2);
    static final long PARENT_WRITER = 1;
    static final long CHILD_WRITER = 2;
    static final int CHURNERS = 2; // per process
    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final long STARVED_NANOS = TimeUnit.SECONDS.toNanos(10);

    static Outcomes outcomes() {
        Outcomes o = new Outcomes("attach vs cached tail: readers attach while block writers run (2 slots)");
        o.allowed("write.published", "frames published by the two block writers");
        o.forbidden("write.dropped", "a block(30 s) writer timed out and dropped a frame");
        o.allowed("attach.at-head", "attached; first tail = the head seen just before attaching");
        o.allowed("attach.after-head", "attached; frames came out meanwhile, first tail above that head");
        o.forbidden("attach.before-head", "first tail below the head seen before attaching");
        o.forbidden("attach.no-line", "no free reader line with at most 4 readers attached");
        o.allowed("frame.in-order", "frame polled in order from the attach tail, whole, released intact");
        o.forbidden("frame.first-skipped", "first frame polled is not the attach tail: it was overwritten");
        o.forbidden("frame.gap", "frame not the previous one + 1");
        o.forbidden("frame.torn", "release() false under block");
        o.forbidden("frame.garbled", "release() true but the payload was not the frame's");
        o.forbidden("reader.lost", "a reader closed with frames lost or skipped under block");
        o.forbidden("reader.starved", "no frame for 10 s while the writers run");
        return o;
    }

    @Test
    void aReaderThatAttachesWhileWritersRunIsNeverOverwritten() throws Exception {
        Duration runTime = Stress.runTime(2.0);
        Duration patience = Stress.patience(runTime);
        Outcomes outcomes = outcomes();
        long elapsed;
        try (TestRings rings = new TestRings()) {
            String name = rings.newName("attach");
            try (SharedRing ring = SharedRing.create(name, GEOMETRY);
                 ChildJvm child = ChildJvm.start(Child.class, name);
                 Actors writers = new Actors();
                 Actors readers = new Actors()) {
                child.awaitLine("READY"::equals, STARTUP);
                RingWriter writer = ring.writer(OverflowPolicy.block(Duration.ofSeconds(30)));
                AtomicBoolean writing = new AtomicBoolean(true);
                long start = System.nanoTime();
                long end = start + runTime.toNanos();
                child.send("GO");
                writers.start("writer", () -> write(writer, PARENT_WRITER, writing::get, outcomes));
                for (int i = 0; i < CHURNERS; i++) {
                    long seed = i;
                    readers.start("churner-" + i, () -> churn(ring, seed, () -> System.nanoTime() - end < 0, outcomes));
                }
                // Readers stop first: a reader waiting for a frame needs the writers.
                readers.joinAll(runTime.plus(patience));
                child.send("STOP-READERS");
                child.awaitLine("READERS-STOPPED"::equals, patience);
                // Both writers stop together: one left alone could wait seconds for a lock the other
                // takes back to back (the lock is not fair: docs/reliability.md, "Stress tests").
                writing.set(false);
                child.send("STOP");
                writers.joinAll(patience);
                elapsed = System.nanoTime() - start;
                assertEquals(0, child.awaitExit(patience), () -> "child failed: " + child.stderr());
                outcomes.merge(child.stdoutLines(), "child pid " + child.pid());
            }
        }
        System.out.printf("attach stress: actors ran %.1f s%n", elapsed / 1e9);
        outcomes.print();
        outcomes.assertNoForbidden();
        assertTrue(outcomes.get("frame.in-order").count() > 0, "the readers read something");
    }

    /** The child process: a block writer and two churning readers. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            ParentCommands.listen();
            Outcomes outcomes = outcomes();
            try (SharedRing ring = SharedRing.open(args[0], true);
                 Actors writers = new Actors();
                 Actors readers = new Actors()) {
                RingWriter writer = ring.writer(OverflowPolicy.block(Duration.ofSeconds(30)));
                System.out.println("READY");
                ParentCommands.await("GO");
                writers.start("writer", () -> write(writer, CHILD_WRITER, () -> !ParentCommands.received("STOP"), outcomes));
                for (int i = 0; i < CHURNERS; i++) {
                    long seed = 100 + i;
                    readers.start("churner-" + i, () -> churn(ring, seed, () -> !ParentCommands.received("STOP-READERS"), outcomes));
                }
                ParentCommands.await("STOP-READERS");
                readers.joinAll(Duration.ofSeconds(60));
                System.out.println("READERS-STOPPED");
                ParentCommands.await("STOP");
                writers.joinAll(Duration.ofSeconds(60));
            }
            outcomes.printForParent(System.out);
        }
    }

    static void write(RingWriter writer, long id, BooleanSupplier running, Outcomes o) {
        Outcomes.Outcome published = o.get("write.published");
        while (running.getAsBoolean()) {
            FrameClaim claim = writer.claim();
            if (claim == null) {
                o.get("write.dropped").add("writer " + id);
                continue;
            }
            Payload.fill(claim.pixels(), claim.sequence(), id);
            claim.checksum(Payload.mark(claim.sequence(), id)).publish();
            published.add();
        }
    }

    /** Attach, read 1..6 frames checking each, close; until told to stop. */
    static void churn(SharedRing ring, long seed, BooleanSupplier running, Outcomes o) {
        SplittableRandom random = new SplittableRandom(seed);
        Outcomes.Outcome inOrder = o.get("frame.in-order");
        while (running.getAsBoolean()) {
            long headBefore = ring.head();
            RingReader reader;
            try {
                reader = ring.attachReader(ReadMode.EVERY);
            } catch (RingFullException e) {
                o.get("attach.no-line").add(e.getMessage());
                continue;
            }
            long start = reader.tail();
            if (start < headBefore) {
                o.get("attach.before-head").add("tail " + start + " < head " + headBefore);
            } else {
                o.get(start == headBefore ? "attach.at-head" : "attach.after-head").add();
            }
            long expected = start;
            int frames = 1 + random.nextInt(6);
            for (int i = 0; i < frames; i++) {
                Frame frame = reader.poll(STARVED_NANOS, WaitStrategy.yielding());
                if (frame == null) {
                    o.get("reader.starved").add("waiting for frame " + expected + ", head " + ring.head());
                    break;
                }
                long sequence = frame.sequence();
                if (sequence != expected) {
                    o.get(i == 0 ? "frame.first-skipped" : "frame.gap").add("got " + sequence + ", expected " + expected
                            + " (head before attach " + headBefore + ", line " + reader.line() + ")");
                }
                boolean whole = Payload.whole(frame.pixels(), sequence)
                        && frame.checksum() == Payload.mark(sequence, Payload.writer(frame.pixels()));
                if (!reader.release()) {
                    o.get("frame.torn").add("frame " + sequence);
                } else if (!whole) {
                    o.get("frame.garbled").add("frame " + sequence);
                } else if (sequence == expected) {
                    inOrder.add();
                }
                expected = sequence + 1;
            }
            if (reader.lost() != 0 || reader.skipped() != 0) {
                o.get("reader.lost").add(reader.lost() + " lost, " + reader.skipped() + " skipped, " + reader.torn() + " torn, started at " + start);
            }
            reader.close();
        }
    }
}
