package dev.nanobroker.producer.pattern;

import dev.nanobroker.frame.Pixels;
import dev.nanobroker.frame.PreparedFrame;

import java.lang.foreign.MemorySegment;

/**
 * SMPTE HD colour bars in the layout of RP 219. With {@code d} = 1/8 of the width (the side panels) and
 * {@code a} = 3/28 of the width (a bar: seven bars fill the central 3/4), edges in 56ths of the width:
 * <ul>
 *   <li>rows 0 to 7/12 of the height: 40% grey | seven 75% bars, grey, yellow, cyan, green, magenta,
 *       red, blue | 40% grey;</li>
 *   <li>to 8/12: 100% cyan | 100% white (one bar; RP 219 allows 75% white, 100% white or +I there) |
 *       75% white (six bars) | 100% blue;</li>
 *   <li>to 9/12: 100% yellow | black (one bar; RP 219 allows black or +Q) | a luminance ramp from 0 to
 *       100% over six bars | 100% red;</li>
 *   <li>to the bottom: 15% grey | black 3/2 a | 100% white 2 a | black 5/6 a | the PLUGE, five stripes
 *       of a/3: -2%, black, +2%, black, +4% | black to the right panel | 15% grey.</li>
 * </ul>
 * Colours are 8-bit full-range RGB approximations: 100% = 255, 75% = 191, 40% = 102, 15% = 38, black 0,
 * +2% = 5, +4% = 10. Full-range RGB has nothing below black, so the -2% stripe is clipped to 0 (it is
 * indistinguishable from black, as in any full-range RGB rendering). Four template rows per geometry;
 * a frame is row copies only.
 */
public final class SmpteHdBarsPattern extends PreparedFrame implements TestPattern {

    private static final int BAR = 191;
    private static final int GREY40 = Pixels.grey(102);
    private static final int GREY15 = Pixels.grey(38);
    private static final int GREY75 = Pixels.grey(BAR);
    private static final int BLACK = Pixels.BLACK;

    /** Edges of the first row in 56ths: side panel, then seven bars of 6/56, then the other panel. */
    private static final int[] TOP_EDGES = {0, 7, 13, 19, 25, 31, 37, 43, 49, 56};
    private static final int[] TOP = {
            GREY40, GREY75, Pixels.rgb(BAR, BAR, 0), Pixels.rgb(0, BAR, BAR), Pixels.rgb(0, BAR, 0),
            Pixels.rgb(BAR, 0, BAR), Pixels.rgb(BAR, 0, 0), Pixels.rgb(0, 0, BAR), GREY40};
    private static final int[] SECOND_EDGES = {0, 7, 13, 49, 56};
    private static final int[] SECOND = {Pixels.rgb(0, 255, 255), Pixels.WHITE, GREY75, Pixels.rgb(0, 0, 255)};
    /** Third row: yellow, black, ramp [13, 49), red. */
    private static final int RAMP_START = 13;
    private static final int RAMP_END = 49;
    private static final int[] BOTTOM_EDGES = {0, 7, 16, 28, 33, 35, 37, 39, 41, 43, 49, 56};
    private static final int[] BOTTOM = {
            GREY15, BLACK, Pixels.WHITE, BLACK, BLACK /* -2%, clipped */, BLACK, Pixels.grey(5), BLACK, Pixels.grey(10),
            BLACK, GREY15};

    private MemorySegment top;
    private MemorySegment second;
    private MemorySegment third;
    private MemorySegment bottom;

    private static void spans(MemorySegment row, int width, int[] edges, int[] colours) {
        for (int i = 0; i < colours.length; i++) {
            Pixels.fillSpan(row, Pixels.part(width, edges[i], 56), Pixels.part(width, edges[i + 1], 56), colours[i]);
        }
    }

    @Override
    protected void prepare(int width, int height) {
        top = Pixels.newRow(width);
        second = Pixels.newRow(width);
        third = Pixels.newRow(width);
        bottom = Pixels.newRow(width);
        spans(top, width, TOP_EDGES, TOP);
        spans(second, width, SECOND_EDGES, SECOND);
        spans(bottom, width, BOTTOM_EDGES, BOTTOM);
        int rampStart = Pixels.part(width, RAMP_START, 56);
        int rampEnd = Pixels.part(width, RAMP_END, 56);
        Pixels.fillSpan(third, 0, Pixels.part(width, 7, 56), Pixels.rgb(255, 255, 0));
        Pixels.fillSpan(third, Pixels.part(width, 7, 56), rampStart, BLACK);
        int steps = Math.max(rampEnd - rampStart - 1, 1);
        for (int x = rampStart; x < rampEnd; x++) {
            third.set(Pixels.PIXEL, x * 4L, Pixels.grey(((x - rampStart) * 255 + steps / 2) / steps));
        }
        Pixels.fillSpan(third, rampEnd, width, Pixels.rgb(255, 0, 0));
    }

    @Override
    protected void draw(MemorySegment pixels, int width, int height, int rowStride, long sequence, long nanos) {
        int topEnd = Pixels.part(height, 7, 12);
        int secondEnd = Pixels.part(height, 8, 12);
        int thirdEnd = Pixels.part(height, 9, 12);
        Pixels.copyRow(top, pixels, rowStride, width, 0, topEnd);
        Pixels.copyRow(second, pixels, rowStride, width, topEnd, secondEnd);
        Pixels.copyRow(third, pixels, rowStride, width, secondEnd, thirdEnd);
        Pixels.copyRow(bottom, pixels, rowStride, width, thirdEnd, height);
    }
}
