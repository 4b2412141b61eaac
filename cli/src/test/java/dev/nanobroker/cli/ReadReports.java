package dev.nanobroker.cli;

import dev.nanobroker.json.Json;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Checks on the JSON report `nanobroker read --json` prints when it stops. */
final class ReadReports {

    private ReadReports() {
    }

    /**
     * The reader got exactly {@code frames} frames, skipped and lost none, none out of order, every
     * one carried a checksum and every checksum matched.
     */
    static void assertEveryFrameIntact(String report, long frames) {
        assertEquals(frames, Json.number(report, "frames"), report);
        assertEquals(0, Json.number(report, "skipped"), report);
        assertEquals(0, Json.number(report, "lost"), report);
        assertEquals(0, Json.number(report, "out_of_order"), report);
        assertEquals("every frame delivered, torn 0, out of order 0", Json.string(report, "delivery"), report);
        assertEquals(0, Json.number(report, "checksum_failures"), report);
        assertEquals(0, Json.number(report, "unchecked"), report);
    }
}
