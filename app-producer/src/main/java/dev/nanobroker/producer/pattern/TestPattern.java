package dev.nanobroker.producer.pattern;

import dev.nanobroker.frame.Pixels;

import java.lang.foreign.MemorySegment;

/**
 * A test pattern: draws one frame straight into a ring slot's memory, no staging copy. Pixels are
 * 32-bit BGRA with premultiplied alpha, stored little-endian (B at the lowest address), rows
 * {@code rowStride} bytes apart. Implementations allocate nothing per frame, draw every pixel of
 * the {@code width x height} area (the slot still holds an older frame), and may keep state
 * between frames (they are called by one thread, frames in increasing order, some skipped).
 */
public interface TestPattern {

    /**
     * @param pixels    the slot, at least {@code rowStride * height} bytes
     * @param sequence  the ring sequence number of this frame
     * @param nanos     {@link System#nanoTime()} when rendering started (CLOCK_MONOTONIC on Linux)
     */
    void render(MemorySegment pixels, int width, int height, int rowStride, long sequence, long nanos);
}
