package dev.nanobroker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nanobroker.ring.ReadMode;
import dev.nanobroker.ring.RingGeometry;
import dev.nanobroker.ring.RingLayout;
import dev.nanobroker.ring.RingStatus;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/** The demo's fps report: from two looks at the counters, per reader line that stayed attached. */
class FrameRatesTest {

    private static final long VIEWER = 4242L << 32 | 7;
    private static final long OTHER = 4343L << 32 | 9;

    @Test
    void ratesAreCounterDifferencesOverTheTimeBetweenTheLooks() {
        RingStatus before = status(1_000, new long[] {VIEWER, 100}, new long[] {OTHER, 50});
        RingStatus after = status(1_600, new long[] {VIEWER, 650}, new long[] {VIEWER + 1, 40});
        FrameRates rates = FrameRates.between(before, after, 10_000_000_000L);
        assertEquals(60.0, rates.producerFps(), 1e-9);
        assertEquals(List.of(new FrameRates.Line(0, 4242, 55.0)), rates.readers(), "line 1 changed hands: no rate for it");
        assertEquals("over 10.0 s: producer 60.0 fps; viewers (distinct frames shown per second): line 0 55.0", rates.describe());
    }

    /** A status whose first lines hold {@code {owner token, frames}}, the rest free. */
    private static RingStatus status(long head, long[]... lines) {
        List<RingStatus.Reader> readers = new ArrayList<>();
        for (int line = 0; line < RingLayout.MAX_READERS; line++) {
            long owner = line < lines.length ? lines[line][0] : 0;
            long frames = line < lines.length ? lines[line][1] : 0;
            readers.add(new RingStatus.Reader(line, owner, owner != 0, ReadMode.LATEST, head, 0, frames, 0, 0, 0, 0));
        }
        return new RingStatus("rates", RingGeometry.of(64, 36, 4), head, 1, 0, 0, true, 1, 0, 0, 0, 0, readers);
    }
}
