package dev.nanobroker.ring;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.nanobroker.ring.RingLayout.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pins the views to {@link RingLayout} (which RingLayoutSpecTest pins to the spec): every word a
 * {@link ReaderLine} or {@link SlotDescriptor} writes lands at the offset the layout gives, and
 * nowhere else.
 */
class HeaderViewsTest {

    private final MemorySegment header = MemorySegment.ofArray(new long[Math.toIntExact(headerLength(4) / Long.BYTES)]);

    @Test
    void aReaderLineWritesEachWordAtItsLayoutOffset() {
        int index = 5;
        ReaderLine line = new ReaderLine(header, index);
        long base = readerOffset(index);
        line.putTailRelease(11);
        line.putOwnerRelease(12);
        line.putModeRelease(MODE_LATEST);
        line.putFramesOpaque(13);
        line.putLostOpaque(14);
        line.putTornOpaque(15);
        line.putLatencyOpaque(16);
        line.putSkippedOpaque(17);

        assertEquals(index, line.index());
        assertEquals(11, longAt(base + READER_TAIL_OFFSET));
        assertEquals(12, longAt(base + READER_OWNER_OFFSET));
        assertEquals(MODE_LATEST, header.get(ValueLayout.JAVA_INT, base + READER_MODE_OFFSET));
        assertEquals(13, longAt(base + READER_FRAMES_OFFSET));
        assertEquals(14, longAt(base + READER_LOST_OFFSET));
        assertEquals(15, longAt(base + READER_TORN_OFFSET));
        assertEquals(16, longAt(base + READER_LATENCY_OFFSET));
        assertEquals(17, longAt(base + READER_SKIPPED_OFFSET));
        assertEquals(0, nonZeroBytesOutside(base, READER_LENGTH), "nothing written outside the line");

        assertEquals(11, line.tailAcquire());
        assertEquals(12, line.ownerAcquire());
        assertEquals(MODE_LATEST, line.modeAcquire());
        assertEquals(13, line.framesOpaque());
        assertEquals(14, line.lostOpaque());
        assertEquals(15, line.tornOpaque());
        assertEquals(16, line.latencyOpaque());
        assertEquals(17, line.skippedOpaque());
        assertTrue(line.compareAndSetOwner(12, 0));
        line.resetCounters();
        for (long counter : new long[] {READER_FRAMES_OFFSET, READER_LOST_OFFSET, READER_TORN_OFFSET,
                READER_LATENCY_OFFSET, READER_SKIPPED_OFFSET}) {
            assertEquals(0, longAt(base + counter));
        }
    }

    @Test
    void aSlotDescriptorWritesEachWordAtItsLayoutOffset() {
        int slot = 3;
        MemorySegment pixels = MemorySegment.ofArray(new byte[16]);
        SlotDescriptor descriptor = new SlotDescriptor(header, slot, pixels);
        long base = descriptorOffset(slot);
        descriptor.putFields(640, 360, 2560, 0xC0FFEEL, 17);
        descriptor.putPublishNanos(123_456_789L);
        descriptor.putSequenceRelease(42);

        assertEquals(slot, descriptor.slot());
        assertEquals(pixels, descriptor.pixels());
        assertEquals(42, longAt(base + DESCRIPTOR_SEQUENCE_OFFSET));
        assertEquals(123_456_789L, longAt(base + DESCRIPTOR_PUBLISH_NANOS_OFFSET));
        assertEquals(640, header.get(ValueLayout.JAVA_INT, base + DESCRIPTOR_WIDTH_OFFSET));
        assertEquals(360, header.get(ValueLayout.JAVA_INT, base + DESCRIPTOR_HEIGHT_OFFSET));
        assertEquals(2560, header.get(ValueLayout.JAVA_INT, base + DESCRIPTOR_ROW_STRIDE_OFFSET));
        assertEquals(0xC0FFEEL, longAt(base + DESCRIPTOR_CHECKSUM_OFFSET));
        assertEquals(18, longAt(base + DESCRIPTOR_SOURCE_SEQUENCE_OFFSET), "1 + the source's sequence");
        assertEquals(0, nonZeroBytesOutside(base, DESCRIPTOR_LENGTH), "nothing written outside the descriptor");

        assertEquals(42, descriptor.sequenceAcquire());
        descriptor.putSequenceOpaque(43 | SEQUENCE_WRITING_BIT);
        assertEquals(43 | SEQUENCE_WRITING_BIT, descriptor.sequenceOpaque());
        Frame frame = descriptor.bind(new Frame(new ReaderLine(header, 0)), 42);
        assertEquals(42, frame.sequence());
        assertEquals(slot, frame.slot());
        assertEquals(123_456_789L, frame.publishNanos());
        assertEquals(640, frame.width());
        assertEquals(360, frame.height());
        assertEquals(2560, frame.rowStride());
        assertEquals(0xC0FFEEL, frame.checksum());
        assertEquals(17, frame.sourceSequence());
        assertEquals(pixels, frame.pixels());

        descriptor.putFields(640, 360, 2560, 0, SlotDescriptor.NO_SOURCE);
        assertEquals(0, longAt(base + DESCRIPTOR_SOURCE_SEQUENCE_OFFSET), "0: first published in this ring");
        assertEquals(42, descriptor.bind(frame, 42).sourceSequence(), "a frame of this ring is its own source");
    }

    @Test
    void aFramesFirstLatencyCallReadsTheClockAndRecordsItAsItsLinesLatency() {
        ReaderLine line = new ReaderLine(header, 7);
        SlotDescriptor descriptor = new SlotDescriptor(header, 1, MemorySegment.ofArray(new byte[16]));
        long published = System.nanoTime();
        descriptor.putPublishNanos(published);
        descriptor.putSequenceRelease(5);
        Frame frame = descriptor.bind(new Frame(line), 5);
        assertEquals(0, line.latencyOpaque(), "binding a frame reads no clock and records nothing");

        long before = System.nanoTime();
        long latency = frame.latencyNanos();
        long after = System.nanoTime();

        assertTrue(latency >= before - published && latency <= after - published, () -> "latency " + latency);
        assertEquals(latency, line.latencyOpaque());
        assertEquals(latency, longAt(readerOffset(7) + READER_LATENCY_OFFSET));
        assertEquals(latency, frame.latencyNanos(), "later calls return the first measurement");
        descriptor.bind(frame, 6);
        assertTrue(frame.latencyNanos() >= latency, "the next frame is measured afresh");
    }

    private long longAt(long offset) {
        return header.get(ValueLayout.JAVA_LONG, offset);
    }

    private int nonZeroBytesOutside(long start, long length) {
        int found = 0;
        for (long offset = 0; offset < header.byteSize(); offset++) {
            if ((offset < start || offset >= start + length) && header.get(ValueLayout.JAVA_BYTE, offset) != 0) {
                found++;
            }
        }
        return found;
    }
}
