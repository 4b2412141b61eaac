package dev.nanobroker.frame;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/** A frame as a PNG file, through the JDK's own encoder (ImageIO): what the viewer's S key saves. */
public final class FramePng {

    private FramePng() {
    }

    /** Writes the BGRA-premultiplied frame as a PNG; PNG keeps straight alpha, so it is un-premultiplied. */
    public static void write(Path file, MemorySegment pixels, int width, int height, int rowStride) throws IOException {
        Pixels.checkFrame(pixels, width, height, rowStride);
        int[] argb = new int[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                argb[y * width + x] = Pixels.unpremultiply(Pixels.get(pixels, rowStride, x, y));
            }
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, width, height, argb, 0, width);
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("this JDK has no PNG encoder");
        }
    }
}
