package dev.nanobroker.jmh;

import dev.nanobroker.ring.RingGeometry;
import dev.nanobroker.ring.SharedRing;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real ring in /dev/shm for one benchmark trial: a unique name {@code nbjmh-PID-PURPOSE-N}, so runs
 * in parallel never meet, and removal of the file when the trial ends.
 */
final class BenchRing implements AutoCloseable {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    final String name;
    final SharedRing ring;

    private BenchRing(String name, SharedRing ring) {
        this.name = name;
        this.ring = ring;
    }

    /**
     * Creates the ring.
     *
     * @param size {@code WIDTHxHEIGHT}, e.g. {@code 4x4} (64 B frames) or {@code 1920x1080} (8.3 MB)
     */
    static BenchRing create(String purpose, String size, int slots) {
        String name = "nbjmh-" + ProcessHandle.current().pid() + "-" + purpose + "-" + COUNTER.incrementAndGet();
        SharedRing.unlink(name); // a leftover of a killed run with a recycled pid
        return new BenchRing(name, SharedRing.create(name, geometry(size, slots)));
    }

    static RingGeometry geometry(String size, int slots) {
        int x = size.indexOf('x');
        if (x < 0) {
            throw new IllegalArgumentException("size '" + size + "' is not WIDTHxHEIGHT");
        }
        return RingGeometry.of(Integer.parseInt(size.substring(0, x)), Integer.parseInt(size.substring(x + 1)), slots);
    }

    /** Detaches every writer and reader of the ring, unmaps it and removes its file. */
    @Override
    public void close() {
        try {
            ring.close();
        } finally {
            SharedRing.unlink(name);
        }
    }
}
