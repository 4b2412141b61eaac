package dev.nanobroker.codec;

import java.lang.foreign.MemorySegment;

/**
 * Turns frames of one size into payloads, on the sending host; made by {@link FrameCodec#newEncoder}.
 * One thread at a time. Its buffers are made at creation (JPEG and H.264: FFmpeg's contexts and YUV
 * frame) or on first need (raw: a packed copy, for the first frame whose rows have padding) and
 * reused, so encoding allocates no buffer per frame; a small Java object or two per call remain (the
 * payload's {@code MemorySegment}, and for FFmpeg a JavaCPP pointer to the packet: 40 and 128 bytes,
 * {@code CodecBench}). {@link #close} frees the native memory.
 */
public interface FrameEncoder extends AutoCloseable {

    /** The codec and settings this encoder uses. */
    FrameCodec codec();

    /**
     * Encodes one frame.
     *
     * @param pixels    BGRA premultiplied, {@code height} rows of {@code width} pixels, rows
     *                  {@code rowStride} bytes apart; native memory (a ring slot, or from an
     *                  {@code Arena}) for JPEG and H.264, which hand its address to FFmpeg; any segment
     *                  for raw
     * @param rowStride bytes from one row's start to the next's, at least {@code width * 4}
     * @return the payload: a view of memory the encoder owns (raw, when rows are packed: of
     *     {@code pixels} itself), valid until the next {@code encode} or {@link #close}. Never empty
     * @throws IllegalArgumentException when {@code pixels} cannot hold the frame, or is on the heap where
     *     native memory is needed
     * @throws CodecException when FFmpeg fails (one line)
     */
    MemorySegment encode(MemorySegment pixels, int rowStride);

    /**
     * Whether the last payload can be decoded on its own, i.e. a decoder may start or resume there.
     * Always true for raw and JPEG; for H.264, true for keyframes.
     */
    boolean lastWasKeyframe();

    /**
     * Makes the next {@link #encode} produce a keyframe: the sender calls it when a receiver reports a
     * loss, so that the receiver's decoder recovers without waiting for the periodic one. Nothing to do
     * for raw and JPEG, whose every payload stands alone.
     */
    void requestKeyframe();

    @Override
    void close();
}
