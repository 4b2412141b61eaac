package dev.nanobroker.producer.pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.nanobroker.frame.ClockReading;
import dev.nanobroker.frame.LatencyClock;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** The clock pattern among the others: the producer's overlay keeps it readable, no other pattern reads as a clock. */
class ClockPatternTest {

    private static MemorySegment render(int width, int height, int stride, long sequence, long nanos) {
        MemorySegment frame = MemorySegment.ofArray(new byte[stride * height]);
        PatternCatalog.create("clock", PatternOptions.DEFAULTS).render(frame, width, height, stride, sequence, nanos);
        return frame;
    }

    @Test
    void decodesAfterTheOverlayIsDrawnOnTop() {
        MemorySegment frame = render(1280, 720, 1280 * 4, 77, 88);
        new Overlay().draw(frame, 1280, 720, 1280 * 4, 77, 88);
        assertEquals(new ClockReading(77, 88), LatencyClock.decode(frame, 1280, 720, 1280 * 4));
    }

    @Test
    void noOtherPatternDecodesAsAClock() {
        int w = 640;
        int h = 360;
        for (String name : PatternCatalog.names()) {
            if (name.equals("clock")) {
                continue;
            }
            for (long sequence = 0; sequence < 5; sequence++) {
                MemorySegment frame = MemorySegment.ofArray(new byte[w * h * 4]);
                PatternCatalog.create(name, PatternOptions.DEFAULTS).render(frame, w, h, w * 4, sequence, 0);
                assertNull(LatencyClock.decode(frame, w, h, w * 4), name + " frame " + sequence);
            }
        }
    }
}
