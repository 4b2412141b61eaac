package dev.nanobroker.ring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Names processes in the ring by a 64-bit token: {@code pid << 32 | (start time & 0xFFFFFFFF)}, the
 * start time being field 22 of {@code /proc/PID/stat} (clock ticks since boot). A process is judged
 * alive when that pid exists, is not a zombie, and started at that time; so a pid reused by a later
 * process does not keep a dead reader alive, and a busy process is never called dead, which a
 * heartbeat would do under CPU load. Where there is no /proc, the start time is the JDK's
 * {@link ProcessHandle.Info#startInstant()} in milliseconds instead.
 *
 * <p>Tokens compare pids, so every process attached to one ring must see the same pid namespace
 * (processes in two containers sharing one /dev/shm do not).
 */
public final class ProcessIdentity {

    private static final boolean PROC = Files.isReadable(Path.of("/proc/self/stat"));
    private static final long CURRENT = tokenOf(ProcessHandle.current().pid());

    private ProcessIdentity() {
    }

    /** The token of this process; never 0. */
    public static long current() {
        if (CURRENT == 0) {
            throw new IllegalStateException("cannot tell this process's start time: no identity token");
        }
        return CURRENT;
    }

    public static int pid(long token) {
        return (int) ((token & ~RingLayout.RECLAIM_BIT) >>> 32);
    }

    /** The token of a running process, or 0 when no such process runs. */
    public static long tokenOf(long pid) {
        long start = startTime(pid);
        return start < 0 ? 0 : pid << 32 | (start & 0xFFFF_FFFFL);
    }

    /** Whether the process a token names still runs; 0 names no process. Reads /proc: not for hot paths. */
    public static boolean isAlive(long token) {
        if (token == 0) {
            return false;
        }
        long clean = token & ~RingLayout.RECLAIM_BIT;
        if (clean == CURRENT) {
            return true;
        }
        long start = startTime(pid(clean));
        return start >= 0 && (start & 0xFFFF_FFFFL) == (clean & 0xFFFF_FFFFL);
    }

    /** Start time of a live process (clock ticks since boot, or ms without /proc); -1 when gone or a zombie. */
    private static long startTime(long pid) {
        if (pid <= 0) {
            return -1;
        }
        if (!PROC) {
            return ProcessHandle.of(pid).flatMap(handle -> handle.info().startInstant())
                    .map(Instant::toEpochMilli).orElse(-1L);
        }
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        } catch (IOException gone) {
            return -1;
        }
        // The command name (field 2) may hold spaces and parentheses: fields after it follow the last ')'.
        int afterName = stat.lastIndexOf(')');
        if (afterName < 0 || afterName + 2 >= stat.length()) {
            return -1;
        }
        String[] fields = stat.substring(afterName + 2).split(" ");
        char state = fields[0].isEmpty() ? '?' : fields[0].charAt(0);
        if (state == 'Z' || state == 'X' || fields.length < 20) {
            return -1;
        }
        return Long.parseLong(fields[19]); // field 22: starttime; fields[0] is field 3
    }
}
