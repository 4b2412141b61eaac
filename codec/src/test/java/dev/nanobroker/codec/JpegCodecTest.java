package dev.nanobroker.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nanobroker.frame.ClockReading;
import dev.nanobroker.frame.LatencyClock;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

class JpegCodecTest {

    private static final int[][] SIZES = {{640, 360}, {1280, 720}, {1920, 1080}};
    private static final long NANOS = 987_654_321_012_345L;

    /** The clock's box rows survive a round trip at the default quality, at small, HD and full-HD sizes. */
    @Test
    void clockFramesDecodeAfterARoundTripAtTheDefaultQuality() {
        FrameCodec jpeg = FrameCodec.named("jpeg");
        assertEquals(new FrameCodec.Jpeg(FrameCodec.Jpeg.DEFAULT_QUALITY), jpeg);
        try (Arena arena = Arena.ofConfined()) {
            for (int[] size : SIZES) {
                int width = size[0];
                int height = size[1];
                int stride = width * 4 + 32;
                MemorySegment target = TestFrames.frame(arena, height, stride);
                try (FrameEncoder encoder = jpeg.newEncoder(width, height);
                     FrameDecoder decoder = FrameCodec.decoderFor(jpeg.id(), width, height)) {
                    for (long sequence : new long[] {0, 1, 4242, Long.MAX_VALUE}) {
                        MemorySegment source = TestFrames.clock(arena, width, height, stride, sequence, NANOS + sequence);
                        MemorySegment payload = encoder.encode(source, stride);
                        assertTrue(encoder.lastWasKeyframe());
                        assertTrue(payload.byteSize() < (long) width * height / 2, width + "x" + height + ": " + payload.byteSize() + " bytes");
                        assertTrue(decoder.decode(payload, target, stride));
                        assertEquals(new ClockReading(sequence, NANOS + sequence), LatencyClock.decode(target, width, height, stride),
                                width + "x" + height + " frame " + sequence);
                        double psnr = TestFrames.psnr(source, target, width, height, stride);
                        assertTrue(psnr > 30, width + "x" + height + ": PSNR " + psnr + " dB");
                        assertTrue(TestFrames.opaque(target, width, height, stride));
                    }
                }
            }
        }
    }

    /**
     * The margin behind the default: the box rows decode at the smallest size at every quality; and the
     * quality is in force (finer quality, more bytes).
     */
    @Test
    void clockFramesDecodeAtEveryQualityAtTheSmallestSize() {
        int width = 640;
        int height = 360;
        int[] qualities = {100, 90, 80, 50, 25, 10, 5, 1};
        long[] bytes = new long[qualities.length];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment source = TestFrames.clock(arena, width, height, width * 4, 123_456, NANOS);
            MemorySegment target = TestFrames.frame(arena, height, width * 4);
            try (FrameDecoder decoder = FrameCodec.decoderFor(FrameCodec.JPEG_ID, width, height)) {
                for (int i = 0; i < qualities.length; i++) {
                    try (FrameEncoder encoder = new FrameCodec.Jpeg(qualities[i]).newEncoder(width, height)) {
                        MemorySegment payload = encoder.encode(source, width * 4);
                        bytes[i] = payload.byteSize();
                        assertTrue(decoder.decode(payload, target, width * 4));
                        assertEquals(new ClockReading(123_456, NANOS), LatencyClock.decode(target, width, height, width * 4),
                                "quality " + qualities[i]);
                    }
                }
            }
        }
        assertTrue(bytes[0] > bytes[3] && bytes[3] > bytes[7], "bytes at qualities 100, 50, 1: " + bytes[0] + ", " + bytes[3] + ", " + bytes[7]);
    }

    @Test
    void badQualitiesAreRefusedInOneLine() {
        for (int quality : new int[] {0, -5, 101}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FrameCodec.Jpeg(quality));
            assertEquals("JPEG quality " + quality + " is out of range: use 1 to 100", e.getMessage());
        }
    }

    @Test
    void heapFramesAndDamagedPayloadsAreRefusedInOneLine() {
        int width = 64;
        int height = 32;
        try (Arena arena = Arena.ofConfined();
             FrameEncoder encoder = new FrameCodec.Jpeg(80).newEncoder(width, height);
             FrameDecoder decoder = FrameCodec.decoderFor(FrameCodec.JPEG_ID, width, height)) {
            MemorySegment heap = MemorySegment.ofArray(new byte[width * height * 4]);
            IllegalArgumentException notNative = assertThrows(IllegalArgumentException.class, () -> encoder.encode(heap, width * 4));
            assertEquals("the frame to encode must be native memory (a ring slot or an Arena's), not a heap segment", notNative.getMessage());

            MemorySegment target = TestFrames.frame(arena, height, width * 4);
            CodecException damaged = assertThrows(CodecException.class,
                    () -> decoder.decode(MemorySegment.ofArray(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}), target, width * 4));
            assertTrue(damaged.getMessage().startsWith("jpeg decoder: "), damaged.getMessage());
            assertEquals(1, damaged.getMessage().lines().count());
        }
    }
}
