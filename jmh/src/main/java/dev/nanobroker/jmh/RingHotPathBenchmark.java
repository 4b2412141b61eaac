package dev.nanobroker.jmh;

import dev.nanobroker.ring.FrameClaim;
import dev.nanobroker.ring.OverflowPolicy;
import dev.nanobroker.ring.ReadMode;
import dev.nanobroker.ring.RingReader;
import dev.nanobroker.ring.RingWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The ring's hot paths on one thread, in ns per call, on a ring in /dev/shm. No pixel is written or
 * read anywhere: the transport's cost is meant not to depend on the frame size, and the two sizes
 * of {@link #claimPublish} show whether it does.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// The second flag only silences JDK 25's warning about JMH's own use of sun.misc.Unsafe.
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class RingHotPathBenchmark {

    /** A writer under {@code overwrite} with no reader attached. */
    @State(Scope.Thread)
    public static class WriterOnly {
        /** 4x4 = 64 B frames, 1920x1080 = 8.3 MB frames. */
        @Param({"4x4", "1920x1080"})
        public String size;
        @Param("8")
        public int slots;

        BenchRing ring;
        RingWriter writer;

        @Setup(Level.Trial)
        public void setUp() {
            ring = BenchRing.create("writer", size, slots);
            writer = ring.ring.writer(OverflowPolicy.overwrite());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            ring.close();
        }
    }

    /**
     * A writer under {@code overwrite} and one {@code every} reader, both driven by the benchmark
     * thread; the reader releases each frame before the next claim, so the ring is never full and
     * the policy is never consulted.
     */
    @State(Scope.Thread)
    public static class WriterAndReader {
        @Param({"4x4", "1920x1080"})
        public String size;
        @Param("8")
        public int slots;

        BenchRing ring;
        RingWriter writer;
        RingReader reader;

        @Setup(Level.Trial)
        public void setUp() {
            ring = BenchRing.create("handoff1", size, slots);
            writer = ring.ring.writer(OverflowPolicy.overwrite());
            reader = ring.ring.attachReader(ReadMode.EVERY);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            check(reader);
            ring.close();
        }
    }

    /**
     * A writer under {@code overwrite} and a reader that never polls: from the ninth frame on every
     * claim finds the ring full, so the writer looks again, asks the policy, and overwrites.
     */
    @State(Scope.Thread)
    public static class WriterLappingReader {
        @Param("8")
        public int slots;

        BenchRing ring;
        RingWriter writer;
        RingReader reader;

        @Setup(Level.Trial)
        public void setUp() {
            ring = BenchRing.create("lapping", "4x4", slots);
            writer = ring.ring.writer(OverflowPolicy.overwrite());
            reader = ring.ring.attachReader(ReadMode.EVERY);
            for (int i = 0; i < slots; i++) {
                writer.claim().publish();
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (reader.tail() != 0) {
                throw new IllegalStateException("the reader moved");
            }
            ring.close();
        }
    }

    /** A reader that has taken every frame published: each poll finds nothing new. */
    @State(Scope.Thread)
    public static class CaughtUpReader {
        @Param("8")
        public int slots;

        BenchRing ring;
        RingReader reader;

        @Setup(Level.Trial)
        public void setUp() {
            ring = BenchRing.create("empty", "4x4", slots);
            RingWriter writer = ring.ring.writer(OverflowPolicy.overwrite());
            reader = ring.ring.attachReader(ReadMode.EVERY);
            for (int i = 0; i < 3; i++) {
                writer.claim().publish();
                reader.poll();
                reader.release();
            }
            if (!reader.caughtUp()) {
                throw new IllegalStateException("reader is not caught up");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (!reader.caughtUp()) {
                throw new IllegalStateException("a frame appeared during pollEmpty");
            }
            ring.close();
        }
    }

    /** Claim a slot and publish it at once: the writer's whole per-frame cost without rendering. */
    @Benchmark
    public long claimPublish(WriterOnly state) {
        return claimAndPublish(state.writer);
    }

    /**
     * {@link #claimPublish} when the ring is full under {@code overwrite} (a reader a whole ring
     * behind, say a stalled display): the price of the extra look and of asking the policy.
     */
    @Benchmark
    public long claimPublishOverwritingFullRing(WriterLappingReader state) {
        return claimAndPublish(state.writer);
    }

    /** The measured work of both claim/publish benchmarks; the sequence goes back to JMH, so it is not dead code. */
    private static long claimAndPublish(RingWriter writer) {
        FrameClaim claim = writer.claim();
        long sequence = claim.sequence();
        claim.publish();
        return sequence;
    }

    /** One frame's full hand-off on one core: claim, publish, poll, release. */
    @Benchmark
    public boolean claimPublishPollRelease(WriterAndReader state) {
        state.writer.claim().publish();
        state.reader.poll();
        return state.reader.release();
    }

    /** What a busy-polling reader pays per look when nothing new is published. */
    @Benchmark
    public Object pollEmpty(CaughtUpReader state) {
        return state.reader.poll();
    }

    /**
     * Not a ring path: {@code System.nanoTime()} alone, for scale. claim + publish read the clock
     * once (the publish time stamp, which also times the dead-reader sweep), poll once (the latency).
     */
    @Benchmark
    public long nanoTime() {
        return System.nanoTime();
    }

    /** Fails the trial if the reader ever lost a frame: then the numbers measured something else. */
    static void check(RingReader reader) {
        if (reader.lost() != 0 || reader.skipped() != 0) {
            throw new IllegalStateException("reader missed frames: lost " + reader.lost() + " (torn " + reader.torn()
                    + "), skipped " + reader.skipped());
        }
    }
}
