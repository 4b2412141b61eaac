package dev.nanobroker.frame;

import java.lang.foreign.MemorySegment;

/**
 * A 5x7 bitmap font (digits, A-Z, {@code ':'}, {@code '.'}, {@code ' '}, {@code '-'}; lower case draws
 * as upper case) drawn straight into a frame, each font pixel a {@code scale x scale} square. Glyphs
 * advance {@code 6 * scale} (one blank column), lines are {@code 7 * scale} high. Drawing is clipped to
 * the frame, writes only the lit pixels (the background shows through) and allocates nothing; numbers
 * are drawn digit by digit without building strings.
 */
public final class BitmapFont {

    public static final int GLYPH_WIDTH = 5;
    public static final int GLYPH_HEIGHT = 7;
    /** Glyph width plus one blank column. */
    public static final int ADVANCE = 6;

    /** Per character: bit {@code row * 5 + (4 - column)} set where the font pixel is lit. */
    private static final long[] GLYPHS = new long[128];
    private static final boolean[] DEFINED = new boolean[128];

    static {
        define('0', ".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###.");
        define('1', "..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###.");
        define('2', ".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####");
        define('3', "#####", "...#.", "..#..", "...#.", "....#", "#...#", ".###.");
        define('4', "...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#.");
        define('5', "#####", "#....", "####.", "....#", "....#", "#...#", ".###.");
        define('6', "..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###.");
        define('7', "#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#...");
        define('8', ".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###.");
        define('9', ".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##..");
        define('A', ".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#");
        define('B', "####.", "#...#", "#...#", "####.", "#...#", "#...#", "####.");
        define('C', ".###.", "#...#", "#....", "#....", "#....", "#...#", ".###.");
        define('D', "###..", "#..#.", "#...#", "#...#", "#...#", "#..#.", "###..");
        define('E', "#####", "#....", "#....", "####.", "#....", "#....", "#####");
        define('F', "#####", "#....", "#....", "####.", "#....", "#....", "#....");
        define('G', ".###.", "#...#", "#....", "#.###", "#...#", "#...#", ".####");
        define('H', "#...#", "#...#", "#...#", "#####", "#...#", "#...#", "#...#");
        define('I', ".###.", "..#..", "..#..", "..#..", "..#..", "..#..", ".###.");
        define('J', "..###", "...#.", "...#.", "...#.", "...#.", "#..#.", ".##..");
        define('K', "#...#", "#..#.", "#.#..", "##...", "#.#..", "#..#.", "#...#");
        define('L', "#....", "#....", "#....", "#....", "#....", "#....", "#####");
        define('M', "#...#", "##.##", "#.#.#", "#.#.#", "#...#", "#...#", "#...#");
        define('N', "#...#", "#...#", "##..#", "#.#.#", "#..##", "#...#", "#...#");
        define('O', ".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###.");
        define('P', "####.", "#...#", "#...#", "####.", "#....", "#....", "#....");
        define('Q', ".###.", "#...#", "#...#", "#...#", "#.#.#", "#..#.", ".##.#");
        define('R', "####.", "#...#", "#...#", "####.", "#.#..", "#..#.", "#...#");
        define('S', ".####", "#....", "#....", ".###.", "....#", "....#", "####.");
        define('T', "#####", "..#..", "..#..", "..#..", "..#..", "..#..", "..#..");
        define('U', "#...#", "#...#", "#...#", "#...#", "#...#", "#...#", ".###.");
        define('V', "#...#", "#...#", "#...#", "#...#", "#...#", ".#.#.", "..#..");
        define('W', "#...#", "#...#", "#...#", "#.#.#", "#.#.#", "#.#.#", ".#.#.");
        define('X', "#...#", "#...#", ".#.#.", "..#..", ".#.#.", "#...#", "#...#");
        define('Y', "#...#", "#...#", ".#.#.", "..#..", "..#..", "..#..", "..#..");
        define('Z', "#####", "....#", "...#.", "..#..", ".#...", "#....", "#####");
        define(':', ".....", ".##..", ".##..", ".....", ".##..", ".##..", ".....");
        define('.', ".....", ".....", ".....", ".....", ".....", ".##..", ".##..");
        define('-', ".....", ".....", ".....", "#####", ".....", ".....", ".....");
        define(' ', ".....", ".....", ".....", ".....", ".....", ".....", ".....");
    }

    private BitmapFont() {
    }

    private static void define(char c, String... rows) {
        if (rows.length != GLYPH_HEIGHT) {
            throw new IllegalStateException("glyph '" + c + "' has " + rows.length + " rows");
        }
        long bits = 0;
        for (int row = 0; row < GLYPH_HEIGHT; row++) {
            String line = rows[row];
            if (line.length() != GLYPH_WIDTH) {
                throw new IllegalStateException("glyph '" + c + "' row " + row + " is not " + GLYPH_WIDTH + " wide");
            }
            for (int column = 0; column < GLYPH_WIDTH; column++) {
                if (line.charAt(column) == '#') {
                    bits |= 1L << (row * GLYPH_WIDTH + (GLYPH_WIDTH - 1 - column));
                }
            }
        }
        GLYPHS[c] = bits;
        DEFINED[c] = true;
    }

    private static int index(char c) {
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 'A';
        }
        return c < 128 ? c : 0;
    }

    /** Whether the font has a glyph for {@code c} (others draw as blanks). */
    public static boolean hasGlyph(char c) {
        return DEFINED[index(c)];
    }

    /** Whether font pixel ({@code column}, {@code row}) of {@code c} is lit; column 0 is the left. */
    public static boolean isLit(char c, int column, int row) {
        if (column < 0 || column >= GLYPH_WIDTH || row < 0 || row >= GLYPH_HEIGHT) {
            return false;
        }
        return (GLYPHS[index(c)] >>> (row * GLYPH_WIDTH + (GLYPH_WIDTH - 1 - column)) & 1) != 0;
    }

    /** Pixel width of {@code chars} characters drawn at {@code scale} (no trailing blank column). */
    public static int textWidth(int chars, int scale) {
        return chars <= 0 ? 0 : (chars * ADVANCE - 1) * scale;
    }

    /** Pixel height of a line at {@code scale}. */
    public static int textHeight(int scale) {
        return GLYPH_HEIGHT * scale;
    }

    /** Number of characters {@link #drawLong} draws for {@code value} with at least {@code minDigits} digits. */
    public static int longChars(long value, int minDigits) {
        int digits = 1;
        for (long rest = value / 10; rest != 0; rest /= 10) {
            digits++;
        }
        return Math.max(digits, minDigits) + (value < 0 ? 1 : 0);
    }

    /**
     * Draws one character with its top-left corner at ({@code x}, {@code y}).
     *
     * @return the x of the next character
     */
    public static int drawChar(MemorySegment pixels, int width, int height, int rowStride,
                               int x, int y, int scale, char c, int pixel) {
        long bits = GLYPHS[index(c)];
        if (bits != 0 && scale > 0) {
            for (int row = 0; row < GLYPH_HEIGHT; row++) {
                int mask = (int) (bits >>> (row * GLYPH_WIDTH)) & 0x1F;
                if (mask == 0) {
                    continue;
                }
                int top = y + row * scale;
                int y0 = Math.max(top, 0);
                int y1 = Math.min(top + scale, height);
                if (y0 >= y1) {
                    continue;
                }
                int column = 0;
                while (column < GLYPH_WIDTH) {
                    if ((mask >>> (GLYPH_WIDTH - 1 - column) & 1) == 0) {
                        column++;
                        continue;
                    }
                    int end = column + 1;
                    while (end < GLYPH_WIDTH && (mask >>> (GLYPH_WIDTH - 1 - end) & 1) != 0) {
                        end++;
                    }
                    int x0 = Math.max(x + column * scale, 0);
                    int x1 = Math.min(x + end * scale, width);
                    if (x0 < x1) {
                        for (int line = y0; line < y1; line++) {
                            Pixels.fill(pixels, (long) line * rowStride + x0 * 4L, x1 - x0, pixel);
                        }
                    }
                    column = end;
                }
            }
        }
        return x + ADVANCE * scale;
    }

    /**
     * Draws {@code text} on one line.
     *
     * @return the x after the last character
     */
    public static int drawString(MemorySegment pixels, int width, int height, int rowStride,
                                 int x, int y, int scale, CharSequence text, int pixel) {
        int at = x;
        for (int i = 0; i < text.length(); i++) {
            at = drawChar(pixels, width, height, rowStride, at, y, scale, text.charAt(i), pixel);
        }
        return at;
    }

    /**
     * Draws a decimal number, zero-padded to {@code minDigits}, with a leading '-' if negative.
     *
     * @return the x after the last digit
     */
    public static int drawLong(MemorySegment pixels, int width, int height, int rowStride,
                               int x, int y, int scale, long value, int minDigits, int pixel) {
        int at = x;
        if (value < 0) {
            at = drawChar(pixels, width, height, rowStride, at, y, scale, '-', pixel);
        }
        long negative = value < 0 ? value : -value; // works for Long.MIN_VALUE too
        int digits = 1;
        long divisor = 1;
        while (negative / divisor <= -10) {
            divisor *= 10;
            digits++;
        }
        for (int pad = digits; pad < minDigits; pad++) {
            at = drawChar(pixels, width, height, rowStride, at, y, scale, '0', pixel);
        }
        for (; divisor > 0; divisor /= 10) {
            int digit = (int) -((negative / divisor) % 10);
            at = drawChar(pixels, width, height, rowStride, at, y, scale, (char) ('0' + digit), pixel);
        }
        return at;
    }

    /** Characters {@link #drawMillis} draws for {@code nanos}. */
    public static int millisChars(long nanos) {
        long micros = nanos / 1_000;
        return longChars(Math.abs(micros / 1_000), 1) + 4 + (micros < 0 ? 1 : 0);
    }

    /**
     * Draws {@code nanos} as milliseconds with three decimals ("12345.678"), truncated to the microsecond.
     *
     * @return the x after the last digit
     */
    public static int drawMillis(MemorySegment pixels, int width, int height, int rowStride,
                                 int x, int y, int scale, long nanos, int pixel) {
        int at = x;
        long micros = nanos / 1_000; // no overflow when negated
        if (micros < 0) {
            at = drawChar(pixels, width, height, rowStride, at, y, scale, '-', pixel);
            micros = -micros;
        }
        at = drawLong(pixels, width, height, rowStride, at, y, scale, micros / 1_000, 1, pixel);
        at = drawChar(pixels, width, height, rowStride, at, y, scale, '.', pixel);
        return drawLong(pixels, width, height, rowStride, at, y, scale, micros % 1_000, 3, pixel);
    }
}
