package dev.nanobroker.producer.pattern;

import dev.nanobroker.frame.Pixels;
import dev.nanobroker.frame.PreparedFrame;

import java.lang.foreign.MemorySegment;

/**
 * A white and black checkerboard of {@link PatternOptions#cellSize()}-pixel squares, white in the
 * top-left corner. Static: shows scaling, cropping and an off-by-one row or column at a glance. The two
 * row kinds are built once per geometry and copied row by row.
 */
public final class CheckerboardPattern extends PreparedFrame implements TestPattern {

    private final int cellSize;
    private MemorySegment whiteFirst;
    private MemorySegment blackFirst;

    public CheckerboardPattern(int cellSize) {
        if (cellSize < 1) {
            throw new IllegalArgumentException("cell size " + cellSize + " must be at least 1");
        }
        this.cellSize = cellSize;
    }

    public int cellSize() {
        return cellSize;
    }

    @Override
    protected void prepare(int width, int height) {
        whiteFirst = Pixels.newRow(width);
        blackFirst = Pixels.newRow(width);
        for (int x = 0; x < width; x += cellSize) {
            int end = Math.min(x + cellSize, width);
            boolean white = (x / cellSize & 1) == 0;
            Pixels.fillSpan(whiteFirst, x, end, white ? Pixels.WHITE : Pixels.BLACK);
            Pixels.fillSpan(blackFirst, x, end, white ? Pixels.BLACK : Pixels.WHITE);
        }
    }

    @Override
    protected void draw(MemorySegment pixels, int width, int height, int rowStride, long sequence, long nanos) {
        for (int y = 0; y < height; y += cellSize) {
            MemorySegment row = (y / cellSize & 1) == 0 ? whiteFirst : blackFirst;
            Pixels.copyRow(row, pixels, rowStride, width, y, Math.min(y + cellSize, height));
        }
    }
}
