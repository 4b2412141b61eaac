package dev.nanobroker.producer.pattern;

import dev.nanobroker.frame.Pixels;

import java.lang.foreign.MemorySegment;

/**
 * A pattern that builds what does not change from frame to frame (template rows, per-column
 * tables) once per frame size, and draws each frame from it. {@link #render} checks the frame,
 * rebuilds when the size differs from the last frame's, then draws: no allocation per frame.
 */
abstract class PreparedPattern implements TestPattern {

    private int preparedWidth = -1;
    private int preparedHeight = -1;

    @Override
    public final void render(MemorySegment pixels, int width, int height, int rowStride, long sequence, long nanos) {
        Pixels.checkFrame(pixels, width, height, rowStride);
        if (width != preparedWidth || height != preparedHeight) {
            prepare(width, height);
            preparedWidth = width;
            preparedHeight = height;
        }
        draw(pixels, width, height, rowStride, sequence, nanos);
    }

    /** Builds what frames of this size share; called on the first frame and when the size changes. */
    abstract void prepare(int width, int height);

    /** Draws one frame of the size {@link #prepare} last saw; the frame is already checked. */
    abstract void draw(MemorySegment pixels, int width, int height, int rowStride, long sequence, long nanos);
}
