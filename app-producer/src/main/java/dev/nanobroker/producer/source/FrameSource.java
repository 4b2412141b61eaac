package dev.nanobroker.producer.source;

import java.lang.foreign.MemorySegment;

/**
 * Where frames come from when they are not drawn: a camera or a video file. A source writes each
 * frame straight into a ring slot's memory as 32-bit BGRA with premultiplied alpha, little-endian
 * (B at the lowest address), rows {@code rowStride} bytes apart, the same format as
 * {@link dev.nanobroker.producer.pattern.TestPattern}. One thread at a time calls {@link #next}.
 *
 * <p>Failures (device missing or busy, file missing or without video, decoding errors) are
 * {@link SourceException}s whose message is one line for the user, naming the device or file.
 */
public interface FrameSource extends AutoCloseable {

    /** Width of the frames this source delivers, which may differ from what was asked for. */
    int width();

    /** Height of the frames this source delivers, which may differ from what was asked for. */
    int height();

    /** The file's frame rate or the camera's negotiated rate, in frames per second; 0 if unknown. */
    double nativeFps();

    /**
     * Writes the next frame into {@code pixels}, blocking until one is available. A file starts over
     * at its end, forever. The frame covers {@code width() x height()} pixels from the start of
     * {@code pixels}; bytes past {@code width() * 4} in a row are left as they are.
     *
     * @param pixels    the slot, at least {@code rowStride * height()} bytes
     * @param rowStride bytes from one row to the next, at least {@code width() * 4}
     * @param sequence  the ring sequence number of this frame
     * @param nanos     {@link System#nanoTime()} when this frame was started
     * @throws SourceException when the source fails or stops delivering frames
     */
    void next(MemorySegment pixels, int rowStride, long sequence, long nanos);

    /** One line for people, e.g. {@code file clip.mkv 320x240 @ 25 fps}. */
    String description();

    /** Releases the device or file. Idempotent. */
    @Override
    void close();
}
