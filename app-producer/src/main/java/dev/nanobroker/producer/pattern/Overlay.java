package dev.nanobroker.producer.pattern;

import dev.nanobroker.frame.BitmapFont;
import dev.nanobroker.frame.Pixels;

import java.lang.foreign.MemorySegment;

/**
 * Burns the frame number and the render time into any pattern ({@code --overlay}): two lines,
 * {@code FRAME n} and {@code 12345.678 MS}, white on a black box in the top-left corner, the font scaled
 * with the frame height (a 5x7 glyph pixel is about 1/200 of the height, at least 1). Allocation-free;
 * clipped to the frame.
 */
public final class Overlay {

    private static final String FRAME = "FRAME ";
    private static final String MS = " MS";

    /** Font scale for a frame height. */
    static int scale(int height) {
        return Math.max(1, (height + 100) / 200);
    }

    /** Draws the box over whatever the frame holds. */
    public void draw(MemorySegment pixels, int width, int height, int rowStride, long sequence, long nanos) {
        Pixels.checkFrame(pixels, width, height, rowStride);
        int scale = scale(height);
        int margin = 2 * scale;
        int padding = 2 * scale;
        int gap = 3 * scale;
        int firstChars = FRAME.length() + BitmapFont.longChars(sequence, 1);
        int secondChars = BitmapFont.millisChars(nanos) + MS.length();
        int textWidth = BitmapFont.textWidth(Math.max(firstChars, secondChars), scale);
        int lineHeight = BitmapFont.textHeight(scale);
        Pixels.fillRect(pixels, width, height, rowStride, margin, margin,
                textWidth + 2 * padding, 2 * lineHeight + gap + 2 * padding, Pixels.BLACK);
        int x = margin + padding;
        int y = margin + padding;
        int at = BitmapFont.drawString(pixels, width, height, rowStride, x, y, scale, FRAME, Pixels.WHITE);
        BitmapFont.drawLong(pixels, width, height, rowStride, at, y, scale, sequence, 1, Pixels.WHITE);
        y += lineHeight + gap;
        at = BitmapFont.drawMillis(pixels, width, height, rowStride, x, y, scale, nanos, Pixels.WHITE);
        BitmapFont.drawString(pixels, width, height, rowStride, at, y, scale, MS, Pixels.WHITE);
    }

    /** {@code pattern} with this overlay drawn over each frame. */
    public TestPattern over(TestPattern pattern) {
        return (pixels, width, height, rowStride, sequence, nanos) -> {
            pattern.render(pixels, width, height, rowStride, sequence, nanos);
            draw(pixels, width, height, rowStride, sequence, nanos);
        };
    }
}
