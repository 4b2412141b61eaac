package dev.nanobroker.producer.pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/** Rendering allocates nothing per frame once the pattern has seen the geometry and the JIT has run. */
class NoAllocationTest {

    private static final int WIDTH = 640;
    private static final int HEIGHT = 360;
    private static final int STRIDE = WIDTH * 4;
    private static final int WARM_UP = 600;
    private static final int FRAMES = 50;

    @Test
    void everyPatternAndTheOverlayRenderWithoutAllocating() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        MemorySegment frame = MemorySegment.ofArray(new long[STRIDE * HEIGHT / 8]);
        List<String> report = new ArrayList<>();
        List<String> names = new ArrayList<>(PatternCatalog.names());
        names.add("overlay");
        for (String name : names) {
            TestPattern pattern = name.equals("overlay")
                    ? new Overlay().over(new SequenceColourPattern())
                    : PatternCatalog.create(name, PatternOptions.DEFAULTS);
            long sequence = 0;
            for (int i = 0; i < WARM_UP; i++) {
                pattern.render(frame, WIDTH, HEIGHT, STRIDE, sequence++, System.nanoTime());
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < FRAMES; i++) {
                pattern.render(frame, WIDTH, HEIGHT, STRIDE, sequence++, System.nanoTime());
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (allocated != 0) {
                report.add(name + ": " + allocated + " bytes");
            }
        }
        assertEquals(List.of(), report, "bytes allocated over " + FRAMES + " frames at " + WIDTH + "x" + HEIGHT);
    }
}
