package dev.nanobroker.producer.pattern;

import dev.nanobroker.frame.Pixels;

import java.lang.foreign.MemorySegment;

/**
 * Grey snow, different every frame: an xorshift64* generator (xorshift64, output multiplied by a
 * constant to hide the low-bit linearity) seeded from the sequence number (so a frame is reproducible
 * from its number), eight pixels per generated long (one byte each, spread to
 * B = G = R, opaque), written two pixels per long store. Incompressible and full of edges: the worst
 * case for anything downstream that encodes or scales.
 */
public final class NoisePattern implements TestPattern {

    private static final long OPAQUE_PAIR = 0xFF00_0000_FF00_0000L;
    private static final long SPREAD = 0x01_0101L;
    private static final long MULTIPLIER = 0x2545_F491_4F6C_DD1DL;

    private static long two(long random, int shift) {
        return ((random >>> shift & 0xFF) * SPREAD) | ((random >>> (shift + 8) & 0xFF) * SPREAD) << 32 | OPAQUE_PAIR;
    }

    /** A non-zero xorshift state for frame {@code sequence}. */
    static long seed(long sequence) {
        long z = (sequence + 1) * 0x9E37_79B9_7F4A_7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        z ^= z >>> 31;
        return z == 0 ? MULTIPLIER : z;
    }

    @Override
    public void render(MemorySegment pixels, int width, int height, int rowStride, long sequence, long nanos) {
        Pixels.checkFrame(pixels, width, height, rowStride);
        long state = seed(sequence);
        int octets = width & ~7;
        for (int y = 0; y < height; y++) {
            long row = (long) y * rowStride;
            long end = row + octets * 4L;
            for (long at = row; at < end; at += 32) {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                long random = state * MULTIPLIER;
                pixels.set(Pixels.PAIR, at, two(random, 0));
                pixels.set(Pixels.PAIR, at + 8, two(random, 16));
                pixels.set(Pixels.PAIR, at + 16, two(random, 32));
                pixels.set(Pixels.PAIR, at + 24, two(random, 48));
            }
            if (octets < width) {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                long random = state * MULTIPLIER;
                for (int x = octets; x < width; x++) {
                    int v = (int) (random >>> ((x - octets) * 8)) & 0xFF;
                    pixels.set(Pixels.PIXEL, row + x * 4L, 0xFF00_0000 | v * 0x01_0101);
                }
            }
        }
    }
}
