package dev.nanobroker.producer.pattern;

import dev.nanobroker.frame.FramePng;
import dev.nanobroker.frame.LatencyClock;
import dev.nanobroker.frame.Pixels;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes every pattern at 640x360 to {@code DIR/NAME.png} (default {@code /tmp/patterns}) for a look
 * by eye, plus the clock with the overlay and a 1/4 nearest-neighbour copy of a 1920x1080 clock.
 * Usage: {@code java -cp ... dev.nanobroker.producer.pattern.PatternPngDump [DIR]}.
 */
public final class PatternPngDump {

    private PatternPngDump() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/patterns");
        Files.createDirectories(dir);
        int width = 640;
        int height = 360;
        int stride = width * 4;
        long nanos = System.nanoTime();
        for (PatternCatalog.Entry entry : PatternCatalog.entries()) {
            MemorySegment frame = MemorySegment.ofArray(new byte[stride * height]);
            entry.factory().apply(PatternOptions.DEFAULTS).render(frame, width, height, stride, 42, nanos);
            FramePng.write(dir.resolve(entry.name() + ".png"), frame, width, height, stride);
        }
        MemorySegment frame = MemorySegment.ofArray(new byte[stride * height]);
        new Overlay().over(new SmpteBarsPattern()).render(frame, width, height, stride, 1234567, nanos);
        FramePng.write(dir.resolve("smpte+overlay.png"), frame, width, height, stride);
        MemorySegment translucent = MemorySegment.ofArray(new byte[stride * height]);
        new SolidPattern(0x80FF_0000).render(translucent, width, height, stride, 0, nanos);
        FramePng.write(dir.resolve("solid-translucent.png"), translucent, width, height, stride);

        MemorySegment big = MemorySegment.ofArray(new byte[1920 * 4 * 1080]);
        new LatencyClock().render(big, 1920, 1080, 1920 * 4, 987654321L, nanos);
        MemorySegment quarter = Pixels.downscale(big, 1920, 1080, 1920 * 4, 4);
        FramePng.write(dir.resolve("clock-quarter.png"), quarter, 480, 270, 480 * 4);
        System.out.println("wrote " + dir + "; quarter clock decodes to " + LatencyClock.decode(quarter, 480, 270, 480 * 4)
                + " (nanos " + nanos + ")");
    }
}
