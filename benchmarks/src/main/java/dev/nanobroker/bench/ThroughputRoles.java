package dev.nanobroker.bench;

import dev.nanobroker.ring.Frame;
import dev.nanobroker.ring.FrameClaim;
import dev.nanobroker.ring.OverflowPolicy;
import dev.nanobroker.ring.ReadMode;
import dev.nanobroker.ring.RingGeometry;
import dev.nanobroker.ring.RingReader;
import dev.nanobroker.ring.RingWriter;
import dev.nanobroker.ring.SharedRing;
import dev.nanobroker.ring.WaitStrategy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * 1080p throughput: a writer publishes as fast as its readers (1, 4 or 16, each in its own JVM)
 * release, under {@code block}, with or without filling every frame; and the fill alone, with no
 * ring, as the rate the producer could reach if the ring cost nothing.
 *
 * <pre>
 *  tp-writer JVM                      /dev/shm/RING (8 slots, 1080p)       tp-reader JVM (1, 4 or 16)
 *  -------------                      ------------------------------       --------------------------
 *  creates the ring                                                        opens it, attaches a reader
 *  waits for READY = readers <------  control file: READY  <------------  ready
 *  claim, fill (or not), seq  ------>  slots, HEAD  ------------------->  poll, checks seq, release
 *  in the first and last line;        reader TAILs  <-------------------  (waits like `read`: spin,
 *  publish, as fast as it can                                              yield, park)
 *  counts frames in the window;
 *  FLAG = 1 at the end        ------>  control file: FLAG  ------------>  stops
 *  RESULT line to the bench                                               (reports nothing)
 *
 *  fill JVM, alone: the same memset into 8 /dev/shm-mapped 1080p slots, no ring, no reader.
 * </pre>
 */
final class ThroughputRoles {

    private static final int WIDTH = 1920;
    private static final int HEIGHT = 1080;

    private ThroughputRoles() {
    }

    /** Publishes for {@code warmupMs + measureMs} and counts the frames published in the measured window. */
    record Writer(String ring, int receivers, boolean fill, int slots, long warmupMs, long measureMs) implements Role {
        @Override
        public Map<String, Object> run(RoleContext context) {
            long warmupNanos = warmupMs * 1_000_000L;
            long measureNanos = measureMs * 1_000_000L;
            RingGeometry geometry = RingGeometry.of(WIDTH, HEIGHT, slots);
            long last = geometry.frameLength() - 8;
            try (Control control = context.control();
                 SharedRing shared = SharedRing.create(ring, geometry);
                 RingWriter writer = shared.writer(OverflowPolicy.block(Duration.ofSeconds(5)))) {
                control.awaitReady(receivers, context.deadlineNanos());
                long start = System.nanoTime();
                long measureFrom = start + warmupNanos;
                long measureTo = measureFrom + measureNanos;
                long counted = 0;
                long dropped = 0;
                long blockedAtStart = -1;
                for (long seq = 0; ; seq++) {
                    long now = System.nanoTime();
                    if (now - measureTo >= 0) {
                        break;
                    }
                    if (blockedAtStart < 0 && now - measureFrom >= 0) {
                        blockedAtStart = writer.blockedNanos();
                    }
                    FrameClaim claim = writer.claim();
                    if (claim == null) {
                        dropped++;
                        continue;
                    }
                    MemorySegment pixels = claim.pixels();
                    if (fill) {
                        pixels.fill((byte) seq);
                    }
                    pixels.set(JAVA_LONG, 8, seq);
                    pixels.set(JAVA_LONG, last, seq);
                    claim.publish();
                    if (now - measureFrom >= 0) {
                        counted++;
                    }
                }
                long blocked = writer.blockedNanos() - Math.max(0, blockedAtStart);
                control.setFlag(1);
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("fps", counted * 1e9 / measureNanos);
                result.put("dropped", dropped);
                result.put("blocked_fraction", blocked / (double) measureNanos);
                return result;
            }
        }
    }

    /**
     * Reads every frame until the writer's flag, waiting as a headless reader does by default
     * ({@code read}: spin, yield, then park up to 1 ms): plenty for 8 slots of 1080p frames, and
     * light on a machine whose cores the readers share.
     */
    record Reader(String ring) implements Role {
        @Override
        public Map<String, Object> run(RoleContext context) {
            WaitStrategy wait = WaitStrategy.defaultStrategy();
            long frames = 0;
            long mismatches = 0;
            try (Control control = context.control(); SharedRing shared = context.openRing(ring);
                 RingReader reader = shared.attachReader(ReadMode.EVERY)) {
                long last = shared.geometry().frameLength() - 8;
                control.ready();
                int idle = 0;
                while (true) {
                    Frame frame = reader.poll();
                    if (frame == null) {
                        if (idle > 100 && (idle & 0xFF) == 0) {
                            if (control.flag() != 0) {
                                break;
                            }
                            context.checkDeadline("reading frames");
                        }
                        wait.idle(idle++);
                        continue;
                    }
                    idle = 0;
                    MemorySegment pixels = frame.pixels();
                    if (pixels.get(JAVA_LONG, 8) != pixels.get(JAVA_LONG, last)) {
                        mismatches++;
                    }
                    reader.release();
                    frames++;
                }
                return Map.of("frames", frames, "lost", reader.lost(), "mismatches", mismatches);
            }
        }
    }

    /** The producer's fill alone: the same 1080p memset over as many /dev/shm-mapped slots, no ring. */
    record FillAlone(String file, int slots, long warmupMs, long measureMs) implements Role {
        @Override
        public Map<String, Object> run(RoleContext context) throws IOException {
            long frameLength = (long) WIDTH * HEIGHT * 4;
            long slotStride = (frameLength + 4095) & ~4095L;
            long warmupNanos = warmupMs * 1_000_000L;
            long measureNanos = measureMs * 1_000_000L;
            try (Arena arena = Arena.ofConfined();
                 FileChannel channel = FileChannel.open(Path.of(file), StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                         StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(new byte[1]), slotStride * slots - 1);
                MemorySegment whole = channel.map(FileChannel.MapMode.READ_WRITE, 0, slotStride * slots, arena);
                MemorySegment[] slot = new MemorySegment[slots];
                for (int s = 0; s < slots; s++) {
                    slot[s] = whole.asSlice(s * slotStride, frameLength);
                    slot[s].fill((byte) 0); // touch every page first, like a ring's creation does
                }
                long start = System.nanoTime();
                long measureFrom = start + warmupNanos;
                long measureTo = measureFrom + measureNanos;
                long counted = 0;
                for (long seq = 0; ; seq++) {
                    long now = System.nanoTime();
                    if (now - measureTo >= 0) {
                        break;
                    }
                    slot[(int) (seq % slots)].fill((byte) seq);
                    if (now - measureFrom >= 0) {
                        counted++;
                    }
                }
                double fps = counted * 1e9 / measureNanos;
                return Map.of("fps", fps, "gb_per_s", fps * frameLength / 1e9);
            }
        }
    }
}
