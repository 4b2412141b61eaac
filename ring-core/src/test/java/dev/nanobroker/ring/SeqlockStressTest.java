package dev.nanobroker.ring;

import dev.nanobroker.ring.testing.Actors;
import dev.nanobroker.ring.testing.ChildJvm;
import dev.nanobroker.ring.testing.Outcomes;
import dev.nanobroker.ring.testing.ParentCommands;
import dev.nanobroker.ring.testing.Payload;
import dev.nanobroker.ring.testing.Stress;
import dev.nanobroker.ring.testing.TestRings;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stress test 1 of issue 11 (jcstress-style): the seqlock of a slot. A torn payload never validates.
 *
 * <p><b>Actors.</b> One ring in /dev/shm, 3 slots of 1 KiB, and two {@code overwrite} writers, one a
 * thread of this JVM and one a thread of a child JVM, taking turns through the write lock as fast as
 * they can, so that readers are lapped all the time. Every word of a frame follows from its sequence
 * and its writer ({@link Payload}), and the descriptor's checksum field holds the frame's mark.
 * Readers on both sides of the process boundary: here a {@code poll}/{@code release} reader in
 * {@code every} mode, a {@code copyFrame} copier and a {@code DisplayReader}; in the child a
 * {@code poll}/{@code release} reader in {@code latest} mode and a copier. Each reader checks every
 * word of every frame it gets and classifies the observation below.
 *
 * <p><b>Allowed</b> (docs/ring-layout.md §9 "Release", "Non-gating copy", "Display reader"; §11
 * {@code overwrite}; §13 item 2):
 * <ul>
 *   <li>{@code poll.intact}: release() true, every word and the descriptor belong to the frame.
 *   <li>{@code poll.torn.garbled}: release() false and the words were mixed: the seqlock caught a real
 *       tear. Allowed because an {@code overwrite} writer may rewrite a held slot (§11, §13).
 *   <li>{@code poll.torn.clean}: release() false although the words read were whole: the rewrite began
 *       after the last read (the WRITING mark is stored before the first pixel, §8 step 7), a false
 *       alarm on the safe side.
 *   <li>{@code poll.lapped}: frames skipped because the writer lapped the reader (§9 poll step 3.3).
 *   <li>{@code copy.intact}, {@code copy.refused.before} (the slot did not hold the frame: nothing
 *       copied), {@code copy.refused.garbled} and {@code copy.refused.clean} (the re-check after the
 *       copy failed, §9 "Non-gating copy" step 3).
 *   <li>{@code display.intact}: the frame shown was whole and the next refresh found it not rewritten
 *       (§9 "Display reader" step 4); {@code display.torn.garbled}, {@code display.torn.clean}: the
 *       next refresh found it rewritten and counted it torn; {@code display.unchecked}: the last frame
 *       shown, never checked.
 *   <li>{@code write.published}: frames published.
 * </ul>
 * <b>Forbidden</b>:
 * <ul>
 *   <li>{@code poll.intact.garbled}: release() true but a word was not the frame's: a torn frame
 *       validated (the seqlock's whole point, §9 "Release": acquire load before, acquire fence and
 *       re-load after, against the writer's WRITING mark and store-store fence, §8 step 7).
 *   <li>{@code poll.intact.descriptor}: release() true, pixels whole, but the width, height, stride or
 *       checksum read at poll are not the frame's (the descriptor is covered by the same seqlock).
 *   <li>{@code poll.order}, {@code display.order}: a sequence not above the previous one (§9).
 *   <li>{@code copy.intact.garbled}: copyFrame() true but the copy was torn;
 *       {@code copy.intact.empty}: copyFrame() true without copying.
 *   <li>{@code display.intact.garbled}: the frame shown was not whole, yet the next refresh found its
 *       slot still holding it (the torn check of §9 "Display reader" step 4 runs after every read of
 *       the frame here, so it must catch any rewrite that those reads saw).
 *   <li>{@code write.dropped}: an {@code overwrite} writer never drops (§11).
 * </ul>
 */
class SeqlockStressTest {

    static final RingGeometry GEOMETRY = RingGeometry.of(64, 4, 3);
    static final long PARENT_WRITER = 1;
    static final long CHILD_WRITER = 2;
    private static final Duration STARTUP = Duration.ofSeconds(30);

    static Outcomes outcomes() {
        Outcomes o = new Outcomes("seqlock: publish vs poll/release, copyFrame, DisplayReader (overwrite, 3 slots)");
        o.allowed("write.published", "frames published by the two overwrite writers");
        o.forbidden("write.dropped", "an overwrite writer's claim returned no slot");
        o.allowed("poll.intact", "release() true, every word and the descriptor are the frame's");
        o.allowed("poll.torn.garbled", "release() false, the words were mixed: a tear caught");
        o.allowed("poll.torn.clean", "release() false, the words read were whole (rewrite began after the reads)");
        o.allowed("poll.lapped", "frames passed over because the writer lapped the reader (counted skipped or lost)");
        o.forbidden("poll.intact.garbled", "release() true but the payload was torn");
        o.forbidden("poll.intact.descriptor", "release() true but the descriptor read at poll is another frame's");
        o.forbidden("poll.order", "poll returned a sequence not above the previous one");
        o.allowed("copy.intact", "copyFrame() true, the copy is whole");
        o.allowed("copy.refused.before", "copyFrame() false before copying: the slot held another frame");
        o.allowed("copy.refused.garbled", "copyFrame() false after copying a torn frame: a tear caught");
        o.allowed("copy.refused.clean", "copyFrame() false after copying, the copy happened to be whole");
        o.forbidden("copy.intact.garbled", "copyFrame() true but the copy was torn");
        o.forbidden("copy.intact.empty", "copyFrame() true without copying anything");
        o.allowed("display.intact", "frame shown was whole; the next refresh found it not rewritten");
        o.allowed("display.torn.garbled", "frame shown was torn; the next refresh counted it torn");
        o.allowed("display.torn.clean", "frame shown was whole; the next refresh counted it torn (rewritten later)");
        o.allowed("display.unchecked", "the last frame shown, never checked by a later refresh");
        o.forbidden("display.intact.garbled", "frame shown was torn, yet the next refresh found it intact");
        o.forbidden("display.order", "DisplayReader.poll returned a sequence not above the previous one");
        return o;
    }

    @Test
    void aTornPayloadNeverValidates() throws Exception {
        Duration runTime = Stress.runTime(2.0);
        Duration patience = Stress.patience(runTime);
        Outcomes outcomes = outcomes();
        long elapsed;
        try (TestRings rings = new TestRings()) {
            String name = rings.newName("seqlock");
            try (SharedRing ring = SharedRing.create(name, GEOMETRY);
                 ChildJvm child = ChildJvm.start(Child.class, name);
                 Actors actors = new Actors()) {
                child.awaitLine("READY"::equals, STARTUP);
                RingWriter writer = ring.writer(OverflowPolicy.overwrite());
                RingReader reader = ring.attachReader(ReadMode.EVERY);
                DisplayReader display = ring.attachDisplayReader();
                long start = System.nanoTime();
                long end = start + runTime.toNanos();
                BooleanSupplier running = () -> System.nanoTime() - end < 0;
                child.send("GO");
                actors.start("writer", () -> write(writer, PARENT_WRITER, running, outcomes));
                actors.start("poller", () -> pollAndRelease(reader, running, outcomes));
                actors.start("copier", () -> copy(ring, running, outcomes));
                actors.start("display", () -> display(display, running, outcomes));
                // The child's writer stops with ours: a writer left alone could wait long for a lock the
                // other takes back to back (the lock is not fair: docs/reliability.md, "Stress tests").
                while (running.getAsBoolean()) {
                    Thread.sleep(10);
                }
                child.send("STOP");
                actors.joinAll(patience);
                elapsed = System.nanoTime() - start;
                assertEquals(0, child.awaitExit(patience), () -> "child failed: " + child.stderr());
                outcomes.merge(child.stdoutLines(), "child pid " + child.pid());
            }
        }
        System.out.printf("seqlock stress: actors ran %.1f s%n", elapsed / 1e9);
        outcomes.print();
        outcomes.assertNoForbidden();
        assertTrue(outcomes.get("poll.intact").count() > 0, "the readers read something");
    }

    /** The child process: an overwrite writer, a latest-mode poll/release reader and a copier. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            ParentCommands.listen();
            Outcomes outcomes = outcomes();
            try (SharedRing ring = SharedRing.open(args[0], true); Actors actors = new Actors()) {
                RingWriter writer = ring.writer(OverflowPolicy.overwrite());
                RingReader reader = ring.attachReader(ReadMode.LATEST);
                System.out.println("READY");
                ParentCommands.await("GO");
                BooleanSupplier running = () -> !ParentCommands.received("STOP");
                actors.start("writer", () -> write(writer, CHILD_WRITER, running, outcomes));
                actors.start("poller", () -> pollAndRelease(reader, running, outcomes));
                actors.start("copier", () -> copy(ring, running, outcomes));
                ParentCommands.await("STOP");
                actors.joinAll(Duration.ofSeconds(60));
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

    /** Whether the frame's descriptor, as read at poll, is that of the writer and sequence in its words. */
    private static boolean descriptorMatches(Frame frame) {
        return frame.width() == GEOMETRY.width() && frame.height() == GEOMETRY.height()
                && frame.rowStride() == GEOMETRY.rowStride()
                && frame.checksum() == Payload.mark(frame.sequence(), Payload.writer(frame.pixels()));
    }

    static void pollAndRelease(RingReader reader, BooleanSupplier running, Outcomes o) {
        Outcomes.Outcome intact = o.get("poll.intact");
        Outcomes.Outcome tornGarbled = o.get("poll.torn.garbled");
        Outcomes.Outcome tornClean = o.get("poll.torn.clean");
        long last = -1;
        while (running.getAsBoolean()) {
            Frame frame = reader.poll();
            if (frame == null) {
                Thread.onSpinWait();
                continue;
            }
            long sequence = frame.sequence();
            if (sequence <= last) {
                o.get("poll.order").add(sequence + " after " + last);
            }
            last = sequence;
            boolean whole = Payload.whole(frame.pixels(), sequence);
            boolean descriptor = descriptorMatches(frame);
            long writerWord = Payload.writer(frame.pixels());
            if (reader.release()) {
                if (!whole) {
                    o.get("poll.intact.garbled").add("frame " + sequence + " word1=" + writerWord);
                } else if (!descriptor) {
                    o.get("poll.intact.descriptor").add("frame " + sequence + " checksum " + Long.toHexString(frame.checksum()));
                } else {
                    intact.add();
                }
            } else {
                (whole ? tornClean : tornGarbled).add();
            }
        }
        o.get("poll.lapped").add(reader.skipped() + reader.lost() - reader.torn());
    }

    static void copy(SharedRing ring, BooleanSupplier running, Outcomes o) {
        int slots = ring.geometry().slotCount();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(ring.geometry().frameLength(), 8);
            for (long i = 0; running.getAsBoolean(); i++) {
                long sequence = ring.head() - 1 - i % slots; // the newest, or an older one the writer may be on
                if (sequence < 0) {
                    Thread.onSpinWait();
                    continue;
                }
                buffer.set(ValueLayout.JAVA_LONG, 0, -1L); // no frame's word 0 is negative
                boolean intact = ring.copyFrame(sequence, buffer);
                boolean copied = buffer.get(ValueLayout.JAVA_LONG, 0) != -1L;
                boolean whole = copied && Payload.whole(buffer, sequence);
                if (intact) {
                    if (!copied) {
                        o.get("copy.intact.empty").add("frame " + sequence);
                    } else if (!whole) {
                        o.get("copy.intact.garbled").add("frame " + sequence + " word0=" + buffer.get(ValueLayout.JAVA_LONG, 0));
                    } else {
                        o.get("copy.intact").add();
                    }
                } else {
                    o.get(!copied ? "copy.refused.before" : whole ? "copy.refused.clean" : "copy.refused.garbled").add();
                }
            }
        }
    }

    static void display(DisplayReader display, BooleanSupplier running, Outcomes o) {
        long pending = -1; // the frame on screen, not yet checked by a later refresh
        boolean pendingWhole = false;
        while (running.getAsBoolean()) {
            long tornBefore = display.torn();
            Frame frame = display.poll();
            if (frame == null) {
                Thread.onSpinWait();
                continue;
            }
            if (pending >= 0) {
                boolean rewritten = display.torn() > tornBefore;
                if (rewritten) {
                    o.get(pendingWhole ? "display.torn.clean" : "display.torn.garbled").add();
                } else if (!pendingWhole) {
                    o.get("display.intact.garbled").add("frame " + pending);
                } else {
                    o.get("display.intact").add();
                }
            }
            long sequence = frame.sequence();
            if (sequence <= pending) {
                o.get("display.order").add(sequence + " after " + pending);
            }
            // The "renderer": reads the whole frame before the next refresh.
            pendingWhole = Payload.whole(frame.pixels(), sequence) && descriptorMatches(frame);
            pending = sequence;
        }
        if (pending >= 0) {
            o.get("display.unchecked").add();
        }
    }
}
