package dev.nanobroker.producer.pattern;

import dev.nanobroker.frame.Pixels;
import dev.nanobroker.frame.PreparedFrame;

import java.lang.foreign.MemorySegment;

/**
 * SMPTE colour bars in the SD layout of EG 1-1990:
 * <ul>
 *   <li>top 2/3 of the height: seven 75% bars, grey, yellow, cyan, green, magenta, red, blue, each 1/7
 *       of the width;</li>
 *   <li>the next 1/12: the reverse-blue castellations, blue, black, magenta, black, cyan, black, grey,
 *       each under the bar of the same width;</li>
 *   <li>the bottom 1/4: -I, 100% white and +Q, each 5/4 of a bar wide, black up to the end of the fifth
 *       bar, then the PLUGE under the sixth bar (three stripes of 1/3 bar: -4 IRE, setup black,
 *       +4 IRE) and black under the seventh.</li>
 * </ul>
 * Colours are 8-bit full-range RGB approximations of the analogue NTSC values, not the values of any
 * one digital standard: a 75% component is 191 (0.75 * 255) and an absent one 0; the black areas are
 * the 7.5 IRE setup level, 19; the PLUGE stripes are 9 (3.5 IRE) and 29 (11.5 IRE); -I is (0, 33, 76)
 * and +Q (50, 0, 106), the usual sRGB renderings. Three template rows are built per geometry; a frame
 * is row copies only.
 */
public final class SmpteBarsPattern extends PreparedFrame implements TestPattern {

    private static final int BAR = 191;
    private static final int SETUP = 19;

    /** The seven top bars, left to right. */
    private static final int[] TOP = {
            Pixels.rgb(BAR, BAR, BAR), Pixels.rgb(BAR, BAR, 0), Pixels.rgb(0, BAR, BAR), Pixels.rgb(0, BAR, 0),
            Pixels.rgb(BAR, 0, BAR), Pixels.rgb(BAR, 0, 0), Pixels.rgb(0, 0, BAR)};
    private static final int[] CASTELLATIONS = {
            Pixels.rgb(0, 0, BAR), Pixels.grey(SETUP), Pixels.rgb(BAR, 0, BAR), Pixels.grey(SETUP),
            Pixels.rgb(0, BAR, BAR), Pixels.grey(SETUP), Pixels.rgb(BAR, BAR, BAR)};
    private static final int MINUS_I = Pixels.rgb(0, 33, 76);
    private static final int PLUS_Q = Pixels.rgb(50, 0, 106);

    /** Bottom row edges in 84ths of the width (a bar is 12/84; 5/4 bar is 15/84; 1/3 bar is 4/84). */
    private static final int[] BOTTOM_EDGES = {0, 15, 30, 45, 60, 64, 68, 72, 84};
    private static final int[] BOTTOM = {
            MINUS_I, Pixels.WHITE, PLUS_Q, Pixels.grey(SETUP), Pixels.grey(9), Pixels.grey(SETUP), Pixels.grey(29),
            Pixels.grey(SETUP)};

    private MemorySegment top;
    private MemorySegment middle;
    private MemorySegment bottom;

    @Override
    protected void prepare(int width, int height) {
        top = Pixels.newRow(width);
        middle = Pixels.newRow(width);
        bottom = Pixels.newRow(width);
        for (int bar = 0; bar < 7; bar++) {
            int x0 = Pixels.part(width, bar, 7);
            int x1 = Pixels.part(width, bar + 1, 7);
            Pixels.fillSpan(top, x0, x1, TOP[bar]);
            Pixels.fillSpan(middle, x0, x1, CASTELLATIONS[bar]);
        }
        for (int i = 0; i < BOTTOM.length; i++) {
            Pixels.fillSpan(bottom, Pixels.part(width, BOTTOM_EDGES[i], 84), Pixels.part(width, BOTTOM_EDGES[i + 1], 84), BOTTOM[i]);
        }
    }

    @Override
    protected void draw(MemorySegment pixels, int width, int height, int rowStride, long sequence, long nanos) {
        int barsEnd = Pixels.part(height, 2, 3);
        int castellationsEnd = Pixels.part(height, 3, 4);
        Pixels.copyRow(top, pixels, rowStride, width, 0, barsEnd);
        Pixels.copyRow(middle, pixels, rowStride, width, barsEnd, castellationsEnd);
        Pixels.copyRow(bottom, pixels, rowStride, width, castellationsEnd, height);
    }
}
