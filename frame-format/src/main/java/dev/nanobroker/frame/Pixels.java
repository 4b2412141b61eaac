package dev.nanobroker.frame;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Bulk pixel writes shared by the patterns. A pixel is an {@code int} 0xAARRGGBB (premultiplied) stored
 * little-endian, so B lands at the lowest address. Spans are written two pixels per {@code long};
 * every layout is unaligned, so any segment (heap {@code byte[]}, heap {@code long[]}, mapped) works.
 * Nothing here allocates.
 */
public final class Pixels {

    public static final ValueLayout.OfInt PIXEL = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfLong PAIR = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public static final int BLACK = 0xFF00_0000;
    public static final int WHITE = 0xFFFF_FFFF;

    private Pixels() {
    }

    /** 0xAARRGGBB premultiplied back to straight alpha (what PNG stores); opaque and clear pixels stay as they are. */
    public static int unpremultiply(int pixel) {
        int a = pixel >>> 24;
        if (a == 0 || a == 0xFF) {
            return pixel;
        }
        int r = Math.min(255, (pixel >>> 16 & 0xFF) * 255 / a);
        int g = Math.min(255, (pixel >>> 8 & 0xFF) * 255 / a);
        int b = Math.min(255, (pixel & 0xFF) * 255 / a);
        return a << 24 | r << 16 | g << 8 | b;
    }

    /** An opaque pixel from 8-bit components. */
    public static int rgb(int r, int g, int b) {
        return 0xFF00_0000 | (r & 0xFF) << 16 | (g & 0xFF) << 8 | (b & 0xFF);
    }

    /** An opaque grey. */
    public static int grey(int v) {
        return rgb(v, v, v);
    }

    /** 0xAARRGGBB straight alpha to premultiplied (colour components scaled by alpha, rounded). */
    public static int premultiply(int argb) {
        int a = argb >>> 24;
        if (a == 0xFF) {
            return argb;
        }
        return a << 24 | scale(argb >>> 16 & 0xFF, a) << 16 | scale(argb >>> 8 & 0xFF, a) << 8 | scale(argb & 0xFF, a);
    }

    /** {@code round(value * alpha / 255)} without a division: the per-pixel loops below run it per frame. */
    private static int scale(int value, int alpha) {
        int t = value * alpha + 128;
        return (t + (t >>> 8)) >>> 8;
    }

    /** Premultiplies a whole frame in place (a video with straight alpha, as FFmpeg decodes it). */
    public static void premultiplyAll(MemorySegment pixels, int width, int height, int rowStride) {
        for (int y = 0; y < height; y++) {
            long row = (long) y * rowStride;
            for (int x = 0; x < width; x++) {
                long at = row + x * 4L;
                int pixel = pixels.get(PIXEL, at);
                if (pixel >>> 24 != 0xFF) {
                    pixels.set(PIXEL, at, premultiply(pixel));
                }
            }
        }
    }

    /** Sets every pixel's alpha to opaque, in place (a source without alpha whose decoder left it 0). */
    public static void makeOpaque(MemorySegment pixels, int width, int height, int rowStride) {
        for (int y = 0; y < height; y++) {
            long row = (long) y * rowStride;
            for (int x = 0; x < width; x++) {
                long at = row + x * 4L;
                pixels.set(PIXEL, at, pixels.get(PIXEL, at) | BLACK);
            }
        }
    }

    /** Two copies of a pixel in one little-endian long. */
    public static long pair(int pixel) {
        return (pixel & 0xFFFF_FFFFL) | (long) pixel << 32;
    }

    /** Throws if the segment cannot hold a {@code width x height} frame with rows {@code rowStride} apart. */
    public static void checkFrame(MemorySegment pixels, int width, int height, int rowStride) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("frame size " + width + "x" + height + " is empty");
        }
        if (rowStride < width * 4L) {
            throw new IllegalArgumentException("row stride " + rowStride + " is shorter than " + width + " pixels");
        }
        long needed = (long) (height - 1) * rowStride + width * 4L;
        if (pixels.byteSize() < needed) {
            throw new IllegalArgumentException("segment of " + pixels.byteSize() + " bytes is too small for "
                    + width + "x" + height + " stride " + rowStride + " (" + needed + " bytes)");
        }
    }

    /** Writes {@code count} copies of {@code pixel} from byte {@code offset}. */
    public static void fill(MemorySegment segment, long offset, int count, int pixel) {
        long two = pair(pixel);
        long end = offset + (long) (count & ~1) * 4;
        for (long at = offset; at < end; at += 8) {
            segment.set(PAIR, at, two);
        }
        if ((count & 1) != 0) {
            segment.set(PIXEL, end, pixel);
        }
    }

    /** Fills the pixels {@code [x0, x1)} of a template row. */
    public static void fillSpan(MemorySegment row, int x0, int x1, int pixel) {
        if (x1 > x0) {
            fill(row, x0 * 4L, x1 - x0, pixel);
        }
    }

    /** Fills a rectangle, clipped to the frame. */
    public static void fillRect(MemorySegment pixels, int width, int height, int rowStride,
                         int x, int y, int w, int h, int pixel) {
        int x0 = Math.max(x, 0);
        int x1 = (int) Math.min((long) x + w, width);
        int y0 = Math.max(y, 0);
        int y1 = (int) Math.min((long) y + h, height);
        if (x0 >= x1 || y0 >= y1) {
            return;
        }
        long first = (long) y0 * rowStride + x0 * 4L;
        fill(pixels, first, x1 - x0, pixel);
        long bytes = (x1 - x0) * 4L;
        for (int row = y0 + 1; row < y1; row++) {
            MemorySegment.copy(pixels, first, pixels, (long) row * rowStride + x0 * 4L, bytes);
        }
    }

    /** Copies the first {@code width} pixels of row {@code source} to the rows {@code [from, to)}. */
    public static void repeatRow(MemorySegment pixels, int rowStride, int width, int source, int from, int to) {
        long src = (long) source * rowStride;
        long bytes = width * 4L;
        for (int row = from; row < to; row++) {
            MemorySegment.copy(pixels, src, pixels, (long) row * rowStride, bytes);
        }
    }

    /** Copies a template row to the rows {@code [from, to)}. */
    public static void copyRow(MemorySegment template, MemorySegment pixels, int rowStride, int width, int from, int to) {
        long bytes = width * 4L;
        for (int row = from; row < to; row++) {
            MemorySegment.copy(template, 0, pixels, (long) row * rowStride, bytes);
        }
    }

    /** A zeroed template row of {@code width} pixels on the heap ({@code long[]}-backed, so 8-byte aligned). */
    public static MemorySegment newRow(int width) {
        return MemorySegment.ofArray(new long[(width + 1) / 2]);
    }

    /** {@code floor(total * numerator / denominator)} without overflow for frame-sized numbers. */
    public static int part(int total, long numerator, long denominator) {
        return (int) (total * numerator / denominator);
    }

    /** The pixel at (x, y) as 0xAARRGGBB. */
    public static int get(MemorySegment pixels, int rowStride, int x, int y) {
        return pixels.get(PIXEL, (long) y * rowStride + x * 4L);
    }

    /**
     * A nearest-neighbour copy scaled down by {@code factor}, as a small window or a camera far away
     * would see the frame: pixel (x, y) of the copy is (factor x, factor y). Allocates the copy.
     */
    public static MemorySegment downscale(MemorySegment frame, int width, int height, int rowStride, int factor) {
        int w = width / factor;
        int h = height / factor;
        MemorySegment copy = MemorySegment.ofArray(new byte[w * h * 4]);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                copy.set(PIXEL, ((long) y * w + x) * 4, get(frame, rowStride, x * factor, y * factor));
            }
        }
        return copy;
    }
}
