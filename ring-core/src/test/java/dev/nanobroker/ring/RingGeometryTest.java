package dev.nanobroker.ring;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RingGeometry refuses every shape no ring can take, and says why in words a user can act on. */
class RingGeometryTest {

    private static void assertRefused(Executable construction, String... phrases) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construction);
        for (String phrase : phrases) {
            assertTrue(e.getMessage().contains(phrase),
                    "message '" + e.getMessage() + "' should contain '" + phrase + "'");
        }
    }

    @Test
    void zeroByZeroIsRefused() {
        assertRefused(() -> new RingGeometry(0, 0, 0, 4), "frame size 0x0", "out of range", "1..16384");
        assertRefused(() -> RingGeometry.of(0, 0, 4), "frame size 0x0", "1..16384");
    }

    @Test
    void zeroOrNegativeWidthOrHeightIsRefused() {
        assertRefused(() -> RingGeometry.of(0, 1080, 4), "frame size 0x1080");
        assertRefused(() -> RingGeometry.of(1920, 0, 4), "frame size 1920x0");
        assertRefused(() -> RingGeometry.of(-1920, 1080, 4), "frame size -1920x1080");
        assertRefused(() -> RingGeometry.of(1920, -1, 4), "frame size 1920x-1");
    }

    @Test
    void tooLargeFramesAreRefused() {
        assertRefused(() -> RingGeometry.of(16_385, 1080, 4), "frame size 16385x1080", "1..16384");
        assertRefused(() -> RingGeometry.of(1920, 16_385, 4), "frame size 1920x16385", "1..16384");
    }

    @Test
    void hugeWidthIsReportedAsAFrameSizeNotAsAnOverflowedStride() {
        // width * 4 overflows an int: of() must not compute it before the width is checked.
        assertRefused(() -> RingGeometry.of(Integer.MAX_VALUE, 1080, 4), "frame size " + Integer.MAX_VALUE + "x1080");
        assertRefused(() -> new RingGeometry(Integer.MAX_VALUE, 1080, 7680, 4), "frame size");
    }

    @Test
    void strideThatIsNotWholePixelsIsRefused() {
        assertRefused(() -> new RingGeometry(1920, 1080, 7681, 4), "row stride 7681", "not a multiple of 4");
        assertRefused(() -> new RingGeometry(1920, 1080, 7682, 4), "row stride 7682", "not a multiple of 4");
        assertRefused(() -> new RingGeometry(1920, 1080, 7683, 4), "row stride 7683", "not a multiple of 4");
    }

    @Test
    void strideSmallerThanARowIsRefused() {
        assertRefused(() -> new RingGeometry(1920, 1080, 7676, 4),
                "row stride 7676", "does not fit width 1920", "7680..131072");
        assertRefused(() -> new RingGeometry(1920, 1080, 0, 4), "row stride 0", "does not fit width 1920");
        assertRefused(() -> new RingGeometry(1920, 1080, -7680, 4), "row stride -7680", "does not fit");
    }

    @Test
    void strideLargerThanTheLimitIsRefused() {
        assertRefused(() -> new RingGeometry(1920, 1080, 131_076, 4), "row stride 131076", "7680..131072");
        assertDoesNotThrow(() -> new RingGeometry(1920, 1080, 131_072, 4));
    }

    @Test
    void tooManyOrNoSlotsAreRefused() {
        assertRefused(() -> RingGeometry.of(1920, 1080, 4_097), "slot count 4097", "out of range 1..4096");
        assertRefused(() -> RingGeometry.of(1920, 1080, 0), "slot count 0", "1..4096");
        assertRefused(() -> RingGeometry.of(1920, 1080, -1), "slot count -1");
    }

    @Test
    void theFirstProblemIsTheOneReported() {
        assertRefused(() -> new RingGeometry(0, 0, 3, 0), "frame size 0x0");
        assertRefused(() -> new RingGeometry(1920, 1080, 3, 0), "not a multiple of 4");
        assertRefused(() -> new RingGeometry(1920, 1080, 4, 0), "does not fit width 1920");
    }

    @Test
    void limitsAreAccepted() {
        assertDoesNotThrow(() -> new RingGeometry(1, 1, 4, 1));
        assertDoesNotThrow(() -> new RingGeometry(16_384, 16_384, 16_384 * 4, 4_096));
        assertDoesNotThrow(() -> new RingGeometry(16_384, 16_384, 131_072, 1));
        assertDoesNotThrow(() -> new RingGeometry(1, 1, 131_072, 1));
    }

    @Test
    void tightlyPackedGeometry() {
        RingGeometry geometry = RingGeometry.of(1920, 1080, 4);
        assertEquals(new RingGeometry(1920, 1080, 7680, 4), geometry);
        assertEquals(7680L * 1080L, geometry.frameLength());
        assertEquals(8_294_400L, geometry.slotStride());
        assertEquals(4096L, geometry.headerLength());
        assertEquals(33_181_696L, geometry.fileLength());
        assertEquals("1920x1080 stride 7680 x4 slots", geometry.toString());
    }

    @Test
    void paddedRowsCountInTheFrameLength() {
        RingGeometry geometry = new RingGeometry(1366, 768, 5504, 3);
        assertEquals(5504L * 768L, geometry.frameLength());
        assertEquals(RingLayout.roundUpToPage(5504L * 768L), geometry.slotStride());
        assertEquals(geometry.headerLength() + 3 * geometry.slotStride(), geometry.fileLength());
    }
}
