package dev.nanobroker.bridge;

import dev.nanobroker.codec.FrameCodec;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.*;

/** The message header: what the sender writes is what the receiver reads, and what it must not take is refused. */
class FramePartTest {

    private static final ClockIdentity CLOCK = new ClockIdentity(0x1111_2222_3333_4444L, 0x5555_6666_7777_8888L);
    private static final FramePart FRAME = new FramePart(FramePart.CODEC_RAW, 41, 1234, 5_000_000_001L, 5_000_300_002L,
            640, 360, 2560, 8, 0x0123_4567_89AB_CDEFL, 2560L * 360, 0, 0, 3, CLOCK, 40_457, 0);

    private static UnsafeBuffer encoded(FramePart part, int payload) {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[16 + FramePart.HEADER_LENGTH + payload]);
        part.encode(buffer, 16);
        return buffer;
    }

    @Test
    void aPartReadsBackAsWritten() {
        FramePart second = FRAME.part(1, 307_200, 307_200);
        FramePart read = FramePart.decode(encoded(second, 307_200), 16, FramePart.HEADER_LENGTH + 307_200);
        assertEquals(second, read);
        assertFalse(read.last());
        assertTrue(FRAME.part(2, 614_400, 307_200).last());
    }

    @Test
    void theHeaderIsLittleEndianWithTheMagicFirst() {
        UnsafeBuffer buffer = encoded(FRAME.part(0, 0, 0), 0);
        assertEquals('N', buffer.getByte(16));
        assertEquals('B', buffer.getByte(17));
        assertEquals('B', buffer.getByte(18));
        assertEquals('F', buffer.getByte(19));
        assertEquals(BridgeMessage.VERSION, buffer.getByte(20));
        assertEquals(41, buffer.getLong(16 + 8, ByteOrder.LITTLE_ENDIAN));
        assertEquals(3, buffer.getInt(16 + 84, ByteOrder.LITTLE_ENDIAN));
        assertEquals(CLOCK.high(), buffer.getLong(16 + 88, ByteOrder.LITTLE_ENDIAN));
        assertEquals(CLOCK.low(), buffer.getLong(16 + 96, ByteOrder.LITTLE_ENDIAN));
        assertEquals(40_457, buffer.getInt(16 + 104, ByteOrder.LITTLE_ENDIAN));
        assertEquals(112, FramePart.HEADER_LENGTH);
    }

    @Test
    void theSendTimeIsStampedOnACopy() {
        FramePart sent = FRAME.sentAt(99);
        assertEquals(99, sent.sentNanos());
        assertEquals(FRAME.message(), sent.message());
        assertEquals(5_000_300_002L, FRAME.sentNanos());
    }

    @Test
    void refusesWhatIsNotAVersionTwoFramePart() {
        UnsafeBuffer good = encoded(FRAME.part(0, 0, 16), 16);
        int length = FramePart.HEADER_LENGTH + 16;
        assertRefused("shorter than", good, FramePart.HEADER_LENGTH - 1);

        UnsafeBuffer otherMagic = encoded(FRAME.part(0, 0, 16), 16);
        otherMagic.putByte(16, (byte) 'X');
        assertRefused("not a NanoBroker bridge message", otherMagic, length);

        UnsafeBuffer nextVersion = encoded(FRAME.part(0, 0, 16), 16);
        nextVersion.putByte(20, (byte) 1);
        assertRefused("message version 1 (this bridge speaks version 2", nextVersion, length);

        UnsafeBuffer otherType = encoded(FRAME.part(0, 0, 16), 16);
        otherType.putByte(21, (byte) 9);
        assertRefused("message type 9", otherType, length);
    }

    @Test
    void aCompressedPayloadIsAsLongAsTheSenderSaysUpToARawFrame() {
        FramePart jpeg = new FramePart(FrameCodec.JPEG_ID, 7, 7, 0, 0, 640, 360, 2560, 8, 1, 25_979, 0, 0, 1, CLOCK, 40_457, 25_979);
        assertEquals(jpeg, FramePart.decode(encoded(jpeg, 25_979), 16, FramePart.HEADER_LENGTH + 25_979));
        assertFalse(jpeg.raw());
        assertTrue(FRAME.raw());
        FramePart tooLong = new FramePart(FrameCodec.H264_ID, 7, 7, 0, 0, 640, 360, 2560, 8, 1, 640 * 360 * 4 + 1, 0, 0, 2, CLOCK, 40_457, 16);
        assertRefused("payload of 921601 bytes", encoded(tooLong, 16), FramePart.HEADER_LENGTH + 16);
        FramePart empty = new FramePart(FrameCodec.H264_ID, 7, 7, 0, 0, 640, 360, 2560, 8, 1, 0, 0, 0, 1, CLOCK, 40_457, 0);
        assertRefused("payload of 0 bytes", encoded(empty, 0), FramePart.HEADER_LENGTH);
    }

    @Test
    void aCodecOfANewerSenderEndsTheReceiveInOneLine() {
        UnsafeBuffer newer = encoded(FRAME.part(0, 0, 16), 16);
        newer.putByte(22, (byte) 3);
        FramePart.UnknownCodecException refused = assertThrows(FramePart.UnknownCodecException.class,
                () -> FramePart.decode(newer, 16, FramePart.HEADER_LENGTH + 16));
        assertEquals("the sender uses codec id 3, which this bridge does not know (raw 0, jpeg 1, h264 2): is it a newer"
                + " nanobroker? Run the same version on both hosts, or send with --codec raw", refused.getMessage());
    }

    @Test
    void refusesNumbersThatDoNotAddUp() {
        assertRefused("not rowStride * height", encoded(withFrameLength(1000), 16), FramePart.HEADER_LENGTH + 16);
        assertRefused("part 3 of 3", encoded(FRAME.part(3, 0, 16), 16), FramePart.HEADER_LENGTH + 16);
        // The last 8 bytes of the frame and 16 more: they would be written past the slot's end.
        FramePart overrun = FRAME.part(2, FRAME.frameLength() - 8, 16);
        assertRefused("outside a frame", encoded(overrun, 16), FramePart.HEADER_LENGTH + 16);
        FramePart noSize = new FramePart(0, 0, 0, 0, 0, 0, 360, 2560, 8, 1, 0, 0, 0, 1, CLOCK, 40_457, 0);
        assertRefused("geometry 0x360", encoded(noSize, 0), FramePart.HEADER_LENGTH);
    }

    private static FramePart withFrameLength(long frameLength) {
        return new FramePart(0, 0, 0, 0, 0, 640, 360, 2560, 8, 1, frameLength, 0, 0, 1, CLOCK, 40_457, 0);
    }

    private static void assertRefused(String why, UnsafeBuffer buffer, int length) {
        BridgeMessage.MalformedMessageException refused = assertThrows(BridgeMessage.MalformedMessageException.class,
                () -> FramePart.decode(buffer, 16, length));
        assertTrue(refused.getMessage().contains(why), refused.getMessage());
    }
}
