package dev.nanobroker.frame;

import java.lang.foreign.MemorySegment;

/**
 * The latency clock: a frame that carries its own frame number and render time, for eyes, cameras
 * and programs. On a dark grey background, from the top (all positions are fractions of the frame, so
 * they survive scaling):
 * <ul>
 *   <li>{@code FRAME n} in large digits (4% to at most 19% of the height);</li>
 *   <li>the render time, {@code nanos} as milliseconds with three decimals, {@code 12345.678 MS}
 *       (from 22% of the height);</li>
 *   <li>a bar of 60 steps across the width (42% to 52%): step {@code n mod 60} is white, the steps
 *       before it grey, so at 60 fps it sweeps once a second and a skipped frame is a skipped step; a
 *       scale with a tick every 10 steps under it;</li>
 *   <li>the box rows (58% to 94%): 4 rows of 38 black or white boxes, 152 bits, that
 *       {@link #decode} reads back.</li>
 * </ul>
 *
 * <p><b>Box encoding.</b> With {@code W x H} the frame size, box {@code (r, c)} (row {@code r} 0..3,
 * column {@code c} 0..37) covers the columns {@code [floor(W (c + 1) / 40), floor(W (c + 2) / 40))}
 * and the rows {@code [floor(H (58 + 9 r) / 100), floor(H (67 + 9 r) / 100))}: each box is 1/40 of the
 * width wide and 9% of the height tall, with one box width of margin at each side. White
 * (255, 255, 255) is a 1 bit, black (0, 0, 0) a 0. Bit {@code i = 38 r + c}, in order:
 * <ul>
 *   <li>bits 0-7: the start marker 0xA7 (1010 0111), most significant bit first;</li>
 *   <li>bits 8-71: the sequence number, 64 bits, most significant first;</li>
 *   <li>bits 72-135: {@code nanos}, 64 bits, most significant first;</li>
 *   <li>bits 136-151: CRC-16/CCITT-FALSE (polynomial 0x1021, initial value 0xFFFF, no reflection, no
 *       final xor) of the 16 bytes sequence then nanos, each big-endian; most significant bit first.</li>
 * </ul>
 * A decoder samples each box at its centre, {@code x = floor(W (2 c + 3) / 80)},
 * {@code y = floor(H (125 + 18 r) / 200)}, takes the luma {@code (R + 2 G + B) / 4} and reads 1 at 128
 * or above, then checks the marker and the CRC. A 1/4 nearest-neighbour copy of a frame at least
 * 320 pixels wide still has boxes at least 2 pixels wide, with the centres inside them.
 *
 * <p>Per geometry the background row, the bar track and the scale row are built once; a frame is row
 * copies, about 200 span fills and the digits.
 */
public final class LatencyClock extends PreparedFrame {

    public static final int MARKER = 0xA7;
    public static final int ROWS = 4;
    public static final int COLUMNS = 38;
    static final int BITS = ROWS * COLUMNS;
    static final int BAR_STEPS = 60;

    private static final int BACKGROUND = Pixels.grey(32);
    private static final int TRACK = Pixels.grey(56);
    private static final int PROGRESS = Pixels.grey(110);
    private static final int TICK = Pixels.grey(200);
    private static final int TEXT = Pixels.WHITE;
    private static final int TEXT_CHARS = 18;

    private MemorySegment backgroundRow;
    private MemorySegment trackRow;
    private MemorySegment scaleRow;
    private final int[] columnEdges = new int[COLUMNS + 1];
    private final int[] rowEdges = new int[ROWS + 1];
    private final int[] stepEdges = new int[BAR_STEPS + 1];

    /** Left edge of box column {@code c} (0..38, 38 being the right end of the last box). */
    static int columnEdge(int c, int width) {
        return Pixels.part(width, c + 1, 40);
    }

    /** Top edge of box row {@code r} (0..4, 4 being the bottom of the last row). */
    static int rowEdge(int r, int height) {
        return Pixels.part(height, 58 + 9 * r, 100);
    }

    /** CRC-16/CCITT-FALSE of {@code sequence} then {@code nanos}, each as 8 big-endian bytes. */
    public static int crc16(long sequence, long nanos) {
        int crc = 0xFFFF;
        for (int i = 0; i < 16; i++) {
            long word = i < 8 ? sequence : nanos;
            crc = crc16Update(crc, (int) (word >>> (56 - 8 * (i & 7))) & 0xFF);
        }
        return crc;
    }

    /** One byte into a CRC-16/CCITT-FALSE (polynomial 0x1021, MSB first). */
    static int crc16Update(int crc, int b) {
        crc ^= b << 8;
        for (int bit = 0; bit < 8; bit++) {
            crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
        }
        return crc & 0xFFFF;
    }

    /** Bit {@code i} (0..151) of the box rows for this frame. */
    static boolean bit(int i, long sequence, long nanos, int crc) {
        if (i < 8) {
            return (MARKER >>> (7 - i) & 1) != 0;
        } else if (i < 72) {
            return (sequence >>> (63 - (i - 8)) & 1) != 0;
        } else if (i < 136) {
            return (nanos >>> (63 - (i - 72)) & 1) != 0;
        }
        return (crc >>> (15 - (i - 136)) & 1) != 0;
    }

    static int textScale(int width, int height) {
        return Math.max(1, Math.min(height * 15 / (100 * BitmapFont.GLYPH_HEIGHT),
                width * 96 / (100 * (TEXT_CHARS * BitmapFont.ADVANCE - 1))));
    }

    @Override
    protected void prepare(int width, int height) {
        backgroundRow = Pixels.newRow(width);
        Pixels.fillSpan(backgroundRow, 0, width, BACKGROUND);
        for (int i = 0; i <= BAR_STEPS; i++) {
            stepEdges[i] = Pixels.part(width, i, BAR_STEPS);
        }
        trackRow = Pixels.newRow(width);
        Pixels.fillSpan(trackRow, 0, width, TRACK);
        scaleRow = Pixels.newRow(width);
        Pixels.fillSpan(scaleRow, 0, width, BACKGROUND);
        int tick = Math.max(1, width / 480);
        for (int i = 0; i <= BAR_STEPS; i += 10) {
            int x = Math.min(stepEdges[i], width - tick);
            Pixels.fillSpan(scaleRow, Math.max(0, x), x + tick, TICK);
        }
        for (int c = 0; c <= COLUMNS; c++) {
            columnEdges[c] = columnEdge(c, width);
        }
        for (int r = 0; r <= ROWS; r++) {
            rowEdges[r] = rowEdge(r, height);
        }
    }

    @Override
    protected void draw(MemorySegment pixels, int width, int height, int rowStride, long sequence, long nanos) {
        int barTop = Pixels.part(height, 42, 100);
        int barEnd = Pixels.part(height, 52, 100);
        int scaleEnd = Pixels.part(height, 54, 100);
        int codeTop = rowEdges[0];
        int codeEnd = rowEdges[ROWS];

        Pixels.copyRow(backgroundRow, pixels, rowStride, width, 0, barTop);
        int scale = textScale(width, height);
        int left = Pixels.part(width, 2, 100);
        int x = BitmapFont.drawString(pixels, width, height, rowStride, left, Pixels.part(height, 4, 100), scale, "FRAME ", TEXT);
        BitmapFont.drawLong(pixels, width, height, rowStride, x, Pixels.part(height, 4, 100), scale, sequence, 1, TEXT);
        int timeY = Pixels.part(height, 22, 100);
        x = BitmapFont.drawMillis(pixels, width, height, rowStride, left, timeY, scale, nanos, TEXT);
        BitmapFont.drawString(pixels, width, height, rowStride, x, timeY, scale, " MS", TEXT);

        if (barEnd > barTop) {
            MemorySegment.copy(trackRow, 0, pixels, (long) barTop * rowStride, width * 4L);
            int step = (int) Math.floorMod(sequence, (long) BAR_STEPS);
            long row = (long) barTop * rowStride;
            Pixels.fill(pixels, row, stepEdges[step], PROGRESS);
            Pixels.fill(pixels, row + stepEdges[step] * 4L, stepEdges[step + 1] - stepEdges[step], Pixels.WHITE);
            Pixels.repeatRow(pixels, rowStride, width, barTop, barTop + 1, barEnd);
        }
        Pixels.copyRow(scaleRow, pixels, rowStride, width, barEnd, scaleEnd);
        Pixels.copyRow(backgroundRow, pixels, rowStride, width, scaleEnd, codeTop);

        int crc = crc16(sequence, nanos);
        for (int r = 0; r < ROWS; r++) {
            int y0 = rowEdges[r];
            int y1 = rowEdges[r + 1];
            if (y1 <= y0) {
                continue;
            }
            long row = (long) y0 * rowStride;
            MemorySegment.copy(backgroundRow, 0, pixels, row, width * 4L);
            for (int c = 0; c < COLUMNS; c++) {
                int x0 = columnEdges[c];
                boolean one = bit(r * COLUMNS + c, sequence, nanos, crc);
                Pixels.fill(pixels, row + x0 * 4L, columnEdges[c + 1] - x0, one ? Pixels.WHITE : Pixels.BLACK);
            }
            Pixels.repeatRow(pixels, rowStride, width, y0, y0 + 1, y1);
        }
        Pixels.copyRow(backgroundRow, pixels, rowStride, width, codeEnd, height);
    }

    /**
     * Reads the box rows of a clock frame of any size, also one scaled down: samples each box centre,
     * thresholds its luma at mid-grey, checks the start marker and the CRC.
     *
     * @return the frame's sequence and nanos, or {@code null} if the frame has no valid box rows (another
     *     pattern, a damaged or torn frame, or too small to hold boxes of 2 pixels)
     */
    public static ClockReading decode(MemorySegment pixels, int width, int height, int rowStride) {
        Pixels.checkFrame(pixels, width, height, rowStride);
        if (width < 2 * 40 || height < 2 * 100 / 9 + 1) {
            return null;
        }
        int marker = 0;
        long sequence = 0;
        long nanos = 0;
        int crc = 0;
        for (int i = 0; i < BITS; i++) {
            int r = i / COLUMNS;
            int c = i % COLUMNS;
            int x = Pixels.part(width, 2L * c + 3, 80);
            int y = Pixels.part(height, 125 + 18L * r, 200);
            int pixel = pixels.get(Pixels.PIXEL, (long) y * rowStride + x * 4L);
            int luma = ((pixel >>> 16 & 0xFF) + 2 * (pixel >>> 8 & 0xFF) + (pixel & 0xFF)) / 4;
            int one = luma >= 128 ? 1 : 0;
            if (i < 8) {
                marker = marker << 1 | one;
                if (i == 7 && marker != MARKER) {
                    return null;
                }
            } else if (i < 72) {
                sequence = sequence << 1 | one;
            } else if (i < 136) {
                nanos = nanos << 1 | one;
            } else {
                crc = crc << 1 | one;
            }
        }
        return crc == crc16(sequence, nanos) ? new ClockReading(sequence, nanos) : null;
    }
}
