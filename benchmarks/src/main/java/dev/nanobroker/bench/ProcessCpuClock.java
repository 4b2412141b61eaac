package dev.nanobroker.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The CPU time of this whole process (every thread, the JVM's own included) in nanoseconds, from
 * {@code clock_gettime(CLOCK_PROCESS_CPUTIME_ID)} through FFM. The JDK's ways to ask
 * ({@code OperatingSystemMXBean.getProcessCpuTime()}, {@code ProcessHandle.Info.totalCpuDuration()})
 * count in clock ticks of 10 ms on Linux: over a few seconds of an idle reader that is a
 * resolution of 0.5 % of a core, too coarse to check a 1 % target.
 */
final class ProcessCpuClock {

    private static final int CLOCK_PROCESS_CPUTIME_ID = 2;
    private static final MethodHandle CLOCK_GETTIME = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("clock_gettime").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    /** A {@code struct timespec}: seconds, then nanoseconds, two longs. */
    private static final MemorySegment TIMESPEC = Arena.global().allocate(16, Long.BYTES);

    private ProcessCpuClock() {
    }

    /** CPU time this process has used so far, in ns; only differences between two reads mean anything. */
    static synchronized long nanos() {
        int result;
        try {
            result = (int) CLOCK_GETTIME.invokeExact(CLOCK_PROCESS_CPUTIME_ID, TIMESPEC);
        } catch (Throwable e) {
            throw new IllegalStateException("clock_gettime through FFM failed", e);
        }
        if (result != 0) {
            throw new IllegalStateException("clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed");
        }
        return TIMESPEC.get(JAVA_LONG, 0) * 1_000_000_000L + TIMESPEC.get(JAVA_LONG, 8);
    }
}
