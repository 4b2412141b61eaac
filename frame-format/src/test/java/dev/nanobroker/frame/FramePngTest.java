package dev.nanobroker.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/** A saved frame reads back as the same picture, translucent pixels in straight alpha as PNG keeps them. */
class FramePngTest {

    @Test
    void aFrameReadsBackPixelForPixel(@TempDir Path folder) throws Exception {
        int width = 5;
        int height = 3;
        int stride = 6 * 4; // a row stride wider than the frame, as a ring's may be
        MemorySegment frame = MemorySegment.ofArray(new byte[stride * height]);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                frame.set(Pixels.PIXEL, (long) y * stride + x * 4L, Pixels.rgb(40 * x, 60 * y, 200));
            }
        }
        frame.set(Pixels.PIXEL, 0, Pixels.premultiply(0x80FF_8000)); // half-transparent orange
        Path file = folder.resolve("frame.png");
        FramePng.write(file, frame, width, height, stride);
        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(width, image.getWidth());
        assertEquals(height, image.getHeight());
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int expected = x == 0 && y == 0 ? Pixels.unpremultiply(Pixels.premultiply(0x80FF_8000)) : Pixels.rgb(40 * x, 60 * y, 200);
                assertEquals(Integer.toHexString(expected), Integer.toHexString(image.getRGB(x, y)), "pixel " + x + "," + y);
            }
        }
    }
}
