package dev.nanobroker.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * How much CPU this whole process (every thread, the JVM's own included) uses over a stretch of
 * wall time, in % of one core, from {@code clock_gettime(CLOCK_PROCESS_CPUTIME_ID)} through FFM. The
 * JDK's ways to ask ({@code OperatingSystemMXBean.getProcessCpuTime()},
 * {@code ProcessHandle.Info.totalCpuDuration()}) count in clock ticks of 10 ms on Linux: over a few
 * seconds of an idle reader that is a resolution of 0.5 % of a core, too coarse for a 1 % target.
 */
final class ProcessCpuMeter {

    private static final int CLOCK_PROCESS_CPUTIME_ID = 2;
    private static final MethodHandle CLOCK_GETTIME = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("clock_gettime").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));

    /** A {@code struct timespec}: seconds, then nanoseconds, two longs. */
    private final MemorySegment timespec = Arena.ofAuto().allocate(16, Long.BYTES);
    private long cpuStart;
    private long wallStart;
    private long cpuNanos;
    private long wallNanos;

    /**
     * Reads the clock once and starts: the first call through a downcall handle loads and
     * compiles for milliseconds, which must not fall into a measured stretch.
     */
    ProcessCpuMeter() {
        start();
    }

    /** Starts a stretch (again). */
    void start() {
        cpuStart = processCpuNanos();
        wallStart = System.nanoTime();
    }

    /** Ends the stretch started last. */
    void stop() {
        cpuNanos = processCpuNanos() - cpuStart;
        wallNanos = System.nanoTime() - wallStart;
    }

    /** What a role reports of the stretch: {@code cpu_percent} of one core and {@code measured_ms}. */
    Map<String, Object> result() {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("cpu_percent", 100.0 * cpuNanos / wallNanos);
        result.put("measured_ms", wallNanos / 1_000_000);
        return result;
    }

    private long processCpuNanos() {
        int result;
        try {
            result = (int) CLOCK_GETTIME.invokeExact(CLOCK_PROCESS_CPUTIME_ID, timespec);
        } catch (Throwable e) {
            throw new IllegalStateException("clock_gettime through FFM failed", e);
        }
        if (result != 0) {
            throw new IllegalStateException("clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed");
        }
        return timespec.get(JAVA_LONG, 0) * 1_000_000_000L + timespec.get(JAVA_LONG, 8);
    }
}
