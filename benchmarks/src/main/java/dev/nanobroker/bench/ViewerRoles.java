package dev.nanobroker.bench;

import dev.nanobroker.ring.FrameClaim;
import dev.nanobroker.ring.OverflowPolicy;
import dev.nanobroker.ring.RingGeometry;
import dev.nanobroker.ring.RingStatus;
import dev.nanobroker.ring.RingWriter;
import dev.nanobroker.ring.SharedRing;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The frames per second that the product's viewer shows: a producer at a steady rate above the
 * display's, the real {@code nanobroker view} (started by the bench, not a role), and a counter
 * that reads the viewer's reader line in the ring's header. The baseline case runs the same
 * producer beside {@link PixelBufferBaseline} instead, so that both share the cores with the same load.
 *
 * <pre>
 *  display-writer JVM           /dev/shm/RING                nanobroker view           display-counter JVM
 *  ------------------           -------------                ---------------           -------------------
 *  creates the ring; whole  -->  slots, HEAD  ------------>  DisplayReader.poll
 *  grey frames at 90 fps                                     once per pulse
 *  (until the bench stops it)    reader line: FRAMES <-----  counts every frame
 *                                                            it shows
 *                                reader line: FRAMES, HEAD ---------------------------> read before and after
 *                                                                                       the window; RESULT line
 * </pre>
 */
final class ViewerRoles {

    private ViewerRoles() {
    }

    /**
     * The viewer itself: {@code nanobroker view RING} in a window of {@code width x height} at the top
     * left, overlay on or off. Not a role: the bench starts the product's launcher with it.
     */
    record View(String ring, int width, int height, boolean overlay) {
    }

    /**
     * The producer for a viewer: whole opaque frames of a changing grey at a steady rate (above the
     * display's 60 Hz, so every pulse has a new frame), until it is killed. Under {@code block} a
     * display holds two frames and the writer can run {@code slots - 1} ahead of the older one: with
     * too few slots for its rate it is held at every other pulse and the display shows a new frame
     * only then.
     */
    record DisplayWriter(String ring, int width, int height, int fps, int slots) implements Role {
        @Override
        public Map<String, Object> run(RoleContext context) {
            RingGeometry geometry = RingGeometry.of(width, height, slots);
            long interval = 1_000_000_000L / fps;
            // Opaque, as a producer's frames are: a byte fill would make them translucent (alpha = the
            // grey), and JavaFX's software renderer blends translucent frames several times slower.
            long rowBytes = geometry.width() * 4L;
            MemorySegment[] greyRows = new MemorySegment[16];
            for (int grey = 0; grey < greyRows.length; grey++) {
                greyRows[grey] = Arena.global().allocate(rowBytes, 8);
                for (long at = 0; at < rowBytes; at += 4) {
                    greyRows[grey].set(JAVA_INT, at, 0xFF000000 | (grey * 0x111111));
                }
            }
            try (SharedRing shared = SharedRing.create(ring, geometry);
                 RingWriter writer = shared.writer(OverflowPolicy.block(Duration.ofSeconds(1)))) {
                long next = System.nanoTime();
                for (long seq = 0; ; seq++) {
                    context.checkDeadline("producing for the viewer");
                    FrameClaim claim = writer.claim();
                    if (claim != null) {
                        MemorySegment row = greyRows[(int) (seq % greyRows.length)];
                        for (int y = 0; y < geometry.height(); y++) {
                            MemorySegment.copy(row, 0, claim.pixels(), (long) y * geometry.rowStride(), rowBytes);
                        }
                        claim.publish();
                    }
                    next += interval;
                    LockSupport.parkNanos(next - System.nanoTime());
                }
            }
        }
    }

    /**
     * Counts the frames a display shows: waits for a reader line of another process that has shown a
     * frame (a viewer's {@code DisplayReader} counts every frame it shows), then reads that line's
     * frame counter before and after the measured window. Attaches no reader itself.
     */
    record DisplayCounter(String ring, long warmupMs, long measureMs) implements Role {
        @Override
        public Map<String, Object> run(RoleContext context) throws InterruptedException {
            try (SharedRing shared = context.openRing(ring)) {
                RingStatus.Reader display;
                while ((display = showingReader(shared.status()).orElse(null)) == null) {
                    context.checkDeadline("waiting for the viewer to show a frame");
                    Thread.sleep(20);
                }
                Thread.sleep(warmupMs);
                int line = display.line();
                RingStatus before = shared.status();
                long start = System.nanoTime();
                Thread.sleep(measureMs);
                RingStatus after = shared.status();
                double seconds = (System.nanoTime() - start) / 1e9;
                long shown = after.readers().get(line).frames() - before.readers().get(line).frames();
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("fps", shown / seconds);
                result.put("producer_fps", (after.head() - before.head()) / seconds);
                return result;
            }
        }

        private static Optional<RingStatus.Reader> showingReader(RingStatus status) {
            return status.readers().stream().filter(r -> r.reading() && r.frames() > 0).findFirst();
        }
    }
}
