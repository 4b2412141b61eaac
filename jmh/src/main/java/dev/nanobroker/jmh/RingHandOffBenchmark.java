package dev.nanobroker.jmh;

import dev.nanobroker.ring.Frame;
import dev.nanobroker.ring.FrameClaim;
import dev.nanobroker.ring.OverflowPolicy;
import dev.nanobroker.ring.ReadMode;
import dev.nanobroker.ring.RingReader;
import dev.nanobroker.ring.RingWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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
import org.openjdk.jmh.infra.Control;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Frames per second from one writer thread to one reader thread through a ring in /dev/shm, both in
 * this process: the writer claims and publishes under {@code block}, the reader busy-polls and
 * releases, in {@code every} mode, so no frame is lost and the writer waits whenever it is a whole
 * ring ahead. Each {@code write} op is one published frame, each {@code read} op one frame polled and
 * released; JMH's group score is their sum (about twice the frame rate).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// The second flag only silences JDK 25's warning about JMH's own use of sun.misc.Unsafe.
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class RingHandOffBenchmark {

    /** Generous: the reader never stops while the writer may wait, so this is never reached. */
    static final Duration BLOCK_TIMEOUT = Duration.ofSeconds(10);

    @State(Scope.Group)
    public static class Ring {
        @Param({"4x4", "1920x1080"})
        public String size;
        @Param("8")
        public int slots;

        BenchRing ring;
        RingWriter writer;
        RingReader reader;

        @Setup(Level.Trial)
        public void setUp() {
            ring = BenchRing.create("handoff2", size, slots);
            writer = ring.ring.writer(OverflowPolicy.block(BLOCK_TIMEOUT));
            reader = ring.ring.attachReader(ReadMode.EVERY);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            long producerDrops = writer.producerDrops();
            RingHotPathBenchmark.check(reader);
            ring.close();
            if (producerDrops != 0) {
                throw new IllegalStateException("the writer timed out " + producerDrops + " times under block");
            }
        }
    }

    /**
     * Claims and publishes one frame, waiting (the block policy's default back-off) while the reader
     * is a whole ring behind. Once the measurement is over it claims no more: the reader may be gone
     * by then, and a claim would wait for it until the timeout.
     */
    @Benchmark
    @Group("handOff")
    @GroupThreads(1)
    public long write(Ring state, Control control) {
        if (control.stopMeasurement) {
            return -1;
        }
        FrameClaim claim = state.writer.claim();
        if (claim == null) {
            return -1; // timed out: counted as a producer drop, and tearDown fails the trial
        }
        long sequence = claim.sequence();
        claim.publish();
        return sequence;
    }

    /**
     * Spins on poll until a frame comes, then releases it. Gives up only when the measurement is
     * over (after one more look, so a writer waiting for room is always let go).
     */
    @Benchmark
    @Group("handOff")
    @GroupThreads(1)
    public long read(Ring state, Control control) {
        RingReader reader = state.reader;
        Frame frame;
        while ((frame = reader.poll()) == null) {
            if (control.stopMeasurement) {
                return -1;
            }
            Thread.onSpinWait();
        }
        long sequence = frame.sequence();
        reader.release();
        return sequence;
    }
}
