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
import org.HdrHistogram.Histogram;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * What a reader's wait costs in wake-up latency and in CPU: a writer publishes small frames at
 * random gaps of 1 to 3 ms, as a 30-60 fps camera does, and sleeps in between; a reader in another
 * JVM waits for each with one of the four {@link WaitStrategy}s, as a headless consumer does, and
 * records each frame's {@link Frame#latencyNanos()} (the writer's publish stamp to the clock read of
 * the reader's poll: the wake-up) and its own process's CPU time over the measured frames. The idle
 * reader, after the same warm-up, waits the same way while the writer, attached, publishes nothing
 * more.
 *
 * <pre>
 *  wait-writer JVM                     /dev/shm/RING (16x1, 4 slots)      wait-reader JVM (one wait)
 *  ---------------                     -----------------------------      --------------------------
 *  creates the ring                                                       opens it, attaches a reader line
 *  waits for READY = 1  <------------  control file: READY  <-----------  ready
 *  claim, seq in the pixels,  ------>  slot, HEAD; FUTEX_WAKE if  ------> poll(timeout, wait) returns;
 *  publish (its stamp)                 a reader sleeps                    latency = poll's clock - stamp;
 *  sleeps 1-3 ms (random; warm-up  <-  control file: ACK[0] = seq + 1 <-  release, ack; from the end of
 *  200 us), waits for the ACK                                             the warm-up: process CPU time
 *  waits for FLAG, closes the ring <-  control file: FLAG = 1  <-------   done; RESULT line to the bench
 *  (reports nothing; for the idle                                         (wait-idle-reader: after the
 *   reader only the warm-up frames)                                        warm-up, polls on; CPU only)
 * </pre>
 */
final class WaitRoles {

    /** Frames are 16x1 pixels in 4 slots: the wait is the measurement, not the frame. */
    private static final RingGeometry GEOMETRY = RingGeometry.of(16, 1, 4);
    /**
     * How long one poll waits before the reader looks up (at its deadline, its clock): 50 ms, as
     * {@code nanobroker read} does between looks at its stop signal, so an idle reader here wakes
     * as often as that one.
     */
    private static final long POLL_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /**
     * How often the writer, asleep, looks whether the reader acknowledged the last frame (usually
     * done within its gap), and whether the reader is done: rarely, so that the writer's wake-ups
     * take little of the two cores while an idle reader is measured.
     */
    private static final long ACK_CHECK_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final long DONE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private WaitRoles() {
    }

    /** The four ways a reader waits for a frame, by their names in {@code read --wait}. */
    enum Wait {
        FUTEX, BACKOFF, YIELD, SPIN;

        WaitStrategy waitStrategy() {
            return switch (this) {
                case FUTEX -> WaitStrategy.futex();
                case BACKOFF -> WaitStrategy.defaultStrategy();
                case YIELD -> WaitStrategy.yielding();
                case SPIN -> WaitStrategy.busySpin();
            };
        }

        /** The name in {@code read --wait}, case keys and the table. */
        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Creates the ring and publishes {@code warmup} frames {@code warmupGapMicros} apart, then
     * {@code count} frames each after a random gap of {@code minGapMicros} to {@code maxGapMicros},
     * every frame once the reader acknowledged the last; then stays attached until the reader is
     * done, so that no close wakes it. The warm-up is quick: it is there for the reader's JIT
     * compiler, which counts the times through its paths, not the time between them.
     */
    record Writer(String ring, long warmup, long count, long warmupGapMicros, long minGapMicros, long maxGapMicros) implements Role {
        @Override
        public Map<String, Object> run(RoleContext context) {
            long last = GEOMETRY.frameLength() - 8;
            try (Control control = context.control();
                 SharedRing shared = SharedRing.create(ring, GEOMETRY);
                 RingWriter writer = shared.writer(OverflowPolicy.block(Duration.ofSeconds(5)))) {
                control.awaitReady(1, context.deadlineNanos());
                for (long seq = 0; seq < warmup + count; seq++) {
                    FrameClaim claim = writer.claim();
                    if (claim == null) {
                        throw new IllegalStateException("frame " + seq + " dropped: the reader held the ring for 5 s");
                    }
                    MemorySegment pixels = claim.pixels();
                    pixels.set(JAVA_LONG, 0, seq);
                    pixels.set(JAVA_LONG, last, seq);
                    claim.publish();
                    long gapMicros = seq < warmup ? warmupGapMicros
                            : ThreadLocalRandom.current().nextLong(minGapMicros, maxGapMicros + 1);
                    sleepFor(TimeUnit.MICROSECONDS.toNanos(gapMicros));
                    long acknowledged = seq + 1;
                    sleepUntil(() -> control.ack(0) >= acknowledged, ACK_CHECK_NANOS, context,
                            "waiting for the reader's ack of frame " + seq);
                }
                sleepUntil(() -> control.flag() != 0, DONE_CHECK_NANOS, context, "waiting for the reader to finish");
                return Map.of("published", warmup + count);
            }
        }

        /** Sleeps, as a camera's producer does between frames; a park may end early, so until the time is up. */
        private static void sleepFor(long nanos) {
            long end = System.nanoTime() + nanos;
            for (long left = nanos; left > 0; left = end - System.nanoTime()) {
                LockSupport.parkNanos(left);
            }
        }

        /** Sleeps in parks of {@code checkNanos} until {@code condition} holds, or fails at the deadline. */
        private static void sleepUntil(BooleanSupplier condition, long checkNanos, RoleContext context, String doing) {
            while (!condition.getAsBoolean()) {
                context.checkDeadline(doing);
                LockSupport.parkNanos(checkNanos);
            }
        }
    }

    /**
     * Takes {@code warmup} frames, then {@code count} frames measured: the latency of each, and the
     * process's CPU time from the end of the warm-up to the last frame.
     */
    record Reader(String ring, Wait strategy, long warmup, long count) implements Role {
        @Override
        public Map<String, Object> run(RoleContext context) {
            WaitStrategy waiting = strategy.waitStrategy();
            Histogram histogram = Histograms.create();
            try (Control control = context.control(); SharedRing shared = context.openRing(ring);
                 RingReader reader = shared.attachReader(ReadMode.EVERY)) {
                ProcessCpuMeter cpu = new ProcessCpuMeter();
                control.ready();
                long mismatches = receive(reader, waiting, warmup, null, control, context);
                cpu.start();
                mismatches += receive(reader, waiting, count, histogram, control, context);
                cpu.stop();
                control.setFlag(1);
                Map<String, Object> result = Histograms.summary(histogram);
                result.put("mismatches", mismatches);
                result.put("lost", reader.lost());
                result.putAll(cpu.result());
                return result;
            }
        }
    }

    /**
     * Takes {@code warmup} frames, then waits for frames that no longer come: {@code settleMs}
     * while the last compilations end, then {@code measureMs} measured; reports the CPU time only.
     * The warm-up matters more here than anywhere: an idle reader goes to sleep and wakes up (at
     * each poll's timeout) only 20 times a second, so without one the JIT compiler would still be
     * compiling that path, and the reader running it interpreted, for the whole measurement.
     */
    record IdleReader(String ring, Wait strategy, long warmup, long settleMs, long measureMs) implements Role {
        @Override
        public Map<String, Object> run(RoleContext context) {
            WaitStrategy waiting = strategy.waitStrategy();
            try (Control control = context.control(); SharedRing shared = context.openRing(ring);
                 RingReader reader = shared.attachReader(ReadMode.EVERY)) {
                ProcessCpuMeter cpu = new ProcessCpuMeter();
                control.ready();
                long mismatches = receive(reader, waiting, warmup, null, control, context);
                idle(reader, waiting, settleMs);
                cpu.start();
                idle(reader, waiting, measureMs);
                cpu.stop();
                control.setFlag(1);
                Map<String, Object> result = cpu.result();
                result.put("mismatches", mismatches);
                return result;
            }
        }

        private static void idle(RingReader reader, WaitStrategy strategy, long millis) {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
                if (reader.poll(Math.min(left, POLL_TIMEOUT_NANOS), strategy) != null) {
                    throw new IllegalStateException("a frame came to the idle reader after its warm-up");
                }
            }
        }
    }

    /**
     * Takes the next {@code frames} frames, waiting with {@code waiting}, and acknowledges each;
     * records the wake-up latency of each into {@code latencies} unless it is null. Returns how
     * many frames' last line did not match their first.
     */
    private static long receive(RingReader reader, WaitStrategy waiting, long frames, Histogram latencies,
                                Control control, RoleContext context) {
        long last = reader.ring().geometry().frameLength() - 8;
        long mismatches = 0;
        for (long taken = 0; taken < frames; ) {
            Frame frame = reader.poll(POLL_TIMEOUT_NANOS, waiting);
            if (frame == null) {
                context.checkDeadline("waiting for frame " + reader.tail());
                continue;
            }
            long latency = frame.latencyNanos();
            MemorySegment pixels = frame.pixels();
            long seq = pixels.get(JAVA_LONG, 0);
            long lastLine = pixels.get(JAVA_LONG, last);
            reader.release();
            if (lastLine != seq) {
                mismatches++;
            }
            if (latencies != null) {
                Histograms.record(latencies, latency);
            }
            taken++;
            control.ack(0, seq + 1);
        }
        return mismatches;
    }
}
