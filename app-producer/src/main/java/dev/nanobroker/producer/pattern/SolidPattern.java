package dev.nanobroker.producer.pattern;

import dev.nanobroker.frame.Pixels;

import java.lang.foreign.MemorySegment;

/**
 * The whole frame one colour, {@link PatternOptions#colour()} (0xAARRGGBB, straight alpha), stored
 * premultiplied: with alpha below 255 the colour components are scaled by alpha/255, rounded.
 * One row filled two pixels per long, the others copied from it.
 */
public final class SolidPattern implements TestPattern {

    private final int pixel;

    public SolidPattern(int argb) {
        this.pixel = Pixels.premultiply(argb);
    }

    /** The premultiplied pixel this pattern writes. */
    public int pixel() {
        return pixel;
    }

    @Override
    public void render(MemorySegment pixels, int width, int height, int rowStride, long sequence, long nanos) {
        Pixels.checkFrame(pixels, width, height, rowStride);
        Pixels.fill(pixels, 0, width, pixel);
        Pixels.repeatRow(pixels, rowStride, width, 0, 1, height);
    }
}
