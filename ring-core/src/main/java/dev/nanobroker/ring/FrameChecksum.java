package dev.nanobroker.ring;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The checksum a writer may store in a slot descriptor: 64-bit FNV-1a over the frame's bytes taken as
 * little-endian 64-bit words (a last 4-byte word, if the length is not a multiple of 8, as one more
 * word with its upper half zero). One multiply per 8 bytes: about a millisecond for a 1080p frame.
 */
public final class FrameChecksum {

    public static final long OFFSET_BASIS = 0xCBF29CE484222325L;
    public static final long PRIME = 0x100000001B3L;

    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt HALF_WORD = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    private FrameChecksum() {
    }

    public static long of(MemorySegment bytes) {
        long hash = OFFSET_BASIS;
        long length = bytes.byteSize();
        long words = length & ~7L;
        for (long offset = 0; offset < words; offset += 8) {
            hash = (hash ^ bytes.get(WORD, offset)) * PRIME;
        }
        if (length - words >= 4) {
            hash = (hash ^ Integer.toUnsignedLong(bytes.get(HALF_WORD, words))) * PRIME;
        }
        return hash;
    }
}
