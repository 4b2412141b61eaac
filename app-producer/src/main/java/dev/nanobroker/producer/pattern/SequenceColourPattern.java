package dev.nanobroker.producer.pattern;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Each frame one opaque flat colour derived from its sequence number: a reader can check a frame
 * against the sequence it claims, and a torn frame (two colours) is visible and fails its checksum.
 * Filling is one row of pixels plus row copies: memset speed.
 */
public final class SequenceColourPattern implements TestPattern {

    private static final ValueLayout.OfInt PIXEL = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Opaque BGRA colour of frame {@code sequence}, as a little-endian int (B in the low byte). */
    public static int colourOf(long sequence) {
        long mixed = (sequence + 1) * 0x9E3779B97F4A7C15L;
        return 0xFF00_0000 | (int) (mixed >>> 40);
    }

    /** Whether a frame's first pixel is its sequence's colour. */
    public static boolean matches(MemorySegment pixels, long sequence) {
        return pixels.get(PIXEL, 0) == colourOf(sequence);
    }

    @Override
    public void render(MemorySegment pixels, int width, int height, int rowStride, long sequence, long nanos) {
        int colour = colourOf(sequence);
        for (int x = 0; x < width; x++) {
            pixels.set(PIXEL, (long) x * 4, colour);
        }
        for (int y = 1; y < height; y++) {
            MemorySegment.copy(pixels, 0, pixels, (long) y * rowStride, rowStride);
        }
    }
}
