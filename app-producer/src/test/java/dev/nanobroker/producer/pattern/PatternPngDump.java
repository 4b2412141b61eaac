package dev.nanobroker.producer.pattern;

import dev.nanobroker.frame.LatencyClock;
import dev.nanobroker.frame.Pixels;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

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
            write(frame, width, height, stride, dir.resolve(entry.name() + ".png"));
        }
        MemorySegment frame = MemorySegment.ofArray(new byte[stride * height]);
        new Overlay().over(new SmpteBarsPattern()).render(frame, width, height, stride, 1234567, nanos);
        write(frame, width, height, stride, dir.resolve("smpte+overlay.png"));
        MemorySegment translucent = MemorySegment.ofArray(new byte[stride * height]);
        new SolidPattern(0x80FF_0000).render(translucent, width, height, stride, 0, nanos);
        write(translucent, width, height, stride, dir.resolve("solid-translucent.png"));

        MemorySegment big = MemorySegment.ofArray(new byte[1920 * 4 * 1080]);
        new LatencyClock().render(big, 1920, 1080, 1920 * 4, 987654321L, nanos);
        MemorySegment quarter = Pixels.downscale(big, 1920, 1080, 1920 * 4, 4);
        write(quarter, 480, 270, 480 * 4, dir.resolve("clock-quarter.png"));
        System.out.println("wrote " + dir + "; quarter clock decodes to " + LatencyClock.decode(quarter, 480, 270, 480 * 4)
                + " (nanos " + nanos + ")");
    }

    /** The frame as a PNG; premultiplied BGRA is un-premultiplied into TYPE_INT_ARGB. */
    static void write(MemorySegment frame, int width, int height, int stride, Path file) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = frame.get(Pixels.PIXEL, (long) y * stride + x * 4L);
                int a = p >>> 24;
                if (a != 0 && a != 255) {
                    int r = Math.min(255, (p >>> 16 & 0xFF) * 255 / a);
                    int g = Math.min(255, (p >>> 8 & 0xFF) * 255 / a);
                    int b = Math.min(255, (p & 0xFF) * 255 / a);
                    p = a << 24 | r << 16 | g << 8 | b;
                }
                image.setRGB(x, y, p);
            }
        }
        ImageIO.write(image, "png", file.toFile());
    }
}
