package dev.nanobroker.ring.testing;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Stress-test frames in which every 8-byte word follows from the frame's sequence and the id of the
 * writer that wrote it, so that a frame mixing two writes (a torn read, or two writers in one slot)
 * is told apart from a whole one. Word 0 is the sequence, word 1 the writer id, and word {@code i}
 * from 2 on is {@code mark(sequence, writer) + i * STEP}: distinct (sequence, writer) pairs give
 * distinct marks, so no word of one frame equals the same word of another. The mark also goes into
 * the descriptor's checksum field, which lets a reader check the descriptor against the pixels.
 * Frame lengths must be multiples of 8.
 */
public final class Payload {

    private static final long STEP = 0x9E3779B97F4A7C15L;

    private Payload() {
    }

    /** A bijection of (sequence below 2^48, writer below 2^16): murmur3's 64-bit finaliser. */
    public static long mark(long sequence, long writer) {
        long x = sequence ^ writer << 48;
        x ^= x >>> 33;
        x *= 0xFF51AFD7ED558CCDL;
        x ^= x >>> 33;
        x *= 0xC4CEB9FE1A85EC53L;
        x ^= x >>> 33;
        return x;
    }

    public static void fill(MemorySegment pixels, long sequence, long writer) {
        long words = pixels.byteSize() / 8;
        pixels.set(ValueLayout.JAVA_LONG, 0, sequence);
        pixels.set(ValueLayout.JAVA_LONG, 8, writer);
        long value = mark(sequence, writer) + 2 * STEP;
        for (long i = 2; i < words; i++, value += STEP) {
            pixels.set(ValueLayout.JAVA_LONG, i * 8, value);
        }
    }

    /** Fills only the first {@code words} words: a writer that dies half-way through a frame. */
    public static void fillPart(MemorySegment pixels, long sequence, long writer, long words) {
        fill(pixels.asSlice(0, words * 8), sequence, writer);
    }

    /** The writer id a frame claims to be from (word 1); meaningful only if {@link #whole} says so. */
    public static long writer(MemorySegment pixels) {
        return pixels.get(ValueLayout.JAVA_LONG, 8);
    }

    /** Whether every word is that of frame {@code sequence} by the writer named in word 1. */
    public static boolean whole(MemorySegment pixels, long sequence) {
        return whole(pixels, sequence, writer(pixels));
    }

    /** Whether every word is that of frame {@code sequence} by writer {@code writer}. */
    public static boolean whole(MemorySegment pixels, long sequence, long writer) {
        long words = pixels.byteSize() / 8;
        boolean whole = pixels.get(ValueLayout.JAVA_LONG, 0) == sequence && pixels.get(ValueLayout.JAVA_LONG, 8) == writer;
        long value = mark(sequence, writer) + 2 * STEP;
        for (long i = 2; i < words; i++, value += STEP) {
            // No early exit: every word is read, as a reader that uses the frame would.
            whole &= pixels.get(ValueLayout.JAVA_LONG, i * 8) == value;
        }
        return whole;
    }
}
