package dev.nanobroker.frame;

import java.lang.foreign.MemorySegment;

/**
 * A drawing that builds what does not change from frame to frame (template rows, per-column
 * tables) once per frame size, and draws each frame from it. {@link #render} checks the frame,
 * rebuilds when the size differs from the last frame's, then draws: no allocation per frame. The
 * latency clock and the producer's test patterns are drawn this way.
 */
public abstract class PreparedFrame {

    private int preparedWidth = -1;
    private int preparedHeight = -1;

    /**
     * Draws frame {@code sequence}, rendered at {@code nanos}, into {@code pixels} (BGRA, premultiplied,
     * rows {@code rowStride} bytes apart), every pixel of the {@code width x height} area.
     */
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
    protected abstract void prepare(int width, int height);

    /** Draws one frame of the size {@link #prepare} last saw; the frame is already checked. */
    protected abstract void draw(MemorySegment pixels, int width, int height, int rowStride, long sequence, long nanos);
}
