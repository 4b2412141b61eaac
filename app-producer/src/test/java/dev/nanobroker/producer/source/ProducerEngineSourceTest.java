package dev.nanobroker.producer.source;

import dev.nanobroker.producer.ProducerEngine;
import dev.nanobroker.producer.ProducerSettings;
import dev.nanobroker.producer.pattern.PatternOptions;
import dev.nanobroker.ring.Frame;
import dev.nanobroker.ring.OverflowPolicy;
import dev.nanobroker.ring.ReadMode;
import dev.nanobroker.ring.RingReader;
import dev.nanobroker.ring.SharedRing;
import dev.nanobroker.ring.WaitStrategy;
import dev.nanobroker.ring.testing.TestRings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The producer engine with a video file and with the overlay, seen through a reader of its ring. */
class ProducerEngineSourceTest {

    private static final ValueLayout.OfInt PIXEL = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final TestRings rings = new TestRings();

    @AfterEach
    void removeRings() throws Exception {
        rings.close();
    }

    private static ProducerSettings settings(String name, String source, String pattern, int width, int height,
                                             double fps, long frames, boolean overlay) {
        return ProducerSettings.defaults(name).withSize(width, height).withSlots(4).withFps(fps).withFrames(frames)
                .withPolicy(OverflowPolicy.block(Duration.ofSeconds(10))).withSource(SourceSpec.parse(source))
                .withPattern(pattern).withPatternOptions(PatternOptions.DEFAULTS.withColour(0xFF10_2030))
                .withOverlay(overlay).withUnlink(true);
    }

    @Test
    void aLoopingVideoFileFillsTheRingAtTheFilesSize(@TempDir Path folder) throws Exception {
        int clipFrames = 12;
        Path clip = TestClips.write(folder.resolve("clip.mkv"), TestClips.Codec.FFV1_OPAQUE, 96, 64, clipFrames, 50, TestClips.flat());
        String name = rings.newName("file");
        int frames = 30;
        try (ProducerEngine engine = new ProducerEngine(settings(name, "file:" + clip, "sequence", 1280, 720, 0, frames, false))) {
            assertEquals(96, engine.settings().geometry().width(), "the ring follows the file, not the size asked for");
            assertEquals(64, engine.ring().geometry().height());
            assertEquals("file clip.mkv 96x64 @ 50 fps", engine.sourceDescription());
            try (SharedRing ring = SharedRing.open(name); RingReader reader = ring.attachReader(ReadMode.EVERY)) {
                CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> engine.run(() -> false));
                for (int i = 0; i < frames; i++) {
                    Frame frame = reader.poll(TimeUnit.SECONDS.toNanos(20), WaitStrategy.defaultStrategy());
                    assertNotNull(frame, "frame " + i);
                    int expected = TestClips.flatColour(i % clipFrames);
                    int actual = frame.pixels().get(PIXEL, (long) 30 * frame.rowStride() + 40 * 4);
                    for (int shift = 0; shift < 32; shift += 8) {
                        assertEquals(expected >>> shift & 0xFF, actual >>> shift & 0xFF, 2.0, "frame " + i + " channel at bit " + shift);
                    }
                    assertTrue(reader.release());
                }
                producing.get(20, TimeUnit.SECONDS);
                assertEquals(frames, engine.stats().published());
            }
        }
    }

    @Test
    void overlayBurnsInOnlyWhenSwitchedOn() throws Exception {
        String name = rings.newName("overlay");
        try (ProducerEngine engine = new ProducerEngine(settings(name, "pattern", "solid", 320, 180, 0, 1, false));
             SharedRing ring = SharedRing.open(name); RingReader reader = ring.attachReader(ReadMode.EVERY)) {
            engine.run(() -> false);
            assertEquals(0, pixelsOtherThan(reader, 0xFF10_2030));
        }
        String second = rings.newName("overlay");
        try (ProducerEngine engine = new ProducerEngine(settings(second, "pattern", "solid", 320, 180, 0, 1, true));
             SharedRing ring = SharedRing.open(second); RingReader reader = ring.attachReader(ReadMode.EVERY)) {
            engine.run(() -> false);
            assertTrue(pixelsOtherThan(reader, 0xFF10_2030) > 100, "the frame number and time are drawn");
        }
    }

    private static long pixelsOtherThan(RingReader reader, int argb) {
        Frame frame = reader.poll();
        assertNotNull(frame);
        MemorySegment pixels = frame.pixels();
        long different = 0;
        for (int y = 0; y < frame.height(); y++) {
            for (int x = 0; x < frame.width(); x++) {
                if (pixels.get(PIXEL, (long) y * frame.rowStride() + x * 4L) != argb) {
                    different++;
                }
            }
        }
        reader.release();
        return different;
    }
}
