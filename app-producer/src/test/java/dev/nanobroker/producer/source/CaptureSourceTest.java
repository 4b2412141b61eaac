package dev.nanobroker.producer.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nanobroker.producer.source.TestClips.Codec;
import dev.nanobroker.ring.FrameClaim;
import dev.nanobroker.ring.OverflowPolicy;
import dev.nanobroker.ring.ReadMode;
import dev.nanobroker.ring.RingGeometry;
import dev.nanobroker.ring.RingReader;
import dev.nanobroker.ring.RingWriter;
import dev.nanobroker.ring.SharedRing;
import dev.nanobroker.ring.testing.TestRings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

class CaptureSourceTest {

    private static final ValueLayout.OfInt PIXEL = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int WIDTH = 160;
    private static final int HEIGHT = 120;
    private static final int FRAMES = 30;
    private static final double FPS = 25;
    /** Per channel: what a pixel-format conversion may round by. */
    private static final int TOLERANCE = 2;

    @TempDir
    Path directory;

    @Test
    void readsAFileFrameByFrameAndLoopsAtItsEnd() throws Exception {
        Path clip = TestClips.write(directory.resolve("clip.mkv"), Codec.FFV1_OPAQUE, WIDTH, HEIGHT, FRAMES, FPS, TestClips.flat());
        try (CaptureSource source = CaptureSource.open(SourceSpec.parse("file:" + clip), 640, 480, 60);
             Arena arena = Arena.ofConfined()) {
            assertEquals(WIDTH, source.width(), "a file keeps its own size");
            assertEquals(HEIGHT, source.height());
            assertEquals(FPS, source.nativeFps(), 0.01);
            assertEquals("file clip.mkv 160x120 @ 25 fps", source.description());

            // Rows padded past the frame's width: the source must honour the slot's stride.
            int rowStride = WIDTH * 4 + 64;
            MemorySegment slot = arena.allocate((long) rowStride * HEIGHT);
            for (int i = 0; i < FRAMES * 2 + 15; i++) {
                slot.fill((byte) 0);
                source.next(slot, rowStride, i, System.nanoTime());
                assertFlat(slot, rowStride, WIDTH, HEIGHT, TestClips.flatColour(i % FRAMES), "frame " + i);
                assertEquals(0, slot.get(PIXEL, WIDTH * 4L), "padding past the row is left alone");
            }
            System.out.println("capture: bgr0 clip, frames needing an alpha pass: " + source.alphaPasses());
        }
    }

    @Test
    void premultipliesAFileWithAlpha() throws Exception {
        int[] alphas = {255, 128, 0, 64};
        TestClips.Painter painter = (index, width, height, pixels) -> {
            int colour = TestClips.flatColour(index) & 0x00FF_FFFF | alphas[index % alphas.length] << 24;
            Arrays.fill(pixels, 0, width * height, colour);
        };
        Path clip = TestClips.write(directory.resolve("alpha.mkv"), Codec.FFV1_ALPHA, WIDTH, HEIGHT, 8, FPS, painter);
        try (CaptureSource source = CaptureSource.open(SourceSpec.parse("file:" + clip), 0, 0, 0);
             Arena arena = Arena.ofConfined()) {
            MemorySegment slot = arena.allocate((long) WIDTH * 4 * HEIGHT);
            for (int i = 0; i < 8; i++) {
                source.next(slot, WIDTH * 4, i, System.nanoTime());
                int alpha = alphas[i % alphas.length];
                int straight = TestClips.flatColour(i);
                int expected = alpha << 24
                        | premultiply((straight >>> 16) & 0xFF, alpha) << 16
                        | premultiply((straight >>> 8) & 0xFF, alpha) << 8
                        | premultiply(straight & 0xFF, alpha);
                assertFlat(slot, WIDTH * 4, WIDTH, HEIGHT, expected, "frame " + i + " (alpha " + alpha + ")");
            }
        }
    }

    @Test
    void writesAFileThroughARealRingToAReader() throws Exception {
        Path clip = TestClips.write(directory.resolve("ring.mkv"), Codec.FFV1_OPAQUE, WIDTH, HEIGHT, FRAMES, FPS, TestClips.flat());
        try (TestRings rings = new TestRings();
             CaptureSource source = CaptureSource.open(SourceSpec.parse("file:" + clip), 0, 0, 0)) {
            RingGeometry geometry = RingGeometry.of(source.width(), source.height(), 4);
            try (SharedRing ring = SharedRing.create(rings.newName("capture"), geometry);
                 RingWriter writer = ring.writer(OverflowPolicy.block(Duration.ofSeconds(1)));
                 RingReader reader = ring.attachReader(ReadMode.EVERY)) {
                for (int i = 0; i < FRAMES + 10; i++) {
                    FrameClaim claim = writer.claim();
                    assertNotNull(claim, "a blocking writer with a caught-up reader gets every slot");
                    source.next(claim.pixels(), geometry.rowStride(), claim.sequence(), System.nanoTime());
                    claim.publish();

                    dev.nanobroker.ring.Frame frame = reader.poll();
                    assertNotNull(frame, "frame " + i + " published");
                    assertEquals(i, frame.sequence());
                    assertEquals(WIDTH, frame.width());
                    assertEquals(HEIGHT, frame.height());
                    assertFlat(frame.pixels(), frame.rowStride(), WIDTH, HEIGHT, TestClips.flatColour(i % FRAMES), "ring frame " + i);
                    assertTrue(reader.release(), "frame " + i + " intact");
                }
                assertEquals(FRAMES + 10, reader.frames());
                assertEquals(0, reader.lost());
            }
        }
    }

    @Test
    void missingCameraIsOneLineNamingIt() {
        SourceException e = assertThrows(SourceException.class, () -> CaptureSource.open(SourceSpec.parse("webcam:/dev/video99"), 640, 480, 30));
        assertEquals("cannot open camera /dev/video99: no such device", e.getMessage());
    }

    @Test
    void missingFileIsOneLineNamingIt() {
        SourceException e = assertThrows(SourceException.class, () -> CaptureSource.open(SourceSpec.parse("file:/nonexistent.mkv"), 640, 480, 30));
        assertEquals("cannot open video file /nonexistent.mkv: no such file", e.getMessage());
    }

    @Test
    void fileWithoutVideoIsRefused() throws Exception {
        Path audio = TestClips.writeAudioOnly(directory.resolve("sound.mkv"));
        SourceException e = assertThrows(SourceException.class, () -> CaptureSource.open(SourceSpec.parse("file:" + audio), 0, 0, 0));
        assertEquals("cannot open video file " + audio + ": it has no video stream", e.getMessage());
    }

    @Test
    void fileThatIsNoVideoIsRefused() throws Exception {
        Path text = Files.writeString(directory.resolve("notes.mkv"), "not a video at all\n".repeat(50));
        SourceException e = assertThrows(SourceException.class, () -> CaptureSource.open(SourceSpec.parse("file:" + text), 0, 0, 0));
        assertTrue(e.getMessage().startsWith("cannot open video file " + text + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void rateFormatting() {
        assertEquals("25", CaptureSource.formatRate(25));
        assertEquals("30", CaptureSource.formatRate(30000.0 / 1001.0 + 0.03));
        assertEquals("29.97", CaptureSource.formatRate(30000.0 / 1001.0));
    }

    /** Prints (does not assert) what one {@code next()} costs at 1280x720: decode, convert to BGRA, copy. */
    @Test
    void measuresNextAt720p() throws Exception {
        int width = 1280;
        int height = 720;
        int frames = 60;
        // Motion JPEG: what webcams send at this size. (Lossless FFV1 of the same noisy clip decodes
        // in ~50 ms a frame on a 2-core machine: too slow to be worth the test time.)
        for (Codec codec : new Codec[] {Codec.MJPEG}) {
            Path clip = TestClips.write(directory.resolve("hd-" + codec.name().toLowerCase(Locale.ROOT) + ".avi"),
                    codec, width, height, frames, 30, TestClips.busy());
            try (CaptureSource source = CaptureSource.open(SourceSpec.parse("file:" + clip), 0, 0, 0);
                 Arena arena = Arena.ofConfined()) {
                assertEquals(width, source.width());
                assertEquals(height, source.height());
                MemorySegment slot = arena.allocate((long) width * 4 * height, 4096);
                for (int i = 0; i < frames; i++) {
                    source.next(slot, width * 4, i, System.nanoTime()); // warm up: one whole loop
                }
                int measured = frames * 2;
                long[] nanos = new long[measured];
                for (int i = 0; i < measured; i++) {
                    long start = System.nanoTime();
                    source.next(slot, width * 4, i, start);
                    nanos[i] = System.nanoTime() - start;
                }
                long copyStart = System.nanoTime();
                MemorySegment other = arena.allocate(slot.byteSize(), 4096);
                for (int i = 0; i < measured; i++) {
                    MemorySegment.copy(slot, 0, other, 0, slot.byteSize());
                }
                double copyMillis = (System.nanoTime() - copyStart) / 1e6 / measured;
                Arrays.sort(nanos);
                double mean = Arrays.stream(nanos).average().orElse(0) / 1e6;
                System.out.printf(Locale.ROOT, "capture next() 1280x720 %s: mean %.2f ms, median %.2f ms, p95 %.2f ms, max %.2f ms over %d frames (%s);"
                                + " of which the slot copy alone: %.2f ms; frames needing an alpha pass: %d%n",
                        codec, mean, nanos[measured / 2] / 1e6, nanos[measured * 95 / 100] / 1e6, nanos[measured - 1] / 1e6,
                        measured, source.description(), copyMillis, source.alphaPasses());
            }
        }
    }

    private static int premultiply(int value, int alpha) {
        return (value * alpha + 127) / 255;
    }

    private static void assertFlat(MemorySegment pixels, int rowStride, int width, int height, int expected, String what) {
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int actual = pixels.get(PIXEL, (long) y * rowStride + x * 4L);
                if (!close(actual, expected)) {
                    fail(String.format(Locale.ROOT, "%s: pixel (%d,%d) is %08X, expected %08X (±%d per channel)",
                            what, x, y, actual, expected, TOLERANCE));
                }
            }
        }
    }

    private static boolean close(int actual, int expected) {
        for (int shift = 0; shift < 32; shift += 8) {
            if (Math.abs(((actual >>> shift) & 0xFF) - ((expected >>> shift) & 0xFF)) > TOLERANCE) {
                return false;
            }
        }
        return true;
    }
}
