package dev.nanobroker.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.Locale;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The few libc calls the JDK does not offer, through FFM: {@code kill(pid, 0)} for liveness (the JDK
 * has no way to tell ESRCH from EPERM), {@code open}/{@code posix_fallocate}/{@code close} for a
 * descriptor whose identity is the file actually mapped and whose space is reserved before any page
 * is touched, and {@code futex(2)} for readers that sleep until a frame is published. Each call
 * answers 0 or an errno value, or nothing where no answer matters; none throws for a failed call.
 */
final class Posix {

    static final int ENOENT = 2;
    static final int ESRCH = 3;
    static final int EEXIST = 17;
    static final int ENOSPC = 28;

    static final int O_RDWR = 2;
    static final int O_CREAT = 0100;
    static final int O_EXCL = 0200;
    static final int O_CLOEXEC = 02000000;
    /** Differs between architectures: 0100000 on ARM and POWER, 0400000 on x86 and the generic ABI. */
    static final int O_NOFOLLOW = switch (System.getProperty("os.arch").toLowerCase(Locale.ROOT)) {
        case "aarch64", "arm", "ppc64le", "ppc64" -> 0100000;
        default -> 0400000;
    };

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle KILL = downcall("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle OPEN = downcall("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle CHMOD = downcall("chmod", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    /** Returns the error number itself (it does not set errno). */
    private static final MethodHandle POSIX_FALLOCATE = LINKER.downcallHandle(
            LINKER.defaultLookup().find("posix_fallocate").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LINKER.defaultLookup().find("strerror").orElseThrow(), FunctionDescriptor.of(ADDRESS, JAVA_INT));
    /** {@code syscall(SYS_futex, uaddr, op, val, timeout, uaddr2, val3)}; its result is not looked at. */
    private static final MethodHandle FUTEX = LINKER.downcallHandle(
            LINKER.defaultLookup().find("syscall").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT),
            Linker.Option.firstVariadicArg(1));
    private static final long SYS_FUTEX = switch (System.getProperty("os.arch").toLowerCase(Locale.ROOT)) {
        case "aarch64" -> 98;
        default -> 202; // x86-64
    };
    /** The shared-memory futex operations: the {@code _PRIVATE} ones (| 128) never see another process. */
    private static final int FUTEX_WAIT = 0;
    private static final int FUTEX_WAKE = 1;
    /** Bytes of a {@code struct timespec}: seconds, then nanoseconds, two longs. */
    static final long TIMESPEC_LENGTH = 16;

    private Posix() {
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... extra) {
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = Linker.Option.captureCallState("errno");
        System.arraycopy(extra, 0, options, 1, extra.length);
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor, options);
    }

    /** {@code kill(pid, 0)}: 0 when the process exists and may be signalled, else errno (ESRCH: no such process). */
    static int signalProbe(int pid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int result = (int) KILL.invokeExact(state, pid, 0);
            return result == 0 ? 0 : (int) ERRNO.get(state, 0L);
        } catch (Throwable e) {
            throw new IllegalStateException("kill(2) through FFM failed", e);
        }
    }

    /**
     * {@code open(path, flags, mode)}.
     *
     * @return the descriptor (>= 0), or {@code -errno}
     */
    static int open(Path path, int flags, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path.toString()), flags, mode);
            return fd >= 0 ? fd : -(int) ERRNO.get(state, 0L);
        } catch (Throwable e) {
            throw new IllegalStateException("open(2) through FFM failed", e);
        }
    }

    /**
     * {@code chmod(path, mode)}, which unlike {@link java.nio.file.Files#setPosixFilePermissions} can set
     * the sticky bit.
     *
     * @return 0, or {@code -errno}
     */
    static int chmod(Path path, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int result = (int) CHMOD.invokeExact(state, arena.allocateFrom(path.toString()), mode);
            return result == 0 ? 0 : -(int) ERRNO.get(state, 0L);
        } catch (Throwable e) {
            throw new IllegalStateException("chmod(2) through FFM failed", e);
        }
    }

    static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) CLOSE.invokeExact(arena.allocate(CALL_STATE), fd);
        } catch (Throwable e) {
            throw new IllegalStateException("close(2) through FFM failed", e);
        }
    }

    /** {@code posix_fallocate(fd, 0, length)}: 0, or the error number (ENOSPC when the file system is full). */
    static int reserve(int fd, long length) {
        try {
            return (int) POSIX_FALLOCATE.invokeExact(fd, 0L, length);
        } catch (Throwable e) {
            throw new IllegalStateException("posix_fallocate(3) through FFM failed", e);
        }
    }

    /**
     * {@code FUTEX_WAIT}: sleeps while the 32-bit word at {@code word} equals {@code expected}, at most
     * {@code timeoutNanos} (written into {@code timespec}, {@link #TIMESPEC_LENGTH} bytes, native).
     * Returns on a wake-up, at once when the word differs, at the timeout, or spuriously: the caller
     * looks again in every case, so the result is not reported.
     */
    static void futexWait(MemorySegment word, int expected, long timeoutNanos, MemorySegment timespec) {
        timespec.set(JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
        timespec.set(JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
        try {
            long ignored = (long) FUTEX.invokeExact(SYS_FUTEX, word, FUTEX_WAIT, expected, timespec, MemorySegment.NULL, 0);
        } catch (Throwable e) {
            throw new IllegalStateException("futex(2) through FFM failed", e);
        }
    }

    /** {@code FUTEX_WAKE}: wakes every process and thread sleeping on the 32-bit word at {@code word}. */
    static void futexWakeAll(MemorySegment word) {
        try {
            long ignored = (long) FUTEX.invokeExact(SYS_FUTEX, word, FUTEX_WAKE, Integer.MAX_VALUE, MemorySegment.NULL,
                    MemorySegment.NULL, 0);
        } catch (Throwable e) {
            throw new IllegalStateException("futex(2) through FFM failed", e);
        }
    }

    /** The path under which a descriptor of this process opens the very file it refers to, whatever its name now. */
    static Path descriptorPath(int fd) {
        return Path.of("/proc/self/fd", Integer.toString(fd));
    }

    /** The C library's text for an errno value ("No space left on device"). */
    static String describe(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.reinterpret(256).getString(0);
        } catch (Throwable e) {
            return "errno " + errno;
        }
    }
}
