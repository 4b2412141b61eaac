package dev.nanobroker.codec;

import dev.nanobroker.frame.LatencyClock;
import dev.nanobroker.frame.Pixels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Frames for the codec tests: clock frames in native memory, and how far apart two frames are. */
final class TestFrames {

    private TestFrames() {
    }

    /** A native frame, rows {@code rowStride} bytes apart, from the arena. */
    static MemorySegment frame(Arena arena, int height, int rowStride) {
        return arena.allocate((long) height * rowStride, 8);
    }

    /** Clock frame {@code sequence}, rendered at {@code nanos}, in a new native frame. */
    static MemorySegment clock(Arena arena, int width, int height, int rowStride, long sequence, long nanos) {
        MemorySegment frame = frame(arena, height, rowStride);
        new LatencyClock().render(frame, width, height, rowStride, sequence, nanos);
        return frame;
    }

    /** Peak signal-to-noise ratio of {@code b} against {@code a} over the R, G and B of every pixel, in dB. */
    static double psnr(MemorySegment a, MemorySegment b, int width, int height, int rowStride) {
        double squares = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = Pixels.get(a, rowStride, x, y);
                int q = Pixels.get(b, rowStride, x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    int d = (p >>> shift & 0xFF) - (q >>> shift & 0xFF);
                    squares += d * d;
                }
            }
        }
        double meanSquare = squares / (3.0 * width * height);
        return meanSquare == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / meanSquare);
    }

    /** Whether every pixel of the frame is opaque. */
    static boolean opaque(MemorySegment frame, int width, int height, int rowStride) {
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (Pixels.get(frame, rowStride, x, y) >>> 24 != 0xFF) {
                    return false;
                }
            }
        }
        return true;
    }
}
