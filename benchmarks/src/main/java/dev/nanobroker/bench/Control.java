package dev.nanobroker.bench;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The little shared file through which the JVMs of one measurement meet: a ready counter, flags,
 * the floor's ping-pong word and one acknowledgement word per receiver, each on its own cache line.
 * Created (zeroed) by the orchestrator, mapped by every child. Not part of any measured path except
 * the floor (whose whole point is one cache line between two processes) and the acknowledgements the
 * sender waits for between frames, outside the timed interval.
 */
final class Control implements AutoCloseable {

    static final long LENGTH = 4096;
    private static final long READY = 0;
    private static final long FLAG = 64;
    private static final long VALUE = 128;
    private static final long PING = 192;
    private static final long ACKS = 512;
    static final int MAX_RECEIVERS = 56;

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private final Arena arena = Arena.ofShared();
    private final MemorySegment segment;

    Control(Path path) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, LENGTH, arena);
        } catch (IOException e) {
            arena.close();
            throw new IllegalStateException("cannot map control file " + path + ": " + e.getMessage(), e);
        }
    }

    /** This process is ready (attached, bound, listening): one more on the counter. */
    void ready() {
        LONG.getAndAdd(segment, READY, 1L);
    }

    /** Spins (then sleeps a little) until {@code count} processes said ready, or fails at the deadline. */
    void awaitReady(int count, long deadlineNanos) {
        await(READY, count, deadlineNanos, "ready processes");
    }

    void setFlag(long value) {
        LONG.setRelease(segment, FLAG, value);
    }

    long flag() {
        return (long) LONG.getAcquire(segment, FLAG);
    }

    void awaitFlag(long value, long deadlineNanos) {
        await(FLAG, value, deadlineNanos, "start flag");
    }

    void setValue(long value) {
        LONG.setRelease(segment, VALUE, value);
    }

    long value() {
        return (long) LONG.getAcquire(segment, VALUE);
    }

    long ping() {
        return (long) LONG.getAcquire(segment, PING);
    }

    void setPing(long value) {
        LONG.setRelease(segment, PING, value);
    }

    void ack(int receiver, long sequence) {
        LONG.setRelease(segment, ACKS + receiver * 64L, sequence);
    }

    long ack(int receiver) {
        return (long) LONG.getAcquire(segment, ACKS + receiver * 64L);
    }

    /** Spins until every one of {@code receivers} acknowledged at least {@code sequence}. */
    void awaitAcks(int receivers, long sequence, long deadlineNanos) {
        for (int r = 0; r < receivers; r++) {
            int spins = 0;
            while (ack(r) < sequence) {
                if ((++spins & 0x3FF) == 0) {
                    if (System.nanoTime() - deadlineNanos > 0) {
                        throw new IllegalStateException("receiver " + r + " did not acknowledge frame " + sequence + " in time");
                    }
                    // Readers may share the cores with us: let them run.
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
            }
        }
    }

    private void await(long offset, long atLeast, long deadlineNanos, String what) {
        int spins = 0;
        while ((long) LONG.getAcquire(segment, offset) < atLeast) {
            if (System.nanoTime() - deadlineNanos > 0) {
                throw new IllegalStateException("timed out waiting for " + what + " (" + atLeast + ")");
            }
            if (++spins < 1000) {
                Thread.onSpinWait();
            } else {
                sleepMicros(100);
            }
        }
    }

    static void sleepMicros(long micros) {
        try {
            Thread.sleep(0, (int) Math.min(999_999, micros * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Busy-waits {@code nanos}: the gap between two frames, so latency is never queueing. */
    static void spinFor(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
