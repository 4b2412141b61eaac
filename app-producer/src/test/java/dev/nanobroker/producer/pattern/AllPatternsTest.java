package dev.nanobroker.producer.pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nanobroker.frame.Pixels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.stream.Stream;

/** What every catalogued pattern must do, whatever it draws. */
class AllPatternsTest {

    static final int WIDTH = 317;
    static final int HEIGHT = 181;
    static final int STRIDE = WIDTH * 4 + 36; // padded rows

    static Stream<String> names() {
        return PatternCatalog.names().stream();
    }

    private static byte[] render(TestPattern pattern, int width, int height, int stride, byte fill, long sequence) {
        byte[] bytes = new byte[stride * height];
        Arrays.fill(bytes, fill);
        pattern.render(MemorySegment.ofArray(bytes), width, height, stride, sequence, 123_456_789_000L);
        return bytes;
    }

    @ParameterizedTest
    @MethodSource("names")
    void fillsEveryPixelOfAnOddPaddedFrameAndNoPadding(String name) {
        // Rendered over zeros and over 0xFF: equal results mean every pixel was written.
        byte[] overZeros = render(PatternCatalog.create(name, PatternOptions.DEFAULTS), WIDTH, HEIGHT, STRIDE, (byte) 0, 7);
        byte[] overOnes = render(PatternCatalog.create(name, PatternOptions.DEFAULTS), WIDTH, HEIGHT, STRIDE, (byte) -1, 7);
        for (int y = 0; y < HEIGHT; y++) {
            int row = y * STRIDE;
            assertArrayEquals(Arrays.copyOfRange(overZeros, row, row + WIDTH * 4), Arrays.copyOfRange(overOnes, row, row + WIDTH * 4),
                    name + ": row " + y + " depends on what the slot held before");
            for (int padding = row + WIDTH * 4; padding < row + STRIDE; padding++) {
                assertEquals(0, overZeros[padding], name + ": wrote into the padding of row " + y);
            }
        }
        MemorySegment frame = MemorySegment.ofArray(overZeros);
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                int pixel = Pixels.get(frame, STRIDE, x, y);
                assertEquals(0xFF, pixel >>> 24, name + ": pixel " + x + "," + y + " is not opaque");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("names")
    void toleratesTinyAndChangingGeometries(String name) {
        TestPattern pattern = PatternCatalog.create(name, PatternOptions.DEFAULTS);
        int[][] sizes = {{1, 1}, {2, 3}, {7, 5}, {320, 180}, {33, 400}, {1, 1}, {641, 359}};
        long sequence = 0;
        for (int[] size : sizes) {
            render(pattern, size[0], size[1], size[0] * 4, (byte) 0, sequence++);
            render(pattern, size[0], size[1], size[0] * 4 + 4, (byte) 0, sequence++);
        }
        // Far-out sequence numbers and times.
        for (long s : new long[] {Long.MAX_VALUE, Long.MIN_VALUE, -1}) {
            byte[] bytes = new byte[64 * 4 * 48];
            pattern.render(MemorySegment.ofArray(bytes), 64, 48, 64 * 4, s, s);
        }
    }

    static Stream<String> namesButSequence() {
        // "sequence" predates these patterns and leaves the checks to MemorySegment's bounds checks.
        return names().filter(name -> !name.equals("sequence"));
    }

    @ParameterizedTest
    @MethodSource("namesButSequence")
    void refusesASegmentTooSmallForTheFrame(String name) {
        TestPattern pattern = PatternCatalog.create(name, PatternOptions.DEFAULTS);
        MemorySegment small = MemorySegment.ofArray(new byte[100 * 4 * 10 - 1]);
        assertThrows(IllegalArgumentException.class, () -> pattern.render(small, 100, 10, 400, 0, 0));
        MemorySegment fits = MemorySegment.ofArray(new byte[100 * 4 * 10]);
        assertThrows(IllegalArgumentException.class, () -> pattern.render(fits, 100, 10, 396, 0, 0));
    }

    @ParameterizedTest
    @MethodSource("names")
    void hasALowerCaseNameAndAOneLineDescription(String name) {
        assertTrue(name.matches("[a-z][a-z0-9-]*"), name);
        PatternCatalog.Entry entry = PatternCatalog.entries().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
        assertTrue(!entry.description().isBlank() && !entry.description().contains("\n"), entry.description());
    }

    @org.junit.jupiter.api.Test
    void catalogHasEveryPattern() {
        assertEquals(java.util.List.of("sequence", "smpte", "smpte-hd", "ramp", "checkers", "solid", "noise", "ball",
                "zoneplate", "rgb", "clock"), PatternCatalog.names());
    }
}
