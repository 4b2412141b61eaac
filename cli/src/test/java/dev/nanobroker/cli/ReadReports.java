package dev.nanobroker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Checks on the report `nanobroker read --json` prints when it stops. */
final class ReadReports {

    private ReadReports() {
    }

    /**
     * The reader got exactly {@code frames} frames, skipped and lost none, none out of order, every
     * one carried a checksum and every checksum matched.
     */
    static void assertEveryFrameIntact(ReadReport report, long frames) {
        assertEquals(frames, report.frames(), report::toString);
        assertEquals(0, report.skipped(), report::toString);
        assertEquals(0, report.lost(), report::toString);
        assertEquals(0, report.outOfOrder(), report::toString);
        assertEquals("every frame delivered, torn 0, out of order 0", report.delivery(), report::toString);
        assertEquals(0, report.checksumFailures(), report::toString);
        assertEquals(0, report.unchecked(), report::toString);
    }
}
