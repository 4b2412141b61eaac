package dev.nanobroker.cli;

import dev.nanobroker.ring.FrameChecksum;
import dev.nanobroker.ring.FrameClaim;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The headless producer's verifiable pattern: each frame is one opaque flat colour derived from its
 * sequence number, so a reader can check a frame against the sequence it claims, and a torn frame
 * (two colours) fails its checksum. Filling is a row fill plus row copies: memset speed.
 */
final class SyntheticFrames {

    private static final ValueLayout.OfInt PIXEL = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    private SyntheticFrames() {
    }

    /** Opaque BGRA colour of frame {@code sequence}, as a little-endian int (B in the low byte). */
    static int colourOf(long sequence) {
        long mixed = (sequence + 1) * 0x9E3779B97F4A7C15L;
        return 0xFF00_0000 | (int) (mixed >>> 40);
    }

    /** Fills the claimed slot with the frame's colour and stores its checksum. */
    static void render(FrameClaim claim) {
        MemorySegment pixels = claim.pixels();
        int width = claim.geometry().width();
        int rowStride = claim.geometry().rowStride();
        int height = claim.geometry().height();
        int colour = colourOf(claim.sequence());
        for (int x = 0; x < width; x++) {
            pixels.set(PIXEL, (long) x * 4, colour);
        }
        for (int y = 1; y < height; y++) {
            MemorySegment.copy(pixels, 0, pixels, (long) y * rowStride, rowStride);
        }
        claim.checksum(FrameChecksum.of(pixels));
    }

    /** Whether a frame's pixels are its sequence's colour and match the checksum stored with it. */
    static boolean verify(MemorySegment pixels, long sequence, long storedChecksum) {
        return pixels.get(PIXEL, 0) == colourOf(sequence) && FrameChecksum.of(pixels) == storedChecksum;
    }
}
