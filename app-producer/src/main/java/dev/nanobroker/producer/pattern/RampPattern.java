package dev.nanobroker.producer.pattern;

import dev.nanobroker.frame.Pixels;
import dev.nanobroker.frame.PreparedFrame;

import java.lang.foreign.MemorySegment;

/**
 * Horizontal ramps in five bands of equal height, left 0 to right 255: a smooth grey ramp, the same
 * grey in 11 steps (0%, 10%, ... 100%: banding, clipping and gamma show as unequal steps), then red,
 * green and blue ramps (a swapped or dropped channel shows as the wrong band colour). Five template
 * rows per geometry; a frame is row copies only.
 */
public final class RampPattern extends PreparedFrame implements TestPattern {

    static final int BANDS = 5;
    static final int STEPS = 11;

    private final MemorySegment[] rows = new MemorySegment[BANDS];

    /** The 0..255 ramp value at column {@code x} of a {@code width}-pixel row. */
    static int rampValue(int x, int width) {
        return width <= 1 ? 0 : (int) ((x * 255L * 2 + (width - 1)) / ((width - 1) * 2L));
    }

    @Override
    protected void prepare(int width, int height) {
        for (int band = 0; band < BANDS; band++) {
            rows[band] = Pixels.newRow(width);
        }
        for (int x = 0; x < width; x++) {
            int v = rampValue(x, width);
            int step = (int) ((long) x * STEPS / width);
            int stepped = (step * 255 + (STEPS - 1) / 2) / (STEPS - 1);
            long at = x * 4L;
            rows[0].set(Pixels.PIXEL, at, Pixels.grey(v));
            rows[1].set(Pixels.PIXEL, at, Pixels.grey(stepped));
            rows[2].set(Pixels.PIXEL, at, Pixels.rgb(v, 0, 0));
            rows[3].set(Pixels.PIXEL, at, Pixels.rgb(0, v, 0));
            rows[4].set(Pixels.PIXEL, at, Pixels.rgb(0, 0, v));
        }
    }

    @Override
    protected void draw(MemorySegment pixels, int width, int height, int rowStride, long sequence, long nanos) {
        for (int band = 0; band < BANDS; band++) {
            Pixels.copyRow(rows[band], pixels, rowStride, width,
                    Pixels.part(height, band, BANDS), Pixels.part(height, band + 1, BANDS));
        }
    }
}
