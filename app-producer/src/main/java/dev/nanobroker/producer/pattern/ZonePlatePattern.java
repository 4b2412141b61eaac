package dev.nanobroker.producer.pattern;

import dev.nanobroker.frame.Pixels;
import dev.nanobroker.frame.PreparedFrame;

import java.lang.foreign.MemorySegment;

/**
 * A circular zone plate, grey {@code 127.5 + 127.5 cos(k r^2 - phase)} around the frame centre, with
 * {@code k} chosen so that the rings reach the Nyquist frequency (one cycle every two pixels) at the
 * left and right edges; beyond that, in the corners, the rings alias on purpose. The rings move by 1/32
 * of a cycle per frame.
 *
 * <p>No trigonometry per frame: {@code k r^2 = k dx^2 + k dy^2}, so per geometry two tables hold the
 * phase of each column and each row as a 32-bit fraction of a cycle (wrapping int addition is
 * arithmetic modulo one cycle), and a 4096-entry table maps the top 12 bits of a phase to a pixel. A
 * pixel is one add, one shift and one lookup; the pattern is symmetric about the horizontal centre
 * line, so only the top half is computed and the bottom half is row copies.
 */
public final class ZonePlatePattern extends PreparedFrame implements TestPattern {

    private static final int LUT_BITS = 12;
    private static final long[] LUT = new long[1 << LUT_BITS];
    /** Phase advance per frame, in 2^-32 cycles: 1/32 cycle. */
    private static final int STEP = 1 << 27;

    static {
        for (int i = 0; i < LUT.length; i++) {
            int v = (int) Math.round(127.5 + 127.5 * Math.cos(2 * Math.PI * i / LUT.length));
            LUT[i] = Pixels.grey(v) & 0xFFFF_FFFFL;
        }
    }

    private int[] columnPhase;
    private int[] rowPhase;

    /** {@code d^2 / (4 R)} cycles as a 32-bit fraction of a cycle. */
    private static int phase(double d, double radius) {
        double cycles = d * d / (4 * radius);
        double fraction = cycles - Math.floor(cycles);
        return (int) (long) (fraction * 4294967296.0);
    }

    @Override
    protected void prepare(int width, int height) {
        // k = pi / (2 R) puts the local frequency k r / pi at 1/2 cycle per pixel at r = R.
        double radius = Math.max(1, Math.max(width, height) / 2.0);
        columnPhase = new int[width];
        rowPhase = new int[height];
        for (int x = 0; x < width; x++) {
            columnPhase[x] = phase(x - (width - 1) / 2.0, radius);
        }
        for (int y = 0; y < height; y++) {
            rowPhase[y] = phase(y - (height - 1) / 2.0, radius);
        }
    }

    @Override
    protected void draw(MemorySegment pixels, int width, int height, int rowStride, long sequence, long nanos) {
        int[] columns = columnPhase;
        int shift = 32 - LUT_BITS;
        int offset = (int) (-sequence * STEP);
        int half = (height + 1) / 2;
        int pairs = width & ~1;
        for (int y = 0; y < half; y++) {
            int base = rowPhase[y] + offset;
            long row = (long) y * rowStride;
            for (int x = 0; x < pairs; x += 2) {
                long left = LUT[(columns[x] + base) >>> shift];
                long right = LUT[(columns[x + 1] + base) >>> shift];
                pixels.set(Pixels.PAIR, row + x * 4L, left | right << 32);
            }
            if (pairs < width) {
                pixels.set(Pixels.PIXEL, row + pairs * 4L, (int) LUT[(columns[pairs] + base) >>> shift]);
            }
        }
        for (int y = half; y < height; y++) {
            Pixels.repeatRow(pixels, rowStride, width, height - 1 - y, y, y + 1);
        }
    }
}
