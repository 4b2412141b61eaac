package dev.nanobroker.bench;

import dev.nanobroker.ring.Frame;
import dev.nanobroker.ring.FrameClaim;
import dev.nanobroker.ring.OverflowPolicy;
import dev.nanobroker.ring.ReadMode;
import dev.nanobroker.ring.RingGeometry;
import dev.nanobroker.ring.RingReader;
import dev.nanobroker.ring.RingWriter;
import dev.nanobroker.ring.SharedRing;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Bytes allocated per frame on the write path and the read path: one JVM, one thread, both ends of
 * one small ring, so that the thread's allocated-bytes counter sees every byte either path allocates.
 *
 * <pre>
 *  alloc JVM, one thread               /dev/shm/RING (16x1, 8 slots)
 *  ---------------------               -----------------------------
 *  allocated bytes: a0
 *  claim, seq in the pixels, publish --->  slot, HEAD
 *  allocated bytes: a1                                    (write path: a1 - a0)
 *  poll, read seq, release          <----  slot, TAIL
 *  allocated bytes: a2, a3                                (read path: a2 - a1; a3 - a2: the bracket alone)
 *  RESULT line to the bench
 * </pre>
 */
final class AllocationRoles {

    private AllocationRoles() {
    }

    /** Writes a frame and reads it back, {@code warmup} times and then {@code count} times counted. */
    record WriteReadLoop(String ring, long warmup, long count) implements Role {
        @Override
        public Map<String, Object> run(RoleContext context) {
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            threads.setThreadAllocatedMemoryEnabled(true);
            RingGeometry geometry = RingGeometry.of(16, 1, 8);
            try (SharedRing shared = SharedRing.create(ring, geometry);
                 RingWriter writer = shared.writer(OverflowPolicy.block(Duration.ofSeconds(1)));
                 RingReader reader = shared.attachReader(ReadMode.EVERY)) {
                long[] bytes = new long[3]; // write, read, empty bracket
                loop(threads, writer, reader, warmup, bytes);
                bytes[0] = bytes[1] = bytes[2] = 0;
                loop(threads, writer, reader, count, bytes);
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("frames", count);
                result.put("write_bytes", bytes[0]);
                result.put("read_bytes", bytes[1]);
                result.put("bracket_bytes", bytes[2]);
                return result;
            }
        }

        private static void loop(com.sun.management.ThreadMXBean threads, RingWriter writer, RingReader reader,
                                 long frames, long[] bytes) {
            for (long i = 0; i < frames; i++) {
                long a0 = threads.getCurrentThreadAllocatedBytes();
                FrameClaim claim = writer.claim();
                claim.pixels().set(JAVA_LONG, 8, i);
                claim.publish();
                long a1 = threads.getCurrentThreadAllocatedBytes();
                Frame frame = reader.poll();
                long seq = frame.pixels().get(JAVA_LONG, 8);
                reader.release();
                long a2 = threads.getCurrentThreadAllocatedBytes();
                long a3 = threads.getCurrentThreadAllocatedBytes();
                if (seq != i) {
                    throw new IllegalStateException("read frame " + seq + ", expected " + i);
                }
                bytes[0] += a1 - a0;
                bytes[1] += a2 - a1;
                bytes[2] += a3 - a2;
            }
        }
    }
}
