package dev.nanobroker.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

class RawCodecTest {

    private static final int WIDTH = 320;
    private static final int HEIGHT = 180;

    /** Every byte, alpha included (a frame with translucent pixels), from padded rows to padded rows. */
    @Test
    void roundTripIsExactWithAnyStrides() {
        try (Arena arena = Arena.ofConfined()) {
            for (int[] strides : new int[][] {{WIDTH * 4, WIDTH * 4}, {WIDTH * 4 + 64, WIDTH * 4 + 12}, {WIDTH * 4, WIDTH * 4 + 4}}) {
                MemorySegment source = TestFrames.frame(arena, HEIGHT, strides[0]);
                byte[] noise = new byte[(int) source.byteSize()];
                new Random(strides[1]).nextBytes(noise);
                MemorySegment.copy(noise, 0, source, ValueLayout.JAVA_BYTE, 0, noise.length);
                MemorySegment target = MemorySegment.ofArray(new byte[HEIGHT * strides[1]]);
                try (FrameEncoder encoder = new FrameCodec.Raw().newEncoder(WIDTH, HEIGHT);
                     FrameDecoder decoder = FrameCodec.decoderFor(FrameCodec.RAW_ID, WIDTH, HEIGHT)) {
                    MemorySegment payload = encoder.encode(source, strides[0]);
                    assertEquals((long) WIDTH * HEIGHT * 4, payload.byteSize(), "packed rows");
                    assertTrue(encoder.lastWasKeyframe());
                    assertTrue(decoder.decode(payload, target, strides[1]));
                }
                for (int y = 0; y < HEIGHT; y++) {
                    assertEquals(-1, MemorySegment.mismatch(source, (long) y * strides[0], (long) y * strides[0] + WIDTH * 4L,
                            target, (long) y * strides[1], (long) y * strides[1] + WIDTH * 4L), "row " + y + ", strides " + strides[0] + "/" + strides[1]);
                }
            }
        }
    }

    @Test
    void aPayloadOfTheWrongSizeIsRefusedInOneLine() {
        try (FrameDecoder decoder = new FrameCodec.Raw().newDecoder(WIDTH, HEIGHT)) {
            MemorySegment target = MemorySegment.ofArray(new byte[WIDTH * HEIGHT * 4]);
            CodecException e = assertThrows(CodecException.class,
                    () -> decoder.decode(MemorySegment.ofArray(new byte[100]), target, WIDTH * 4));
            assertEquals("raw payload of 100 bytes is not a 320x180 frame (230400 bytes)", e.getMessage());
        }
    }
}
