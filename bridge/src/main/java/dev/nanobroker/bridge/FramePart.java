package dev.nanobroker.bridge;

import dev.nanobroker.codec.FrameCodec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The header of a frame part: one part of one frame, followed on the wire by that part's bytes. A
 * frame travels as {@link #partCount} messages in order, each at most the publication's part size
 * (1 MiB, or less when the channel's term length allows less), which Aeron fragments into datagrams
 * and reassembles. Every part repeats the whole frame header, so a receiver that joins mid-stream or
 * misses a part knows which frame it belongs to. Little-endian, 112 bytes (docs/bridge.md, "The
 * message format"):
 *
 * <pre>
 *  0       the {@link BridgeMessage} start: magic, version 2, type 1 (frame part)
 *  6  u8   codec      the payload's codec ({@link FrameCodec#id}): 0 = raw BGRA as in the ring's slot
 *                     (rowStride * height bytes), 1 = jpeg, 2 = h264
 *  7  u8   reserved   0
 *  8  i64  message    this sender's frame number: 0, 1, 2... for every frame it starts to send
 * 16  i64  sequence   the frame's sequence in the ring where it was first published (the source ring's
 *                     {@code Frame.sourceSequence()}); the receiver's ring keeps it as its copy's source sequence
 * 24  i64  publishNanos  when the source ring's writer published it (the sender's CLOCK_MONOTONIC)
 * 32  i64  sentNanos  when the sender began to send it (the same clock)
 * 40  i32  width
 * 44  i32  height
 * 48  i32  rowStride
 * 52  i32  slotCount  the source ring's slots (a receiver's ring takes the same by default)
 * 56  i64  checksum   of the payload ({@link PayloadChecksum}: FNV-1a 64 over 64-bit words): raw, the
 *                     frame's bytes, the producer's FrameChecksum (never 0); jpeg, h264, the compressed
 *                     bytes, checked before decoding
 * 64  i64  frameLength  the payload's bytes (raw: rowStride * height; jpeg, h264: 1 to width * height * 4)
 * 72  i64  partOffset where this part's bytes go in the frame
 * 80  i32  partIndex  0 .. partCount - 1
 * 84  i32  partCount
 * 88  i64  clock high the sender's {@link ClockIdentity}: which clock the times above were read on
 * 96  i64  clock low
 * 104 i32  probePort  the UDP port the sender takes {@link ClockProbe}s on (0: none)
 * 108 i32  reserved   0
 * 112      the part's bytes, to the end of the message
 * </pre>
 *
 * @param partLength the bytes that follow the header (not itself on the wire: the message's length)
 */
public record FramePart(int codec, long message, long sequence, long publishNanos, long sentNanos, int width, int height,
                        int rowStride, int slotCount, long checksum, long frameLength, long partOffset, int partIndex,
                        int partCount, ClockIdentity clock, int probePort, int partLength) {

    public static final int CODEC_RAW = FrameCodec.RAW_ID;
    public static final int HEADER_LENGTH = 112;

    private static final ByteOrder ORDER = BridgeMessage.ORDER;

    /** The same frame's part {@code index}, which starts at {@code offset} and holds {@code length} bytes. */
    public FramePart part(int index, long offset, int length) {
        return new FramePart(codec, message, sequence, publishNanos, sentNanos, width, height, rowStride, slotCount, checksum,
                frameLength, offset, index, partCount, clock, probePort, length);
    }

    /** The same frame, sent at {@code sentNanos}. */
    public FramePart sentAt(long sentNanos) {
        return new FramePart(codec, message, sequence, publishNanos, sentNanos, width, height, rowStride, slotCount, checksum,
                frameLength, partOffset, partIndex, partCount, clock, probePort, partLength);
    }

    /** Writes this header at {@code offset}; the part's bytes go right after it. */
    public void encode(MutableDirectBuffer buffer, int offset) {
        BridgeMessage.writeStart(buffer, offset, BridgeMessage.TYPE_FRAME_PART);
        buffer.putByte(offset + 6, (byte) codec);
        buffer.putByte(offset + 7, (byte) 0);
        buffer.putLong(offset + 8, message, ORDER);
        buffer.putLong(offset + 16, sequence, ORDER);
        buffer.putLong(offset + 24, publishNanos, ORDER);
        buffer.putLong(offset + 32, sentNanos, ORDER);
        buffer.putInt(offset + 40, width, ORDER);
        buffer.putInt(offset + 44, height, ORDER);
        buffer.putInt(offset + 48, rowStride, ORDER);
        buffer.putInt(offset + 52, slotCount, ORDER);
        buffer.putLong(offset + 56, checksum, ORDER);
        buffer.putLong(offset + 64, frameLength, ORDER);
        buffer.putLong(offset + 72, partOffset, ORDER);
        buffer.putInt(offset + 80, partIndex, ORDER);
        buffer.putInt(offset + 84, partCount, ORDER);
        buffer.putLong(offset + 88, clock.high(), ORDER);
        buffer.putLong(offset + 96, clock.low(), ORDER);
        buffer.putInt(offset + 104, probePort, ORDER);
        buffer.putInt(offset + 108, 0, ORDER);
    }

    /**
     * Reads the message of {@code length} bytes at {@code offset}: its header, and the length of the
     * part's bytes after it. Checks what a receiver relies on before it writes a byte anywhere.
     *
     * @throws BridgeMessage.MalformedMessageException when it is not a version-2 frame part, or its numbers do not add up
     * @throws UnknownCodecException                   when it is a frame part of a codec this bridge does not know (a newer sender)
     */
    public static FramePart decode(DirectBuffer buffer, int offset, int length) {
        BridgeMessage.check(buffer, offset, length, BridgeMessage.TYPE_FRAME_PART, HEADER_LENGTH);
        int codec = buffer.getByte(offset + 6) & 0xFF;
        if (codec != FrameCodec.RAW_ID && codec != FrameCodec.JPEG_ID && codec != FrameCodec.H264_ID) {
            throw new UnknownCodecException(codec);
        }
        FramePart part = new FramePart(codec, buffer.getLong(offset + 8, ORDER), buffer.getLong(offset + 16, ORDER),
                buffer.getLong(offset + 24, ORDER), buffer.getLong(offset + 32, ORDER), buffer.getInt(offset + 40, ORDER),
                buffer.getInt(offset + 44, ORDER), buffer.getInt(offset + 48, ORDER), buffer.getInt(offset + 52, ORDER),
                buffer.getLong(offset + 56, ORDER), buffer.getLong(offset + 64, ORDER), buffer.getLong(offset + 72, ORDER),
                buffer.getInt(offset + 80, ORDER), buffer.getInt(offset + 84, ORDER),
                new ClockIdentity(buffer.getLong(offset + 88, ORDER), buffer.getLong(offset + 96, ORDER)),
                buffer.getInt(offset + 104, ORDER), length - HEADER_LENGTH);
        part.check();
        return part;
    }

    private void check() {
        if (width < 1 || height < 1 || rowStride < 1 || slotCount < 1) {
            throw new BridgeMessage.MalformedMessageException("frame geometry " + width + "x" + height + " stride " + rowStride + " x" + slotCount);
        }
        if (codec == CODEC_RAW && frameLength != (long) rowStride * height) {
            throw new BridgeMessage.MalformedMessageException("a raw frame of " + frameLength + " bytes, not rowStride * height = " + (long) rowStride * height);
        }
        // A coded payload goes into a buffer the size of a raw frame (the decoder's input is as large).
        if (codec != CODEC_RAW && (frameLength < 1 || frameLength > (long) width * height * 4)) {
            throw new BridgeMessage.MalformedMessageException("a codec " + codec + " payload of " + frameLength + " bytes for a " + width + "x"
                    + height + " frame (1 to width * height * 4)");
        }
        if (partCount < 1 || partIndex < 0 || partIndex >= partCount) {
            throw new BridgeMessage.MalformedMessageException("part " + partIndex + " of " + partCount);
        }
        if (partOffset < 0 || partOffset + partLength > frameLength) {
            throw new BridgeMessage.MalformedMessageException("part bytes " + partOffset + ".." + (partOffset + partLength) + " outside a frame of " + frameLength);
        }
        if (probePort < 0 || probePort > 65_535) {
            throw new BridgeMessage.MalformedMessageException("probe port " + probePort);
        }
    }

    /** Whether this is the frame's last part. */
    public boolean last() {
        return partIndex == partCount - 1;
    }

    /** Whether the payload is the slot's bytes as they are (raw), not a compressed picture. */
    public boolean raw() {
        return codec == CODEC_RAW;
    }

    /**
     * A frame part of a codec this bridge does not know: a newer sender's. Not a count but the end of
     * the receive, in one line, since every frame of that sender would be refused.
     */
    public static final class UnknownCodecException extends BridgeException {
        UnknownCodecException(int codec) {
            super("the sender uses codec id " + codec + ", which this bridge does not know (raw 0, jpeg 1, h264 2): is it a"
                    + " newer nanobroker? Run the same version on both hosts, or send with --codec raw");
        }
    }
}
