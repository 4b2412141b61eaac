package dev.nanobroker.ring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Names processes in the ring by a 64-bit token: {@code pid << 32 | (start time & 0xFFFFFFFF)}, the
 * start time being field 22 of {@code /proc/PID/stat} (clock ticks since boot). Where there is no
 * /proc, the start time is the JDK's {@link ProcessHandle.Info#startInstant()} in milliseconds instead.
 *
 * <p>A process is judged dead only when the OS says so (docs/ring-layout.md §7): {@code kill(pid, 0)}
 * answers ESRCH, or its /proc entry, read as bytes, shows a zombie or another start time (the pid was
 * reused). Anything else that goes wrong while looking (a /proc entry hidden by {@code hidepid}, no
 * file descriptor left, a name that is not ASCII) leaves the process alive: calling a live process
 * dead lets another process take its lock or overwrite the frame it holds, while calling a dead one
 * alive costs at most a wait until the next look. No heartbeat, so a busy process is never called dead.
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
            throw new IllegalStateException("cannot read this process's start time from /proc/self/stat:"
                    + " no identity token, so no ring can be attached");
        }
        return CURRENT;
    }

    public static int pid(long token) {
        return (int) ((token & ~RingLayout.RECLAIM_BIT) >>> 32);
    }

    /** The token of a running process, or 0 when no such process runs or its start time cannot be read. */
    public static long tokenOf(long pid) {
        if (!PROC) {
            return ProcessHandle.of(pid).flatMap(handle -> handle.info().startInstant())
                    .map(start -> pid << 32 | (start.toEpochMilli() & 0xFFFF_FFFFL)).orElse(0L);
        }
        ProcStat stat = ProcStat.read(pid);
        return stat == null || stat.zombie() ? 0 : pid << 32 | (stat.startTime() & 0xFFFF_FFFFL);
    }

    /**
     * Whether the process a token names may still run: false only when the OS says it is gone (see the
     * class comment); 0 names no process. Reads /proc: not for hot paths.
     */
    public static boolean isAlive(long token) {
        if (token == 0) {
            return false;
        }
        long clean = token & ~RingLayout.RECLAIM_BIT;
        if (clean == CURRENT) {
            return true;
        }
        int pid = pid(clean);
        if (pid <= 0 || !pidExists(pid)) {
            return false;
        }
        if (!PROC) {
            return ProcessHandle.of(pid).flatMap(handle -> handle.info().startInstant())
                    .map(start -> (start.toEpochMilli() & 0xFFFF_FFFFL) == (clean & 0xFFFF_FFFFL)).orElse(true);
        }
        ProcStat stat = ProcStat.read(pid);
        if (stat == null) {
            return true; // hidden (hidepid), unreadable or undecodable: not the OS saying it is gone
        }
        return !stat.zombie() && (stat.startTime() & 0xFFFF_FFFFL) == (clean & 0xFFFF_FFFFL);
    }

    /**
     * Whether a process with this pid exists (any process: a pid says nothing of which). Only
     * {@code kill(pid, 0)} failing with ESRCH says no; EPERM (another user's process) says yes.
     */
    public static boolean pidExists(long pid) {
        return pid > 0 && pid <= Integer.MAX_VALUE && Posix.signalProbe((int) pid) != Posix.ESRCH;
    }

    /**
     * Fields 3 (state) and 22 (start time) of {@code /proc/PID/stat}, decoded from its bytes: the command
     * name in field 2 may hold any byte but NUL and '/', spaces and ')' included, so the fields after
     * it start after the last ')'.
     */
    record ProcStat(char state, long startTime) {

        /** A zombie ('Z') or a dead task ('X') has exited. */
        boolean zombie() {
            return state == 'Z' || state == 'X';
        }

        /** The decoded entry, or null when it cannot be read or decoded, for whatever reason. */
        static ProcStat read(long pid) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "stat"));
            } catch (IOException | SecurityException unreadable) {
                return null;
            }
            return parse(bytes);
        }

        /** Decodes the bytes of a stat file; null when they are not one. */
        static ProcStat parse(byte[] stat) {
            int afterName = -1;
            for (int i = stat.length - 1; i >= 0; i--) {
                if (stat[i] == ')') {
                    afterName = i;
                    break;
                }
            }
            if (afterName < 0 || afterName + 2 >= stat.length) {
                return null;
            }
            // Past the name every byte is ASCII: the state letter and decimal numbers.
            String[] fields = new String(stat, afterName + 2, stat.length - afterName - 2, StandardCharsets.ISO_8859_1)
                    .trim().split(" ");
            if (fields.length < 20 || fields[0].length() != 1) {
                return null;
            }
            try {
                return new ProcStat(fields[0].charAt(0), Long.parseLong(fields[19])); // fields[0] is field 3
            } catch (NumberFormatException notStat) {
                return null;
            }
        }
    }
}
