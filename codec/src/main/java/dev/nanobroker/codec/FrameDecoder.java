package dev.nanobroker.codec;

import java.lang.foreign.MemorySegment;

/**
 * Turns payloads back into frames, on the receiving host; made by {@link FrameCodec#decoderFor}. One
 * thread at a time. Its buffers are made at creation (JPEG and H.264: FFmpeg's contexts and frame, a
 * padded input buffer as large as a raw frame) or on the first frame (the YUV to BGRA converter) and
 * reused: decoding allocates nothing on the Java heap ({@code CodecBench}). {@link #close} frees the
 * native memory.
 *
 * <p><b>Loss.</b> Raw and JPEG payloads stand alone: a lost one is a lost frame, the next decodes.
 * H.264 payloads depend on the ones before them. A new decoder, one told {@link #payloadLost}, and one
 * that failed on a damaged payload {@link #needsKeyframe}: it skips payloads ({@link #decode} returns
 * false and leaves the target alone) until a keyframe arrives, which comes by itself within a second
 * (the encoder's keyframe interval) or sooner when the receiver asks the sender for one
 * ({@link FrameEncoder#requestKeyframe}). A receiver therefore calls {@code payloadLost} when the
 * message sequence has a gap, and asks for a keyframe whenever {@code needsKeyframe} is true.
 */
public interface FrameDecoder extends AutoCloseable {

    /** The wire id of the codec whose payloads this decodes. */
    byte codecId();

    /**
     * Decodes one payload into {@code target}.
     *
     * @param payload   what the encoder returned, on the heap or native
     * @param target    where the frame goes: BGRA premultiplied (opaque for JPEG and H.264),
     *                  {@code height} rows of {@code width} pixels, {@code rowStride} bytes apart; native
     *                  memory (a ring slot) for JPEG and H.264, any segment for raw
     * @return true when {@code target} now holds the frame; false (H.264 only) when the decoder waits
     *     for a keyframe and skipped this payload, or the payload held no picture: {@code target} untouched
     * @throws IllegalArgumentException when {@code target} cannot hold the frame, or is on the heap where
     *     native memory is needed
     * @throws CodecException when the payload cannot be decoded or decodes to another size (one line);
     *     an H.264 decoder then waits for a keyframe
     */
    boolean decode(MemorySegment payload, MemorySegment target, int rowStride);

    /** Whether the decoder skips payloads until a keyframe (H.264 after creation, a loss or a failure). */
    boolean needsKeyframe();

    /** Tells the decoder that a payload before the next one was lost; H.264 then waits for a keyframe. */
    void payloadLost();

    @Override
    void close();
}
