package dev.nanobroker.codec;

import dev.nanobroker.frame.Pixels;

import java.lang.foreign.MemorySegment;

/** {@link FrameCodec.Raw}'s decoder: packed rows copied into the target's rows. */
final class RawDecoder implements FrameDecoder {

    private final int width;
    private final int height;

    RawDecoder(int width, int height) {
        this.width = width;
        this.height = height;
    }

    @Override
    public byte codecId() {
        return FrameCodec.RAW_ID;
    }

    @Override
    public boolean decode(MemorySegment payload, MemorySegment target, int rowStride) {
        Pixels.checkFrame(target, width, height, rowStride);
        long rowBytes = width * 4L;
        if (payload.byteSize() != rowBytes * height) {
            throw new CodecException("raw payload of " + payload.byteSize() + " bytes is not a " + width + "x" + height
                    + " frame (" + rowBytes * height + " bytes)");
        }
        if (rowStride == rowBytes) {
            MemorySegment.copy(payload, 0, target, 0, rowBytes * height);
        } else {
            for (int y = 0; y < height; y++) {
                MemorySegment.copy(payload, y * rowBytes, target, (long) y * rowStride, rowBytes);
            }
        }
        return true;
    }

    @Override
    public boolean needsKeyframe() {
        return false;
    }

    @Override
    public void payloadLost() {
        // every raw payload stands alone
    }

    @Override
    public void close() {
        // nothing held
    }
}
