package dev.nanobroker.producer.pattern;

import java.lang.foreign.MemorySegment;

/** Helpers for the pattern tests and tools. */
final class PatternTestSupport {

    private PatternTestSupport() {
    }

    /** A nearest-neighbour copy scaled down by {@code factor}: pixel (x, y) of the copy is (factor x, factor y). */
    static MemorySegment downscale(MemorySegment frame, int width, int height, int stride, int factor) {
        int w = width / factor;
        int h = height / factor;
        MemorySegment copy = MemorySegment.ofArray(new byte[w * h * 4]);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                copy.set(Pixels.PIXEL, ((long) y * w + x) * 4, frame.get(Pixels.PIXEL, (long) y * factor * stride + (long) x * factor * 4));
            }
        }
        return copy;
    }

    /** The pixel at (x, y) as 0xAARRGGBB. */
    static int pixel(MemorySegment frame, int stride, int x, int y) {
        return frame.get(Pixels.PIXEL, (long) y * stride + x * 4L);
    }
}
