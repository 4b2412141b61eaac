package dev.nanobroker.codec;

import dev.nanobroker.frame.Pixels;

import java.lang.foreign.MemorySegment;

/** {@link FrameCodec.Raw}'s encoder: the frame itself when its rows are packed, else a packed copy. */
final class RawEncoder implements FrameEncoder {

    private final FrameCodec.Raw codec;
    private final int width;
    private final int height;
    /** The packed copy of a frame with padded rows, made on the first such frame. */
    private MemorySegment packed;

    RawEncoder(FrameCodec.Raw codec, int width, int height) {
        this.codec = codec;
        this.width = width;
        this.height = height;
    }

    @Override
    public FrameCodec codec() {
        return codec;
    }

    @Override
    public MemorySegment encode(MemorySegment pixels, int rowStride) {
        Pixels.checkFrame(pixels, width, height, rowStride);
        long rowBytes = width * 4L;
        if (rowStride == rowBytes) {
            return pixels.asSlice(0, rowBytes * height);
        }
        if (packed == null) {
            packed = MemorySegment.ofArray(new byte[Math.toIntExact(rowBytes * height)]);
        }
        for (int y = 0; y < height; y++) {
            MemorySegment.copy(pixels, (long) y * rowStride, packed, y * rowBytes, rowBytes);
        }
        return packed;
    }

    @Override
    public boolean lastWasKeyframe() {
        return true;
    }

    @Override
    public void requestKeyframe() {
        // every raw payload stands alone
    }

    @Override
    public void close() {
        packed = null;
    }
}
