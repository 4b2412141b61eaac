package dev.nanobroker.bridge;

import dev.nanobroker.ring.FrameChecksum;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** A payload's checksum: the ring's frame checksum where that covers every byte, and every byte where it does not. */
class PayloadChecksumTest {

    @Test
    void equalsTheFrameChecksumForWholeWordsAndHalfWords() {
        byte[] bytes = new byte[1004];
        new Random(1).nextBytes(bytes);
        for (int length : new int[] {0, 4, 8, 1000, 1004}) {
            MemorySegment payload = MemorySegment.ofArray(bytes).asSlice(0, length);
            assertEquals(FrameChecksum.of(payload), PayloadChecksum.of(payload), "length " + length);
        }
    }

    @Test
    void everyTrailingByteCounts() {
        byte[] bytes = new byte[1003];
        new Random(2).nextBytes(bytes);
        long whole = PayloadChecksum.of(MemorySegment.ofArray(bytes));
        for (int at = 1000; at < 1003; at++) {
            byte[] damaged = bytes.clone();
            damaged[at] ^= 1;
            assertNotEquals(whole, PayloadChecksum.of(MemorySegment.ofArray(damaged)), "byte " + at);
        }
    }
}
