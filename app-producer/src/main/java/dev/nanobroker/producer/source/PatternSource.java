package dev.nanobroker.producer.source;

import dev.nanobroker.producer.pattern.TestPattern;

import java.lang.foreign.MemorySegment;

/**
 * A test pattern as a frame source, at the size asked for, as fast as it is asked. The pattern can
 * be swapped while frames are being produced (the window's pattern control).
 */
public final class PatternSource implements FrameSource {

    private final int width;
    private final int height;
    private final String name;
    private volatile TestPattern pattern;

    public PatternSource(String name, TestPattern pattern, int width, int height) {
        this.name = name;
        this.pattern = pattern;
        this.width = width;
        this.height = height;
    }

    /** Takes effect from the next frame. */
    public void pattern(TestPattern next) {
        this.pattern = next;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public double nativeFps() {
        return 0;
    }

    @Override
    public void next(MemorySegment pixels, int rowStride, long sequence, long nanos) {
        pattern.render(pixels, width, height, rowStride, sequence, nanos);
    }

    @Override
    public String description() {
        return "pattern " + name + " " + width + "x" + height;
    }

    @Override
    public void close() {
        // nothing to release
    }
}
