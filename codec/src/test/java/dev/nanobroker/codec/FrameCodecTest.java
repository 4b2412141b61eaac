package dev.nanobroker.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Names, wire ids and sizes: what the bridge's flags and messages rely on. */
class FrameCodecTest {

    @Test
    void namesAndIdsMatchAndDefaultsApply() {
        assertEquals(new FrameCodec.Raw(), FrameCodec.named("raw"));
        assertEquals(new FrameCodec.Jpeg(FrameCodec.Jpeg.DEFAULT_QUALITY), FrameCodec.named("JPEG"));
        assertEquals(new FrameCodec.H264(FrameCodec.H264.DEFAULT_BITS_PER_SECOND, FrameCodec.H264.DEFAULT_FRAMES_PER_SECOND),
                FrameCodec.named("h264"));
        for (String name : new String[] {"raw", "jpeg", "h264"}) {
            FrameCodec codec = FrameCodec.named(name);
            assertEquals(name, codec.name());
            try (FrameDecoder decoder = codec.newDecoder(64, 32)) {
                assertEquals(codec.id(), decoder.codecId(), name);
            }
        }
    }

    @Test
    void unknownNamesIdsAndOddSizesAreRefusedInOneLine() {
        assertEquals("unknown codec 'vp9': use raw, jpeg or h264",
                assertThrows(IllegalArgumentException.class, () -> FrameCodec.named("vp9")).getMessage());
        assertEquals("unknown codec id 7: raw is 0, jpeg 1, h264 2",
                assertThrows(IllegalArgumentException.class, () -> FrameCodec.decoderFor((byte) 7, 64, 32)).getMessage());
        assertEquals("frame size 641x360 cannot be coded: width and height must be even, at least 2, and the frame under 2 GiB",
                assertThrows(IllegalArgumentException.class, () -> FrameCodec.named("jpeg").newEncoder(641, 360)).getMessage());
    }

    /** A closed FFmpeg coder has freed its native memory: using it again is refused, not a crash. */
    @Test
    void closedCodersRefuseWork() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment frame = TestFrames.frame(arena, 32, 64 * 4);
            for (String name : new String[] {"jpeg", "h264"}) {
                FrameEncoder encoder = FrameCodec.named(name).newEncoder(64, 32);
                MemorySegment payload = MemorySegment.ofArray(encoder.encode(frame, 64 * 4).toArray(ValueLayout.JAVA_BYTE));
                encoder.close();
                encoder.close();
                assertEquals(name + " encoder is closed",
                        assertThrows(IllegalStateException.class, () -> encoder.encode(frame, 64 * 4)).getMessage());
                FrameDecoder decoder = FrameCodec.named(name).newDecoder(64, 32);
                decoder.close();
                decoder.close();
                assertEquals(name + " decoder is closed",
                        assertThrows(IllegalStateException.class, () -> decoder.decode(payload, frame, 64 * 4)).getMessage());
            }
        }
    }
}
