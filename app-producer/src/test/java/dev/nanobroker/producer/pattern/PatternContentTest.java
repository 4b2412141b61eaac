package dev.nanobroker.producer.pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nanobroker.frame.BitmapFont;
import dev.nanobroker.frame.Pixels;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

/** Each pattern draws what it claims, checked at known points. */
class PatternContentTest {

    private static final int W = 317;
    private static final int H = 181;
    private static final int STRIDE = W * 4 + 12;

    private static MemorySegment render(TestPattern pattern, long sequence) {
        MemorySegment frame = MemorySegment.ofArray(new byte[STRIDE * H]);
        pattern.render(frame, W, H, STRIDE, sequence, 0);
        return frame;
    }

    private static int r(int pixel) {
        return pixel >>> 16 & 0xFF;
    }

    private static int g(int pixel) {
        return pixel >>> 8 & 0xFF;
    }

    private static int b(int pixel) {
        return pixel & 0xFF;
    }

    @Test
    void smpteTopBarsAreTheSevenSeventyFiveLevelBarsInOrder() {
        MemorySegment frame = render(new SmpteBarsPattern(), 0);
        int[][] expected = {{191, 191, 191}, {191, 191, 0}, {0, 191, 191}, {0, 191, 0}, {191, 0, 191}, {191, 0, 0}, {0, 0, 191}};
        String[] names = {"white", "yellow", "cyan", "green", "magenta", "red", "blue"};
        for (int bar = 0; bar < 7; bar++) {
            int x = (2 * bar + 1) * W / 14;
            for (int y : new int[] {0, H / 3, H * 2 / 3 - 1}) {
                int p = Pixels.get(frame, STRIDE, x, y);
                assertEquals(expected[bar][0], r(p), names[bar] + " R at " + x + "," + y);
                assertEquals(expected[bar][1], g(p), names[bar] + " G at " + x + "," + y);
                assertEquals(expected[bar][2], b(p), names[bar] + " B at " + x + "," + y);
            }
        }
        // Castellations under the first bar are blue, the bottom left is -I, then 100% white.
        assertEquals(Pixels.rgb(0, 0, 191), Pixels.get(frame, STRIDE, W / 14, H * 2 / 3 + 2));
        assertEquals(Pixels.rgb(0, 33, 76), Pixels.get(frame, STRIDE, 2, H - 1));
        assertEquals(Pixels.WHITE, Pixels.get(frame, STRIDE, W * 22 / 84, H - 1));
    }

    @Test
    void smpteHdHasGreyPanelsAroundTheSevenBars() {
        int width = 1920;
        int height = 1080;
        MemorySegment frame = MemorySegment.ofArray(new byte[width * height * 4]);
        new SmpteHdBarsPattern().render(frame, width, height, width * 4, 0, 0);
        assertEquals(Pixels.grey(102), Pixels.get(frame, width * 4, 100, 100));
        assertEquals(Pixels.grey(102), Pixels.get(frame, width * 4, width - 100, 100));
        int[] expected = {Pixels.grey(191), Pixels.rgb(191, 191, 0), Pixels.rgb(0, 191, 191), Pixels.rgb(0, 191, 0),
                Pixels.rgb(191, 0, 191), Pixels.rgb(191, 0, 0), Pixels.rgb(0, 0, 191)};
        for (int bar = 0; bar < 7; bar++) {
            int x = 240 + bar * 206 + 103; // side panel 240, bars 1440/7 ~ 205.7 wide
            assertEquals(expected[bar], Pixels.get(frame, width * 4, x, 300), "bar " + bar);
        }
        assertEquals(Pixels.rgb(0, 255, 255), Pixels.get(frame, width * 4, 100, height * 7 / 12 + 5)); // 100% cyan
        assertEquals(Pixels.rgb(255, 255, 0), Pixels.get(frame, width * 4, 100, height * 8 / 12 + 5)); // 100% yellow
        assertEquals(Pixels.rgb(255, 0, 0), Pixels.get(frame, width * 4, width - 100, height * 8 / 12 + 5)); // 100% red
        // The ramp rises left to right.
        int y = height * 8 / 12 + 5;
        assertTrue(g(Pixels.get(frame, width * 4, 500, y)) < g(Pixels.get(frame, width * 4, 1000, y)));
        assertTrue(g(Pixels.get(frame, width * 4, 1000, y)) < g(Pixels.get(frame, width * 4, 1600, y)));
        assertEquals(Pixels.WHITE, Pixels.get(frame, width * 4, 700, height - 5)); // 100% white in the bottom row
    }

    @Test
    void rgbPutsRedWhereItSaysR() {
        MemorySegment frame = render(new RgbOrderPattern(), 0);
        // Away from the letters, each column is its pure primary.
        int y = 2;
        int red = Pixels.get(frame, STRIDE, W / 6, y);
        int green = Pixels.get(frame, STRIDE, W / 2, y);
        int blue = Pixels.get(frame, STRIDE, W * 5 / 6, y);
        assertEquals(255, r(red));
        assertEquals(0, b(red));
        assertEquals(255, g(green));
        assertEquals(0, r(green) + b(green));
        assertEquals(255, b(blue));
        assertEquals(0, r(blue));
        // And the letter drawn in each column is that column's initial: sample the centre of every font
        // pixel of the big glyph and compare with the font.
        int scale = RgbOrderPattern.letterScale(W, H);
        int top = RgbOrderPattern.letterY(W, H);
        for (int column = 0; column < 3; column++) {
            int left = RgbOrderPattern.letterX(column, W, H);
            for (char candidate : RgbOrderPattern.LETTERS) {
                boolean matches = true;
                for (int row = 0; row < BitmapFont.GLYPH_HEIGHT; row++) {
                    for (int col = 0; col < BitmapFont.GLYPH_WIDTH; col++) {
                        int p = Pixels.get(frame, STRIDE, left + col * scale + scale / 2, top + row * scale + scale / 2);
                        matches &= (p == Pixels.WHITE) == BitmapFont.isLit(candidate, col, row);
                    }
                }
                assertEquals(candidate == RgbOrderPattern.LETTERS[column], matches,
                        "column " + column + " vs letter " + candidate);
            }
        }
        assertEquals('R', RgbOrderPattern.LETTERS[0]);
        assertEquals(0, b(Pixels.get(frame, STRIDE, RgbOrderPattern.columnEdge(1, W) - 1, H - 1)), "right end of the red column");
    }

    @Test
    void checkersAlternateAtTheCellSize() {
        int cell = 13;
        MemorySegment frame = render(new CheckerboardPattern(cell), 0);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                boolean white = ((x / cell) + (y / cell)) % 2 == 0;
                assertEquals(white ? Pixels.WHITE : Pixels.BLACK, Pixels.get(frame, STRIDE, x, y), x + "," + y);
            }
        }
    }

    @Test
    void checkersTakeTheCellSizeOption() {
        TestPattern pattern = PatternCatalog.create("checkers", PatternOptions.DEFAULTS.withCellSize(5));
        MemorySegment frame = render(pattern, 0);
        assertEquals(Pixels.WHITE, Pixels.get(frame, STRIDE, 4, 4));
        assertEquals(Pixels.BLACK, Pixels.get(frame, STRIDE, 5, 4));
        assertEquals(Pixels.BLACK, Pixels.get(frame, STRIDE, 4, 5));
        assertEquals(Pixels.WHITE, Pixels.get(frame, STRIDE, 5, 5));
    }

    @Test
    void solidIsTheColourAndPremultipliesWhenTranslucent() {
        MemorySegment opaque = render(PatternCatalog.create("solid", PatternOptions.DEFAULTS.withColour(0xFF10_2030)), 0);
        assertEquals(0xFF10_2030, Pixels.get(opaque, STRIDE, W - 1, H - 1));
        assertEquals(0x30, opaque.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0), "B is the first byte");
        MemorySegment half = render(new SolidPattern(0x80FF_4000), 0);
        assertEquals(0x8080_2000, Pixels.get(half, STRIDE, 100, 100));
        assertEquals(0, Pixels.get(render(new SolidPattern(0x00FF_FFFF), 0), STRIDE, 3, 3));
    }

    /** Bounding box of the ball's pixels: {minX, minY, maxX, maxY}. */
    private static int[] ballBox(MemorySegment frame, int width, int height, int stride) {
        int[] box = {Integer.MAX_VALUE, Integer.MAX_VALUE, -1, -1};
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (Pixels.get(frame, stride, x, y) == Pixels.rgb(255, 200, 40)) {
                    box[0] = Math.min(box[0], x);
                    box[1] = Math.min(box[1], y);
                    box[2] = Math.max(box[2], x);
                    box[3] = Math.max(box[3], y);
                }
            }
        }
        return box;
    }

    @Test
    void ballMovesSpeedPixelsPerFrameFromTheSequenceNumber() {
        int speed = 7;
        TestPattern ball = PatternCatalog.create("ball", PatternOptions.DEFAULTS.withSpeed(speed));
        int[] previous = ballBox(render(ball, 3), W, H, STRIDE);
        for (long sequence = 4; sequence < 8; sequence++) {
            int[] box = ballBox(render(ball, sequence), W, H, STRIDE);
            assertEquals(previous[0] + speed, box[0], "x at frame " + sequence);
            assertEquals(previous[1] + speed, box[1], "y at frame " + sequence);
            previous = box;
        }
        // A skipped frame is a double step; going back to a frame draws the same place.
        assertEquals(ballBox(render(ball, 5), W, H, STRIDE)[0] + 2 * speed, ballBox(render(ball, 7), W, H, STRIDE)[0]);
        // It bounces: it never leaves the frame.
        int diameter = BouncingBallPattern.diameter(W, H);
        for (long sequence = 0; sequence < 200; sequence += 13) {
            int x = BouncingBallPattern.ballX(sequence, speed, W, H);
            int y = BouncingBallPattern.ballY(sequence, speed, W, H);
            assertTrue(x >= 0 && x + diameter <= W && y >= 0 && y + diameter <= H, "frame " + sequence);
        }
        // The grid is behind it: background and grid colours both present.
        MemorySegment frame = render(ball, 0);
        assertEquals(Pixels.grey(56), Pixels.get(frame, STRIDE, W - 1, 0));
        assertEquals(Pixels.grey(24), Pixels.get(frame, STRIDE, W - 3, 1));
    }

    @Test
    void noiseChangesEveryFrameAndIsGreyAndReproducible() {
        NoisePattern noise = new NoisePattern();
        MemorySegment a = render(noise, 1);
        MemorySegment b = render(noise, 2);
        MemorySegment again = render(new NoisePattern(), 1);
        assertEquals(-1, a.mismatch(again));
        int same = 0;
        long sum = 0;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int p = Pixels.get(a, STRIDE, x, y);
                assertEquals(r(p), g(p));
                assertEquals(g(p), b(p));
                sum += b(p);
                if (p == Pixels.get(b, STRIDE, x, y)) {
                    same++;
                }
            }
        }
        assertTrue(same < W * H / 50, same + " pixels equal in consecutive frames");
        double mean = (double) sum / (W * H);
        assertTrue(mean > 120 && mean < 135, "mean " + mean);
    }

    @Test
    void zonePlateIsSymmetricBrightInTheMiddleOfFrameZeroAndMoves() {
        int width = 320;
        int height = 181;
        MemorySegment frame = MemorySegment.ofArray(new byte[width * height * 4]);
        ZonePlatePattern plate = new ZonePlatePattern();
        plate.render(frame, width, height, width * 4, 0, 0);
        assertTrue(g(Pixels.get(frame, width * 4, width / 2, height / 2)) > 250, "centre is white in frame 0");
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                assertEquals(Pixels.get(frame, width * 4, x, y), Pixels.get(frame, width * 4, width - 1 - x, height - 1 - y));
            }
        }
        MemorySegment next = MemorySegment.ofArray(new byte[width * height * 4]);
        plate.render(next, width, height, width * 4, 8, 0);
        assertNotEquals(-1, frame.mismatch(next));
        assertTrue(g(Pixels.get(next, width * 4, width / 2, height / 2)) < 140, "a quarter cycle later the centre is mid-grey");
    }

    @Test
    void rampsRiseFromBlackToFullInEachBand() {
        MemorySegment frame = render(new RampPattern(), 0);
        int bandHeight = H / RampPattern.BANDS;
        int[] masks = {0xFFFFFF, 0xFFFFFF, 0xFF0000, 0x00FF00, 0x0000FF};
        for (int band = 0; band < RampPattern.BANDS; band++) {
            int y = band * bandHeight + bandHeight / 2;
            assertEquals(Pixels.BLACK, Pixels.get(frame, STRIDE, 0, y), "band " + band);
            assertEquals(0xFF00_0000 | masks[band], Pixels.get(frame, STRIDE, W - 1, y), "band " + band);
            int previous = -1;
            for (int x = 0; x < W; x++) {
                int level = Math.max(r(Pixels.get(frame, STRIDE, x, y)), Math.max(g(Pixels.get(frame, STRIDE, x, y)), b(Pixels.get(frame, STRIDE, x, y))));
                assertTrue(level >= previous, "band " + band + " falls at " + x);
                previous = level;
            }
        }
    }

    @Test
    void overlayBurnsFrameAndTimeIntoTheTopLeftAndLeavesTheRest() {
        int width = 640;
        int height = 360;
        MemorySegment frame = MemorySegment.ofArray(new byte[width * height * 4]);
        new SolidPattern(0xFF00_8000).render(frame, width, height, width * 4, 0, 0);
        new Overlay().draw(frame, width, height, width * 4, 123_456, 98_765_432_100L);
        int scale = Overlay.scale(height);
        int whites = 0;
        int blacks = 0;
        for (int y = 0; y < 40 * scale && y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = Pixels.get(frame, width * 4, x, y);
                whites += p == Pixels.WHITE ? 1 : 0;
                blacks += p == Pixels.BLACK ? 1 : 0;
            }
        }
        assertTrue(whites > 200 && blacks > whites, whites + " white and " + blacks + " black pixels");
        assertEquals(Pixels.BLACK, Pixels.get(frame, width * 4, 2 * scale, 2 * scale), "box corner");
        assertEquals(0xFF00_8000, Pixels.get(frame, width * 4, width - 1, height - 1));
        assertEquals(0xFF00_8000, Pixels.get(frame, width * 4, width / 2, height / 2));
        // The first glyph is the F of FRAME: its top row is lit all along.
        int x0 = 4 * scale;
        for (int col = 0; col < BitmapFont.GLYPH_WIDTH * scale; col++) {
            assertEquals(Pixels.WHITE, Pixels.get(frame, width * 4, x0 + col, x0), "F top bar at column " + col);
        }
    }

    @Test
    void fontDrawsNumbersWithoutStrings() {
        int width = 200;
        int height = 10;
        MemorySegment frame = MemorySegment.ofArray(new byte[width * height * 4]);
        int end = BitmapFont.drawLong(frame, width, height, width * 4, 0, 0, 1, -1234, 6, Pixels.WHITE);
        assertEquals(BitmapFont.longChars(-1234, 6) * BitmapFont.ADVANCE, end);
        assertEquals(7, BitmapFont.longChars(-1234, 6));
        assertEquals(20, BitmapFont.longChars(Long.MIN_VALUE, 1));
        assertEquals(20 * 6, BitmapFont.drawLong(frame, width, height, width * 4, 0, 0, 1, Long.MIN_VALUE, 1, Pixels.WHITE));
        assertEquals(BitmapFont.millisChars(-1_500_000) * 6, BitmapFont.drawMillis(frame, width, height, width * 4, 0, 0, 1, -1_500_000, Pixels.WHITE));
        assertEquals(BitmapFont.millisChars(12_345_678_901L) * 6, BitmapFont.drawMillis(frame, width, height, width * 4, 0, 0, 1, 12_345_678_901L, Pixels.WHITE));
        for (char c : "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ:.- ".toCharArray()) {
            assertTrue(BitmapFont.hasGlyph(c), "glyph " + c);
        }
        // Clipped: drawing half off every edge is fine.
        BitmapFont.drawString(frame, width, height, width * 4, -3, -3, 2, "ABC", Pixels.WHITE);
        BitmapFont.drawString(frame, width, height, width * 4, width - 3, height - 3, 2, "ABC", Pixels.WHITE);
    }
}
