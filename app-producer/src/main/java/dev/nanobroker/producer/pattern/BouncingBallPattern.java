package dev.nanobroker.producer.pattern;

import dev.nanobroker.frame.Pixels;
import dev.nanobroker.frame.PreparedFrame;

import java.lang.foreign.MemorySegment;

/**
 * A ball bouncing around a faint grid. Its position is a function of the sequence number alone: it
 * travels {@link PatternOptions#speed()} pixels per frame both horizontally and vertically (a 45 degree
 * path), reflected at the frame edges, so a dropped or repeated frame shows as a jump or a stall
 * however fast frames are rendered. The grid (a line every 1/12 of the height) is two template rows per
 * geometry; the ball is one span per row from a table of circle half-widths.
 */
public final class BouncingBallPattern extends PreparedFrame implements TestPattern {

    private static final int BACKGROUND = Pixels.grey(24);
    private static final int GRID = Pixels.grey(56);
    private static final int BALL = Pixels.rgb(255, 200, 40);

    private final int speed;

    private int gridStep;
    private int diameter;
    private MemorySegment plainRow;
    private MemorySegment gridRow;
    /** Per row of the ball, the first column inside the circle (the span is symmetric). */
    private int[] inset;

    public BouncingBallPattern(int speed) {
        if (speed < 0) {
            throw new IllegalArgumentException("speed " + speed + " must not be negative");
        }
        this.speed = speed;
    }

    /** Ball diameter for a frame height. */
    static int diameter(int width, int height) {
        return Math.max(1, Math.min(Math.min(width, height), Math.max(8, height / 6)));
    }

    /** Position of the ball's left or top edge after travelling {@code travel} pixels in {@code [0, range]}. */
    static int bounce(long travel, int range) {
        if (range <= 0) {
            return 0;
        }
        long period = 2L * range;
        long t = Math.floorMod(travel, period);
        return (int) (t <= range ? t : period - t);
    }

    /** Ball left edge in frame {@code sequence}. */
    static int ballX(long sequence, int speed, int width, int height) {
        return bounce(sequence * speed, width - diameter(width, height));
    }

    /** Ball top edge in frame {@code sequence}. */
    static int ballY(long sequence, int speed, int width, int height) {
        return bounce(sequence * speed, height - diameter(width, height));
    }

    @Override
    protected void prepare(int width, int height) {
        gridStep = Math.max(4, height / 12);
        plainRow = Pixels.newRow(width);
        gridRow = Pixels.newRow(width);
        Pixels.fillSpan(plainRow, 0, width, BACKGROUND);
        Pixels.fillSpan(gridRow, 0, width, GRID);
        for (int x = 0; x < width; x += gridStep) {
            plainRow.set(Pixels.PIXEL, x * 4L, GRID);
        }
        diameter = diameter(width, height);
        inset = new int[diameter];
        double r = diameter / 2.0;
        for (int row = 0; row < diameter; row++) {
            double dy = row + 0.5 - r;
            double half = Math.sqrt(Math.max(0, r * r - dy * dy));
            inset[row] = (int) Math.round(r - half);
        }
    }

    @Override
    protected void draw(MemorySegment pixels, int width, int height, int rowStride, long sequence, long nanos) {
        for (int y = 0; y < height; y++) {
            MemorySegment.copy(y % gridStep == 0 ? gridRow : plainRow, 0, pixels, (long) y * rowStride, width * 4L);
        }
        int bx = bounce(sequence * speed, width - diameter);
        int by = bounce(sequence * speed, height - diameter);
        for (int row = 0; row < diameter; row++) {
            int x0 = bx + inset[row];
            int x1 = bx + diameter - inset[row];
            if (x1 > x0) {
                Pixels.fill(pixels, (long) (by + row) * rowStride + x0 * 4L, x1 - x0, BALL);
            }
        }
    }
}
