package dev.nanobroker.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

/** The box code's contract (docs/patterns.md): what the producer draws, the viewer and {@code read} decode. */
class LatencyClockTest {

    private static final long[][] VALUES = {
            {0, 0}, {1, 1}, {42, 1_418_623_635_196L}, {987_654_321L, 123_456_789_012_345L},
            {Long.MAX_VALUE, Long.MIN_VALUE}, {-1, -1}, {0x5555_5555_5555_5555L, 0xAAAA_AAAA_AAAA_AAAAL}};

    private static MemorySegment render(int width, int height, int stride, long sequence, long nanos) {
        MemorySegment frame = MemorySegment.ofArray(new byte[stride * height]);
        new LatencyClock().render(frame, width, height, stride, sequence, nanos);
        return frame;
    }

    @Test
    void decodesTheExactSequenceAndNanosAtAnySize() {
        int[][] sizes = {{320, 180}, {333, 197}, {317, 181}, {640, 360}, {1280, 720}, {1920, 1080}, {720, 576}, {4096, 200}};
        for (int[] size : sizes) {
            for (long[] v : VALUES) {
                int stride = size[0] * 4 + 20;
                MemorySegment frame = render(size[0], size[1], stride, v[0], v[1]);
                assertEquals(new ClockReading(v[0], v[1]), LatencyClock.decode(frame, size[0], size[1], stride),
                        size[0] + "x" + size[1] + " " + v[0] + " " + v[1]);
            }
        }
    }

    @Test
    void decodesAQuarterSizeNearestNeighbourCopy() {
        int[][] sizes = {{1920, 1080}, {1280, 720}, {640, 360}, {320, 180}, {1366, 768}};
        for (int[] size : sizes) {
            for (long[] v : VALUES) {
                MemorySegment frame = render(size[0], size[1], size[0] * 4, v[0], v[1]);
                MemorySegment quarter = Pixels.downscale(frame, size[0], size[1], size[0] * 4, 4);
                int w = size[0] / 4;
                int h = size[1] / 4;
                assertEquals(new ClockReading(v[0], v[1]), LatencyClock.decode(quarter, w, h, w * 4),
                        "quarter of " + size[0] + "x" + size[1] + " " + v[0] + " " + v[1]);
            }
        }
    }

    @Test
    void returnsNullOnBlankAndDamagedFrames() {
        int w = 640;
        int h = 360;
        assertNull(LatencyClock.decode(MemorySegment.ofArray(new byte[w * h * 4]), w, h, w * 4), "all zero");

        // One box flipped anywhere in the payload or the check field: refused.
        for (int bit : new int[] {8, 40, 71, 72, 100, 135, 136, 151}) {
            MemorySegment frame = render(w, h, w * 4, 12345, 67890);
            int r = bit / LatencyClock.COLUMNS;
            int c = bit % LatencyClock.COLUMNS;
            int x0 = LatencyClock.columnEdge(c, w);
            int y0 = LatencyClock.rowEdge(r, h);
            int old = Pixels.get(frame, w * 4, x0 + 1, y0 + 1);
            Pixels.fillRect(frame, w, h, w * 4, x0, y0, LatencyClock.columnEdge(c + 1, w) - x0, LatencyClock.rowEdge(r + 1, h) - y0,
                    old == Pixels.WHITE ? Pixels.BLACK : Pixels.WHITE);
            assertNull(LatencyClock.decode(frame, w, h, w * 4), "bit " + bit + " flipped");
        }
        // Too small to hold two-pixel boxes.
        MemorySegment tiny = render(79, 60, 79 * 4, 1, 2);
        assertNull(LatencyClock.decode(tiny, 79, 60, 79 * 4));
    }

    @Test
    void checkFieldIsCrc16CcittFalse() {
        int crc = 0xFFFF;
        for (byte b : "123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII)) {
            crc = LatencyClock.crc16Update(crc, b & 0xFF);
        }
        assertEquals(0x29B1, crc, "the CRC-16/CCITT-FALSE check value");
        assertEquals(0x40C1, LatencyClock.crc16(987_654_321L, 123_456_789_012_345L), "the example in docs/patterns.md");
    }

    @Test
    void barMovesOneStepPerFrame() {
        int w = 600;
        int h = 200;
        int y = h * 47 / 100;
        for (long sequence : new long[] {0, 1, 2, 59, 60, 61}) {
            MemorySegment frame = render(w, h, w * 4, sequence, 0);
            int step = (int) (sequence % LatencyClock.BAR_STEPS);
            int x = (2 * step + 1) * w / (2 * LatencyClock.BAR_STEPS);
            assertEquals(Pixels.WHITE, Pixels.get(frame, w * 4, x, y), "frame " + sequence);
            if (step + 1 < LatencyClock.BAR_STEPS) {
                int next = (2 * step + 3) * w / (2 * LatencyClock.BAR_STEPS);
                assertEquals(Pixels.grey(56), Pixels.get(frame, w * 4, next, y), "frame " + sequence);
            }
            if (step > 0) {
                assertEquals(Pixels.grey(110), Pixels.get(frame, w * 4, 1, y), "frame " + sequence);
            }
        }
    }
}
