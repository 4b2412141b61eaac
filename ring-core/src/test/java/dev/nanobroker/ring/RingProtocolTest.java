package dev.nanobroker.ring;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/** The writer and reader protocol on a ring in heap memory, one thread. */
class RingProtocolTest {

    private static final int SLOTS = 4;

    private final SharedRing ring = SharedRing.onHeap("heap", RingGeometry.of(8, 4, SLOTS));

    @AfterEach
    void close() {
        ring.close();
    }

    private static void publish(RingWriter writer, long expectedSequence) {
        FrameClaim claim = writer.claim();
        assertNotNull(claim, "claim of frame " + expectedSequence);
        assertEquals(expectedSequence, claim.sequence());
        claim.pixels().fill((byte) expectedSequence);
        claim.checksum(FrameChecksum.of(claim.pixels())).publish();
    }

    @Test
    void everyReaderSeesEachFrameInPlaceWithItsDescriptor() {
        RingWriter writer = ring.writer(OverflowPolicy.drop());
        RingReader reader = ring.attachReader(ReadMode.EVERY);
        assertNull(reader.poll(), "nothing published yet");
        for (long sequence = 0; sequence < 10; sequence++) {
            publish(writer, sequence);
            Frame frame = reader.poll();
            assertNotNull(frame);
            assertEquals(sequence, frame.sequence());
            assertEquals((int) (sequence % SLOTS), frame.slot());
            assertEquals(8, frame.width());
            assertEquals(4, frame.height());
            assertEquals(32, frame.rowStride());
            assertEquals((byte) sequence, frame.pixels().get(ValueLayout.JAVA_BYTE, 31));
            assertEquals(FrameChecksum.of(frame.pixels()), frame.checksum());
            assertTrue(frame.latencyNanos() >= 0);
            assertTrue(reader.release());
        }
        assertEquals(10, reader.frames());
        assertEquals(0, reader.lost());
        assertEquals(0, reader.skipped());
        assertEquals(10, ring.head());
    }

    @Test
    void anEveryReaderFindsNothingWhileItsNextFrameIsBeingWrittenInAnyLap() {
        RingWriter writer = ring.writer(OverflowPolicy.drop());
        RingReader reader = ring.attachReader(ReadMode.EVERY);
        for (long sequence = 0; sequence < 2 * SLOTS + 1; sequence++) {
            FrameClaim claim = writer.claim(); // the slot is marked WRITING, or still holds frame sequence - SLOTS
            assertNull(reader.poll(), "frame " + sequence + " claimed, not published");
            claim.publish();
            Frame frame = reader.poll();
            assertNotNull(frame, "frame " + sequence + " published");
            assertEquals(sequence, frame.sequence());
            assertTrue(reader.release());
            assertNull(reader.poll(), "caught up after frame " + sequence);
        }
        assertEquals(2 * SLOTS + 1, reader.frames());
    }

    @Test
    void aFramePublishedWithAGivenTimeCarriesThatTime() {
        RingWriter writer = ring.writer(OverflowPolicy.drop());
        RingReader reader = ring.attachReader(ReadMode.EVERY);
        long captured = System.nanoTime() - 5_000_000;
        writer.claim().publish(captured);
        Frame frame = reader.poll();
        assertEquals(captured, frame.publishNanos());
        assertTrue(frame.latencyNanos() >= 5_000_000, "latency counts from the given time");
        reader.release();
        FrameClaim claim = writer.claim();
        assertThrows(IllegalArgumentException.class, () -> claim.publish(Long.MIN_VALUE));
        claim.publish();
        assertTrue(reader.poll().publishNanos() > captured, "publish() stamps the time now");
    }

    @Test
    void aCopiedFrameKeepsItsSourceSequenceAndTheSlotForgetsItForTheNextFrame() {
        RingWriter writer = ring.writer(OverflowPolicy.drop());
        RingReader reader = ring.attachReader(ReadMode.EVERY);
        for (long sequence = 0; sequence < SLOTS; sequence++) {
            writer.claim().sourceSequence(1_000 + 3 * sequence).publish(); // a bridge's copies, two of three skipped on the way
            Frame frame = reader.poll();
            assertEquals(sequence, frame.sequence());
            assertEquals(1_000 + 3 * sequence, frame.sourceSequence());
            assertTrue(reader.release());
        }
        writer.claim().publish(); // the same slot as the first copy, now a frame of this ring
        Frame own = reader.poll();
        assertEquals(SLOTS, own.sequence());
        assertEquals(SLOTS, own.sourceSequence(), "a frame first published here is its own source");
        assertTrue(reader.release());
        FrameClaim claim = writer.claim();
        assertThrows(IllegalArgumentException.class, () -> claim.sourceSequence(-1));
        claim.abort();
    }

    @Test
    void framesAreViewsOfTheRingNotCopies() {
        RingWriter writer = ring.writer(OverflowPolicy.drop());
        RingReader reader = ring.attachReader(ReadMode.EVERY);
        publish(writer, 0);
        MemorySegment seen = reader.poll().pixels();
        MemorySegment written = ring.slotPixels(0);
        assertEquals(written.address(), seen.address());
        assertTrue(seen.isReadOnly() || seen.address() == written.address());
    }

    @Test
    void latestReaderJumpsToTheNewestAndCountsTheSkippedAsDrops() {
        RingWriter writer = ring.writer(OverflowPolicy.overwrite());
        RingReader reader = ring.attachReader(ReadMode.LATEST);
        for (long sequence = 0; sequence < 3; sequence++) {
            publish(writer, sequence);
        }
        Frame frame = reader.poll();
        assertEquals(2, frame.sequence());
        assertTrue(reader.release());
        assertEquals(2, reader.skipped(), "a latest reader passes over frames by design");
        assertEquals(0, reader.lost(), "and loses none");
        assertEquals(1, reader.frames());
        assertNull(reader.poll());
    }

    @Test
    void blockWaitsForTheSlowestReaderThenDropsAfterItsTimeout() {
        RingWriter writer = ring.writer(OverflowPolicy.block(Duration.ofMillis(20)));
        RingReader reader = ring.attachReader(ReadMode.EVERY);
        for (long sequence = 0; sequence < SLOTS; sequence++) {
            publish(writer, sequence);
        }
        assertNull(writer.claim(), "ring full: the reader still has all frames");
        assertEquals(1, writer.producerDrops());
        assertTrue(writer.blockedNanos() >= 20_000_000L);
        reader.poll();
        reader.release();
        publish(writer, SLOTS); // room for exactly one more
        assertEquals(SLOTS + 1, ring.head());
    }

    @Test
    void heldFrameIsNeverOverwrittenUnderBlock() {
        RingWriter writer = ring.writer(OverflowPolicy.block(Duration.ZERO));
        RingReader reader = ring.attachReader(ReadMode.EVERY);
        publish(writer, 0);
        Frame held = reader.poll();
        for (long sequence = 1; sequence < SLOTS; sequence++) {
            publish(writer, sequence);
        }
        assertNull(writer.claim(), "the next frame would go into the held slot");
        assertEquals((byte) 0, held.pixels().get(ValueLayout.JAVA_BYTE, 0));
        assertTrue(reader.release());
    }

    @Test
    void dropPolicySkipsAtOnce() {
        RingWriter writer = ring.writer(OverflowPolicy.drop());
        ring.attachReader(ReadMode.EVERY);
        for (long sequence = 0; sequence < SLOTS; sequence++) {
            publish(writer, sequence);
        }
        assertNull(writer.claim());
        assertNull(writer.claim());
        assertEquals(2, writer.producerDrops());
        assertEquals(0, writer.blockedNanos());
    }

    @Test
    void readerAttachingAfterTheWriterLastLookedStillGatesIt() {
        RingWriter writer = ring.writer(OverflowPolicy.drop());
        for (long sequence = 0; sequence <= SLOTS; sequence++) {
            publish(writer, sequence); // no reader: the writer now remembers that nothing gates it
        }
        RingReader late = ring.attachReader(ReadMode.EVERY);
        for (long sequence = SLOTS + 1; sequence <= 2 * SLOTS; sequence++) {
            publish(writer, sequence);
        }
        assertNull(writer.claim(), "the late reader's first frame must not be overwritten");
        for (long sequence = SLOTS + 1; sequence <= 2 * SLOTS; sequence++) {
            assertEquals(sequence, late.poll().sequence());
            assertTrue(late.release());
        }
        assertEquals(0, late.lost());
    }

    @Test
    void lappedReaderCountsWhatItLostUnderOverwrite() {
        RingWriter writer = ring.writer(OverflowPolicy.overwrite());
        RingReader reader = ring.attachReader(ReadMode.EVERY);
        int published = 3 * SLOTS + 1;
        for (long sequence = 0; sequence < published; sequence++) {
            publish(writer, sequence);
        }
        long delivered = 0;
        for (Frame frame = reader.poll(); frame != null; frame = reader.poll()) {
            assertEquals(FrameChecksum.of(frame.pixels()), frame.checksum());
            assertTrue(reader.release());
            delivered++;
        }
        assertEquals(SLOTS - 1, delivered, "only frames the writer could not be rewriting are delivered");
        assertEquals(published, reader.frames() + reader.lost(), "an every reader's lapped frames are lost");
        assertEquals(0, reader.skipped(), "an every reader skips nothing by design");
    }

    @Test
    void frameOverwrittenWhileHeldIsReportedTornNotGood() {
        RingWriter writer = ring.writer(OverflowPolicy.overwrite());
        RingReader reader = ring.attachReader(ReadMode.EVERY);
        publish(writer, 0);
        Frame held = reader.poll();
        assertEquals(0, held.sequence());
        for (long sequence = 1; sequence <= SLOTS; sequence++) {
            publish(writer, sequence); // frame SLOTS lands in the held slot
        }
        assertFalse(reader.release());
        assertEquals(1, reader.torn());
        assertEquals(1, reader.lost(), "a torn frame is lost");
        assertEquals(0, reader.frames());
    }

    @Test
    void slotBeingWrittenIsNotReadable() {
        RingWriter writer = ring.writer(OverflowPolicy.overwrite());
        RingReader reader = ring.attachReader(ReadMode.EVERY);
        FrameClaim claim = writer.claim();
        assertNull(reader.poll(), "claimed but unpublished");
        claim.abort();
        publish(writer, 0); // an aborted claim gives its sequence to the next one
        assertEquals(0, reader.poll().sequence());
    }

    @Test
    void seventeenthReaderGetsAClearError() {
        for (int i = 0; i < RingLayout.MAX_READERS; i++) {
            ring.attachReader(ReadMode.EVERY);
        }
        RingFullException full = assertThrows(RingFullException.class, () -> ring.attachReader(ReadMode.LATEST));
        assertEquals("all 16 reader slots of heap are taken", full.getMessage());
    }

    @Test
    void closedReaderNoLongerGatesTheWriterAndItsLineIsFree() {
        RingWriter writer = ring.writer(OverflowPolicy.block(Duration.ZERO));
        RingReader reader = ring.attachReader(ReadMode.EVERY);
        for (long sequence = 0; sequence < SLOTS; sequence++) {
            publish(writer, sequence);
        }
        assertNull(writer.claim());
        reader.close();
        publish(writer, SLOTS);
        assertFalse(ring.status().readers().get(reader.line()).attached());
        assertEquals(reader.line(), ring.attachReader(ReadMode.EVERY).line());
    }

    @Test
    void statusShowsReadersLagAndCounters() {
        RingWriter writer = ring.writer(OverflowPolicy.drop());
        RingReader reader = ring.attachReader(ReadMode.EVERY);
        publish(writer, 0);
        publish(writer, 1);
        reader.poll();
        reader.release();
        RingStatus status = ring.status();
        RingStatus.Reader line = status.readers().get(reader.line());
        assertTrue(line.attached());
        assertTrue(line.alive());
        assertEquals(ReadMode.EVERY, line.mode());
        assertEquals(1, line.tail());
        assertEquals(1, line.lag());
        assertEquals(1, line.frames());
        assertEquals(2, status.head());
        assertEquals(1, status.attachedReaders());
        assertTrue(status.producerAlive());
        assertEquals(RingLayout.STATE_OPEN, status.state());
        writer.close();
        assertTrue(ring.isClosedByProducer());
    }

    @Test
    void misuseIsRefusedWithAClearMessage() {
        RingWriter writer = ring.writer(OverflowPolicy.drop());
        RingReader reader = ring.attachReader(ReadMode.EVERY);
        writer.claim();
        assertThrows(IllegalStateException.class, writer::claim);
        assertThrows(IllegalStateException.class, reader::release);
    }

    @Test
    void ringClosesWhenItsLastWriterDetaches() {
        RingWriter first = ring.writer(OverflowPolicy.drop());
        RingWriter second = ring.writer(OverflowPolicy.drop());
        assertEquals(2, ring.liveWriters());
        publish(first, 0);
        publish(second, 1); // two writers share one sequence through the lock
        first.close();
        assertFalse(ring.isClosedByProducer(), "one writer is still attached");
        second.close();
        assertTrue(ring.isClosedByProducer());
        assertEquals(0, ring.liveWriters());
    }

    @Test
    void hotPathsAllocateNothingPerFrame() {
        RingWriter writer = ring.writer(OverflowPolicy.overwrite());
        RingReader reader = ring.attachReader(ReadMode.EVERY);
        Runnable frame = () -> {
            FrameClaim claim = writer.claim();
            claim.checksum(claim.sequence()).publish();
            reader.poll();
            reader.release();
        };
        for (int i = 0; i < 200_000; i++) {
            frame.run(); // warm up: let the JIT compile the paths first
        }
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        int frames = 500_000;
        for (int i = 0; i < frames; i++) {
            frame.run();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // The writer's dead-reader sweep reads /proc twice a second; everything else allocates nothing.
        assertTrue(allocated < frames / 10, allocated + " bytes for " + frames + " frames");
    }

    @Test
    void copyFrameTakesTheNewestFrameWithoutHoldingTheWriterBack() {
        RingWriter writer = ring.writer(OverflowPolicy.block(Duration.ZERO));
        MemorySegment copy = MemorySegment.ofArray(new byte[(int) ring.geometry().frameLength()]);
        for (long sequence = 0; sequence < 3 * SLOTS; sequence++) {
            publish(writer, sequence); // no reader line: the copies never fill the ring
            assertTrue(ring.copyFrame(sequence, copy));
            assertEquals((byte) sequence, copy.get(ValueLayout.JAVA_BYTE, 5));
        }
        assertFalse(ring.copyFrame(0, copy), "frame 0's slot holds a newer frame now");
        assertEquals(0, writer.producerDrops());
    }

    @Test
    void displayReaderKeepsTheShownAndThePreviousFrameSafeUnderBlock() {
        RingWriter writer = ring.writer(OverflowPolicy.block(Duration.ZERO));
        DisplayReader display = ring.attachDisplayReader();
        assertNull(display.poll());
        publish(writer, 0);
        publish(writer, 1);
        Frame first = display.poll();
        assertEquals(1, first.sequence());
        assertEquals(1, display.skipped(), "frame 0 was never shown");
        assertEquals(0, display.lost());
        assertNull(display.poll(), "nothing newer yet");
        publish(writer, 2);
        assertEquals(2, display.poll().sequence());
        // Frame 1 may still be on its way to the screen: the tail stays on it.
        assertEquals(1, display.tail());
        for (long sequence = 3; sequence <= SLOTS; sequence++) {
            publish(writer, sequence); // up to 1 + SLOTS - 1
        }
        assertNull(writer.claim(), "frame 1's slot is next and still protected");
        assertEquals(SLOTS, display.poll().sequence());
        assertEquals(2, display.tail());
        assertEquals(3, display.frames());
        assertEquals(0, display.torn());
        // A refresh with nothing new lets the frame before the one on screen go: the writer goes on.
        assertNull(display.poll());
        assertEquals(SLOTS, display.tail());
        publish(writer, SLOTS + 1);
    }
}
