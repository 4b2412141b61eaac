package dev.nanobroker.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nanobroker.frame.ClockReading;
import dev.nanobroker.frame.LatencyClock;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The H.264 codec as the bridge uses it: a stream of clock frames, a receiver that joins late, and a
 * lost payload. Frame {@code i} is rendered at {@code NANOS + i} frame times.
 */
class H264CodecTest {

    private static final int WIDTH = 1280;
    private static final int HEIGHT = 720;
    private static final int STRIDE = WIDTH * 4 + 64;
    private static final int FRAMES = 30;
    private static final long NANOS = 5_000_000_000L;
    private static final long FRAME_NANOS = 16_666_667L;

    private static ClockReading reading(long sequence) {
        return new ClockReading(sequence, NANOS + sequence * FRAME_NANOS);
    }

    /**
     * Sends frames 0 to 29, asking for a keyframe before frame {@code keyframeAt}; the decoder is given
     * the payloads from {@code joinAt} on, except {@code lost} (-1: none). What the decoder must do is
     * the contract of {@link FrameDecoder}: show nothing from its start or a loss until a keyframe, then
     * every frame, each with its own number.
     *
     * @return how many frames were shown
     */
    private static int stream(int joinAt, int lost, int keyframeAt) {
        LatencyClock clock = new LatencyClock();
        int shownFrames = 0;
        try (Arena arena = Arena.ofConfined();
             FrameEncoder encoder = FrameCodec.named("h264").newEncoder(WIDTH, HEIGHT);
             FrameDecoder decoder = FrameCodec.decoderFor(FrameCodec.H264_ID, WIDTH, HEIGHT)) {
            MemorySegment source = TestFrames.frame(arena, HEIGHT, STRIDE);
            MemorySegment target = TestFrames.frame(arena, HEIGHT, STRIDE);
            boolean waiting = true;
            for (int i = 0; i < FRAMES; i++) {
                clock.render(source, WIDTH, HEIGHT, STRIDE, i, reading(i).nanos());
                if (i == keyframeAt) {
                    encoder.requestKeyframe();
                }
                MemorySegment payload = encoder.encode(source, STRIDE);
                boolean keyframe = i == 0 || i == keyframeAt;
                assertEquals(keyframe, encoder.lastWasKeyframe(), "frame " + i + " a keyframe");
                assertEquals(keyframe, H264Stream.isKeyframe(payload), "frame " + i + " read as a keyframe");
                if (i < joinAt) {
                    continue;
                }
                if (i == lost) {
                    decoder.payloadLost();
                    waiting = true;
                    continue;
                }
                assertEquals(waiting, decoder.needsKeyframe(), "frame " + i + ": waiting for a keyframe");
                waiting &= !keyframe;
                boolean shown = decoder.decode(payload, target, STRIDE);
                assertEquals(!waiting, shown, "frame " + i + " shown");
                if (shown) {
                    assertEquals(reading(i), LatencyClock.decode(target, WIDTH, HEIGHT, STRIDE), "frame " + i);
                    double psnr = TestFrames.psnr(source, target, WIDTH, HEIGHT, STRIDE);
                    assertTrue(psnr > 30, "frame " + i + ": PSNR " + psnr + " dB");
                    shownFrames++;
                }
            }
        }
        return shownFrames;
    }

    @Test
    void everyFrameDecodesWithItsOwnNumber() {
        assertEquals(FRAMES, stream(0, -1, FRAMES));
    }

    @Test
    void aLateReceiverShowsNothingUntilTheKeyframeItAskedFor() {
        assertEquals(FRAMES - 15, stream(10, -1, 15));
    }

    @Test
    void afterALostPayloadTheDecoderWaitsForTheNextKeyframe() {
        // Frames 0 to 19 shown, 20 lost, 21 to 23 skipped, 24 (a keyframe) to 29 shown.
        assertEquals(20 + 6, stream(0, 20, 24));
    }

    /**
     * A payload FFmpeg finds damaged is refused in one line, and the decoder then waits for a
     * keyframe. (Not every damage is found: half a payload, cut off, decodes without an error; the
     * bridge's checksum is what keeps damaged payloads from the decoder.)
     */
    @Test
    void aDamagedPayloadFailsAndClosesTheGate() {
        LatencyClock clock = new LatencyClock();
        try (Arena arena = Arena.ofConfined();
             FrameEncoder encoder = FrameCodec.named("h264").newEncoder(WIDTH, HEIGHT);
             FrameDecoder decoder = FrameCodec.decoderFor(FrameCodec.H264_ID, WIDTH, HEIGHT)) {
            MemorySegment source = TestFrames.frame(arena, HEIGHT, STRIDE);
            MemorySegment target = TestFrames.frame(arena, HEIGHT, STRIDE);
            clock.render(source, WIDTH, HEIGHT, STRIDE, 0, reading(0).nanos());
            assertTrue(decoder.decode(encoder.encode(source, STRIDE), target, STRIDE));
            clock.render(source, WIDTH, HEIGHT, STRIDE, 1, reading(1).nanos());
            MemorySegment payload = encoder.encode(source, STRIDE);
            // The start of frame 1 (start code, slice header), then a byte pattern where its macroblocks were.
            byte[] damaged = payload.toArray(ValueLayout.JAVA_BYTE);
            for (int i = 12; i < damaged.length; i++) {
                damaged[i] = (byte) (i * 131 + 7);
            }
            CodecException e = assertThrows(CodecException.class, () -> decoder.decode(MemorySegment.ofArray(damaged), target, STRIDE));
            assertTrue(e.getMessage().startsWith("h264 decoder: "), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            assertTrue(decoder.needsKeyframe());
        }
    }

    @Test
    void badBitratesAndRatesAreRefusedInOneLine() {
        IllegalArgumentException slow = assertThrows(IllegalArgumentException.class, () -> new FrameCodec.H264(99_999, 60));
        assertEquals("H.264 bitrate 99999 bit/s is out of range: use 100000 (100 kbit/s) to 240000000 (240 Mbit/s)", slow.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FrameCodec.H264(240_000_001, 60));
        IllegalArgumentException rate = assertThrows(IllegalArgumentException.class, () -> new FrameCodec.H264(8_000_000, 0));
        assertEquals("H.264 frame rate 0 is out of range: use 1 to 240", rate.getMessage());
        // The limits themselves are allowed.
        assertEquals(100_000, new FrameCodec.H264(100_000, 1).bitsPerSecond());
        assertEquals(240, new FrameCodec.H264(240_000_000, 240).framesPerSecond());
    }
}
