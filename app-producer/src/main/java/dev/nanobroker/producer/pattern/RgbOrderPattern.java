package dev.nanobroker.producer.pattern;

import dev.nanobroker.frame.BitmapFont;
import dev.nanobroker.frame.Pixels;
import dev.nanobroker.frame.PreparedFrame;

import java.lang.foreign.MemorySegment;

/**
 * An RGB order check: the frame in three columns of pure red, green and blue (255 in one component,
 * 0 in the others), each with its initial, R, G or B, in big white letters with a black shadow, and the
 * colour's name below. A reader that swaps B and R shows a blue column labelled R and a red one labelled
 * B; a reader that drops a channel shows a black column. The background is one template row per
 * geometry; the letters are drawn with {@link BitmapFont}.
 */
public final class RgbOrderPattern extends PreparedFrame implements TestPattern {

    private static final int[] COLOURS = {Pixels.rgb(255, 0, 0), Pixels.rgb(0, 255, 0), Pixels.rgb(0, 0, 255)};
    static final char[] LETTERS = {'R', 'G', 'B'};
    private static final String[] NAMES = {"RED", "GREEN", "BLUE"};

    private MemorySegment background;

    /** Left edge of column {@code column} (0..3, 3 being the right frame edge). */
    static int columnEdge(int column, int width) {
        return Pixels.part(width, column, 3);
    }

    /** Scale of the big letters. */
    static int letterScale(int width, int height) {
        return Math.max(1, Math.min(height * 45 / (100 * BitmapFont.GLYPH_HEIGHT), width / 3 * 55 / (100 * BitmapFont.GLYPH_WIDTH)));
    }

    /** Left edge of the big letter in column {@code column}. */
    static int letterX(int column, int width, int height) {
        int scale = letterScale(width, height);
        int centre = (columnEdge(column, width) + columnEdge(column + 1, width)) / 2;
        return centre - BitmapFont.GLYPH_WIDTH * scale / 2;
    }

    /** Top edge of the big letters. */
    static int letterY(int width, int height) {
        return height * 2 / 5 - BitmapFont.GLYPH_HEIGHT * letterScale(width, height) / 2;
    }

    @Override
    protected void prepare(int width, int height) {
        background = Pixels.newRow(width);
        for (int column = 0; column < 3; column++) {
            Pixels.fillSpan(background, columnEdge(column, width), columnEdge(column + 1, width), COLOURS[column]);
        }
    }

    @Override
    protected void draw(MemorySegment pixels, int width, int height, int rowStride, long sequence, long nanos) {
        Pixels.copyRow(background, pixels, rowStride, width, 0, height);
        int scale = letterScale(width, height);
        int shadow = Math.max(1, scale / 4);
        int y = letterY(width, height);
        int nameScale = Math.max(1, scale / 5);
        int nameY = y + BitmapFont.GLYPH_HEIGHT * scale + 2 * nameScale * BitmapFont.GLYPH_HEIGHT / 2;
        for (int column = 0; column < 3; column++) {
            int x = letterX(column, width, height);
            BitmapFont.drawChar(pixels, width, height, rowStride, x + shadow, y + shadow, scale, LETTERS[column], Pixels.BLACK);
            BitmapFont.drawChar(pixels, width, height, rowStride, x, y, scale, LETTERS[column], Pixels.WHITE);
            String name = NAMES[column];
            int centre = (columnEdge(column, width) + columnEdge(column + 1, width)) / 2;
            int nameX = centre - BitmapFont.textWidth(name.length(), nameScale) / 2;
            BitmapFont.drawString(pixels, width, height, rowStride, nameX + Math.max(1, nameScale / 3), nameY + Math.max(1, nameScale / 3),
                    nameScale, name, Pixels.BLACK);
            BitmapFont.drawString(pixels, width, height, rowStride, nameX, nameY, nameScale, name, Pixels.WHITE);
        }
    }
}
