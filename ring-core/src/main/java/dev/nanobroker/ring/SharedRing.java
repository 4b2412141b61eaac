package dev.nanobroker.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

import static dev.nanobroker.ring.HeaderWords.*;
import static dev.nanobroker.ring.RingLayout.*;

/**
 * One ring, mapped into this process: the file {@code /dev/shm/NAME}. It owns the shared arena of its
 * mappings and every writer and reader attached through it; closing it detaches them, then unmaps.
 * Never close it while something (a JavaFX {@code PixelBuffer}, say) still wraps its pixel memory.
 *
 * <p>Shared fields are read and written only through {@link HeaderWords} and its views
 * ({@link ReaderLine}, {@link SlotDescriptor}), with the orderings that
 * {@code docs/ring-layout.md} gives. The header is mapped read-write by everybody; the pixels are
 * mapped read-only unless this process opened the ring to write frames.
 */
public final class SharedRing implements AutoCloseable {

    /** Where rings live: {@code /dev/shm}, a tmpfs every process of this machine can map. */
    public static final Path DIRECTORY = RingFiles.DIRECTORY;

    /** How long a reader of a ring on the heap parks before it looks again (it has no futex). */
    private static final long HEAP_RING_PARK_NANOS = 50_000;

    /** How long a replacer waits for a live process that holds the old file's lock before it gives up. */
    private static final long REPLACE_WAIT_NANOS = 2_000_000_000L;

    /**
     * Which reader of this process holds which line of which file. Identity tokens name processes, so
     * the owner word cannot tell two readers of one process apart; this can, so that a reader whose
     * line was freed behind its back and given to another reader here never frees or writes it.
     */
    private static final ConcurrentHashMap<HeldLine, RingReader> LINES_HELD_HERE = new ConcurrentHashMap<>();

    private final String name;
    private final Path path;
    private final Object fileKey;
    private final RingGeometry geometry;
    private final Arena arena;
    private final MemorySegment header;
    private final boolean pixelsWritable;
    private final ReaderLine[] readerLines = new ReaderLine[MAX_READERS];
    private final SlotDescriptor[] slots;
    /** HEAD's low 32 bits, the futex word readers sleep on (§9 "Sleeping"); null for a ring on the heap. */
    private final MemorySegment headWord;
    private final List<AutoCloseable> attached = new ArrayList<>();
    private boolean closed;

    SharedRing(RingFiles.Mapping file) {
        this.name = file.name();
        this.path = file.path();
        this.fileKey = file.fileKey();
        this.geometry = file.geometry();
        this.arena = file.arena();
        this.header = file.header();
        this.pixelsWritable = file.pixelsWritable();
        for (int line = 0; line < MAX_READERS; line++) {
            readerLines[line] = new ReaderLine(header, line);
        }
        this.headWord = header.isNative() ? header.asSlice(HEAD_OFFSET, Integer.BYTES) : null;
        this.slots = new SlotDescriptor[geometry.slotCount()];
        for (int slot = 0; slot < slots.length; slot++) {
            slots[slot] = new SlotDescriptor(header, slot,
                    file.pixels().asSlice(slot * geometry.slotStride(), geometry.frameLength()));
        }
    }

    // ------------------------------------------------------------------ create and open

    /**
     * Creates a new ring, owner-only. Fails if a file of that name exists. The ring is built and its
     * pages touched under a hidden temporary name, then linked to its name in one step, so no process
     * ever sees it half made.
     */
    public static SharedRing create(String name, RingGeometry geometry) {
        return create(name, geometry, RingAccess.OWNER_ONLY, false);
    }

    /**
     * Opens a ring to write frames into, creating it when it does not exist. An existing ring with the
     * same geometry is joined (several writers serialise through the write lock), whether its producer
     * lives or not; one with another geometry is replaced when no attached writer runs, and refused
     * while one does. A file that is not a readable ring is never replaced.
     */
    public static SharedRing openForWriting(String name, RingGeometry geometry) {
        return openForWriting(name, geometry, RingAccess.OWNER_ONLY, false);
    }

    /**
     * {@link #openForWriting(String, RingGeometry)} with the access a new ring gets, and whether a
     * ring another user owns may be joined (refused unless asked for).
     */
    public static SharedRing openForWriting(String name, RingGeometry geometry, RingAccess access, boolean allowOtherOwner) {
        Path path = pathOf(name);
        for (int attempt = 0; ; attempt++) {
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    return create(name, geometry, access, false);
                } catch (RingException e) {
                    if (!(e.getCause() instanceof FileAlreadyExistsException) || attempt > 3) {
                        throw e;
                    }
                    continue; // another producer created it first: join or replace it
                }
            }
            SharedRing existing;
            try {
                existing = open(name, true, allowOtherOwner);
            } catch (RingNotFoundException e) {
                if (attempt <= 3) {
                    continue; // removed between our look and our open
                }
                throw e;
            } catch (RingException e) {
                throw new RingException(e.getMessage() + "; remove it with 'nanobroker rm " + name
                        + " --force' to let a producer create it anew", e);
            }
            if (existing.geometry().equals(geometry)) {
                return existing;
            }
            long producer = existing.producerToken();
            if (existing.liveWriters() > 0) {
                RingGeometry theirs = existing.geometry();
                existing.close();
                throw new RingException("ring " + name + " is in use by a live producer (pid "
                        + ProcessIdentity.pid(producer) + ") with geometry " + theirs + "; asked for " + geometry);
            }
            // Not marked closed: its readers are to re-attach to the new file, not to finish.
            try (existing) {
                if (existing.lockForReplacement()) {
                    return create(name, geometry, access, true);
                }
            }
            // Another producer replaced it first: start over with the file that has the name now.
        }
    }

    /**
     * Takes this file's write lock for good before another file is renamed over its name (§2): two
     * producers replacing one dead ring would otherwise both rename, and the first would write into a
     * file without a name. The lock is never released: whoever comes later finds it held, by a live
     * or a dead token, and sees that the name has moved on.
     *
     * @return true to replace; false when the name already names another file (start over)
     */
    private boolean lockForReplacement() {
        long token = ProcessIdentity.current();
        long deadline = System.nanoTime() + REPLACE_WAIT_NANOS;
        WaitStrategy wait = WaitStrategy.defaultStrategy();
        for (long failed = 0; ; failed++) {
            long owner = getLongAcquire(header, LOCK_OWNER_OFFSET);
            boolean taken = (owner == 0 || (owner != token && !ProcessIdentity.isAlive(owner)))
                    && compareAndSetLong(header, LOCK_OWNER_OFFSET, owner, token);
            if (isReplaced()) {
                return false; // checked after taking the lock: a rename of this name happens only under it
            }
            if (taken) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new RingException("ring " + name + " is being replaced or written by pid "
                        + ProcessIdentity.pid(owner) + "; try again");
            }
            wait.idle(failed);
        }
    }

    /** Opens an existing ring to read (pixels mapped read-only). */
    public static SharedRing open(String name) {
        return open(name, false, false);
    }

    /**
     * Opens an existing ring. Everything is checked through ordinary reads before any byte is mapped:
     * no symlink, owned by this user, a regular file at least as long as its header claims, magic,
     * version and a sane geometry. Mapping a file shorter than its mapping would raise SIGBUS later.
     */
    public static SharedRing open(String name, boolean writeFrames) {
        return open(name, writeFrames, false);
    }

    /**
     * {@link #open(String, boolean)}, also accepting a ring another user owns when
     * {@code allowOtherOwner} (a ring shared with a group, say); refused by default.
     */
    public static SharedRing open(String name, boolean writeFrames, boolean allowOtherOwner) {
        return new SharedRing(RingFiles.open(name, writeFrames, allowOtherOwner));
    }

    /** Creates the ring file, or renames a new one over it ({@code replace}), and maps it. */
    static SharedRing create(String name, RingGeometry geometry, RingAccess access, boolean replace) {
        return new SharedRing(RingFiles.create(name, geometry, access, replace));
    }

    /** A ring on the Java heap (tests of the protocol without a file; see {@link RingFiles#onHeap}). */
    static SharedRing onHeap(String name, RingGeometry geometry) {
        return new SharedRing(RingFiles.onHeap(name, geometry));
    }

    // ------------------------------------------------------------------ attach

    /** Attaches a writer; it becomes this ring's producer and bumps its epoch. */
    public synchronized RingWriter writer(OverflowPolicy policy) {
        ensureOpen();
        if (!pixelsWritable) {
            throw new IllegalStateException("ring " + name + " was opened read-only; open it with openForWriting");
        }
        RingWriter writer = new RingWriter(this, policy);
        attached.add(writer);
        return writer;
    }

    /**
     * Claims a free reader line for a display ({@link DisplayReader}: once per refresh, the newest
     * frame; its mode shows as {@code latest} to tools).
     */
    public DisplayReader attachDisplayReader() {
        return new DisplayReader(attachReader(ReadMode.LATEST));
    }

    /** Claims a free reader line. Dead readers' lines are reclaimed first when none is free. */
    public synchronized RingReader attachReader(ReadMode mode) {
        ensureOpen();
        int line = claimReaderLine();
        if (line < 0) {
            reclaimDeadReaders();
            line = claimReaderLine();
        }
        if (line < 0) {
            throw new RingFullException("all " + MAX_READERS + " reader slots of " + name + " are taken");
        }
        RingReader reader;
        try {
            reader = new RingReader(this, readerLines[line], mode);
        } catch (RuntimeException e) {
            readerLines[line].putOwnerRelease(0L); // its tail is still TAIL_FREE
            throw e;
        }
        attached.add(reader);
        RingReader stale = LINES_HELD_HERE.put(new HeldLine(lineOwnerKey(), line), reader);
        if (stale != null) {
            stale.lineTakenAway();
        }
        return reader;
    }

    private record HeldLine(Object file, int line) {
    }

    /** The file's identity, or this object for a ring on the heap (which no other mapping shares). */
    private Object lineOwnerKey() {
        return fileKey != null ? fileKey : this;
    }

    /** Whether {@code reader} still held {@code line} here; it no longer does after this call. */
    boolean lineReleased(int line, RingReader reader) {
        return LINES_HELD_HERE.remove(new HeldLine(lineOwnerKey(), line), reader);
    }

    private int claimReaderLine() {
        long me = ProcessIdentity.current();
        for (ReaderLine line : readerLines) {
            if (line.ownerAcquire() == 0 && line.compareAndSetOwner(0L, me)) {
                return line.index();
            }
        }
        return -1;
    }

    synchronized void detached(AutoCloseable writerOrReader) {
        attached.remove(writerOrReader);
    }

    /**
     * Frees the lines of readers whose process is gone, so they no longer gate the writer. A line is
     * first marked with the reclaimer's token and {@link RingLayout#RECLAIM_BIT}, so that only one
     * process frees it and no new reader claims it half freed.
     *
     * @return how many lines this call freed
     */
    public int reclaimDeadReaders() {
        int freed = 0;
        long me = ProcessIdentity.current() | RECLAIM_BIT;
        for (ReaderLine line : readerLines) {
            long owner = line.ownerAcquire();
            if (owner == 0 || ProcessIdentity.isAlive(owner)) {
                continue; // free, alive, or being reclaimed by a live process
            }
            if (line.compareAndSetOwner(owner, me)) { // §10: marked, so nobody claims it half freed
                line.putTailRelease(TAIL_FREE);
                andInt(header, SLEEPERS_OFFSET, ~(1 << line.index())); // it may have died asleep
                line.putOwnerRelease(0L);
                freed++;
            }
        }
        return freed;
    }

    // ------------------------------------------------------------------ status

    public String name() {
        return name;
    }

    /** The ring's file; null for a ring on the heap. */
    public Path path() {
        return path;
    }

    public RingGeometry geometry() {
        return geometry;
    }

    public long head() {
        return getLongAcquire(header, HEAD_OFFSET);
    }

    /**
     * HEAD, for a writer or reader about to index the slots with it: a negative one (a corrupt or
     * foreign file) would make {@code sequence % slotCount} negative and address the reader lines
     * before the descriptors, so it is refused here.
     */
    long checkedHead() {
        long head = head();
        if (head < 0) {
            throw new RingException("ring " + name + " is corrupt: its HEAD is " + head
                    + "; remove it with 'nanobroker rm " + name + " --force'");
        }
        return head;
    }

    public long epoch() {
        return getLongAcquire(header, EPOCH_OFFSET);
    }

    public int state() {
        return getIntAcquire(header, STATE_OFFSET);
    }

    public boolean isClosedByProducer() {
        return state() == STATE_CLOSED;
    }

    public long producerToken() {
        return getLongAcquire(header, PRODUCER_TOKEN_OFFSET);
    }

    /** Whether some writer attached to this ring still runs. Reads /proc: not for hot paths. */
    public boolean isProducerAlive() {
        return liveWriters() > 0;
    }

    /** Writers attached now whose process runs. Reads /proc: not for hot paths. */
    public int liveWriters() {
        int live = 0;
        for (int line = 0; line < MAX_WRITERS; line++) {
            if (ProcessIdentity.isAlive(getLongAcquire(header, writerTokenOffset(line)))) {
                live++;
            }
        }
        return live;
    }

    /**
     * Whether the name now points at another file, or at none: a producer replaced or removed the
     * ring this process mapped. Reads the file system: call it when idle, not per frame.
     */
    public boolean isReplaced() {
        return path != null && RingFiles.namesAnotherFile(path, fileKey);
    }

    /** A consistent-enough picture of the header for tools: each field is read once, atomically. */
    public RingStatus status() {
        long head = head();
        List<RingStatus.Reader> readers = new ArrayList<>(MAX_READERS);
        for (ReaderLine line : readerLines) {
            long owner = line.ownerAcquire();
            long tail = line.tailAcquire();
            readers.add(new RingStatus.Reader(line.index(), owner, owner != 0 && ProcessIdentity.isAlive(owner),
                    ReadMode.fromCode(line.modeAcquire()),
                    tail, owner == 0 || tail == TAIL_FREE ? 0 : Math.max(0, head - tail),
                    line.framesOpaque(), line.skippedOpaque(), line.lostOpaque(), line.tornOpaque(),
                    line.latencyOpaque()));
        }
        int liveWriters = liveWriters();
        return new RingStatus(name, geometry, head, epoch(), state(), producerToken(), liveWriters > 0, liveWriters,
                getLongOpaque(header, PRODUCER_DROPS_OFFSET),
                getLongOpaque(header, BLOCKED_NANOS_OFFSET),
                getLongAcquire(header, LOCK_OWNER_OFFSET),
                header.get(ValueLayout.JAVA_LONG, CREATED_MILLIS_OFFSET), readers);
    }

    /**
     * Copies frame {@code sequence} out of its slot without attaching a reader: no tail, nothing
     * held, so the writer is never held back by it. For previews and snapshots that may miss frames.
     *
     * @param target at least {@code rowStride * height} bytes
     * @return true when the copy is that frame, intact; false when the slot holds another frame or
     *     was rewritten during the copy (the target then holds garbage)
     */
    public boolean copyFrame(long sequence, MemorySegment target) {
        if (sequence < 0) {
            return false; // no frame has a negative sequence, and it would index the slots from the end
        }
        SlotDescriptor slot = slots[(int) (sequence % slots.length)];
        if (slot.sequenceAcquire() != sequence) {
            return false;
        }
        MemorySegment.copy(slot.pixels(), 0, target, 0, geometry.frameLength());
        VarHandle.acquireFence(); // the copy's loads happen before the sequence is read again
        return slot.sequenceOpaque() == sequence;
    }

    // ------------------------------------------------------------------ for writer and readers

    MemorySegment header() {
        return header;
    }

    /**
     * The pixels of one slot in place: {@code rowStride * height} bytes, page-aligned, read-only
     * unless this process opened the ring to write frames. For views that wrap every slot once
     * (a display's image per slot); which frame a slot holds is what a reader says.
     */
    public MemorySegment slotPixels(int slot) {
        return slots[slot].pixels();
    }

    /** The views of the reader lines, one per line; shared, never to be modified. */
    ReaderLine[] readerLines() {
        return readerLines;
    }

    /** The views of the slots, one per slot; shared, never to be modified. */
    SlotDescriptor[] slots() {
        return slots;
    }

    /** Marks the ring closed, and wakes sleeping readers so that they notice now, not at their timeout. */
    void markClosed() {
        putIntRelease(header, STATE_OFFSET, STATE_CLOSED);
        if (getIntVolatile(header, SLEEPERS_OFFSET) != 0) {
            wakeSleepers();
        }
    }

    /** §8 step 12: wakes every reader sleeping on the head (the caller saw SLEEPERS not 0). */
    void wakeSleepers() {
        if (headWord != null) {
            Posix.futexWakeAll(headWord);
        }
    }

    /**
     * §9 "Sleeping" step 3: sleeps while HEAD's low 32 bits are {@code expected}, at most
     * {@code nanos}. A ring on the heap has no futex word other processes could share: its reader
     * parks briefly instead and looks again.
     */
    void sleepWhileHead(int expected, long nanos, MemorySegment timespec) {
        if (headWord != null) {
            Posix.futexWait(headWord, expected, nanos, timespec);
        } else {
            LockSupport.parkNanos(Math.min(nanos, HEAP_RING_PARK_NANOS));
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("ring " + name + " is closed");
        }
    }

    /** Detaches every writer and reader attached through this ring, then unmaps it. Idempotent. */
    @Override
    public void close() {
        List<AutoCloseable> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            toClose = new ArrayList<>(attached);
        }
        for (AutoCloseable each : toClose) {
            try {
                each.close();
            } catch (Exception ignored) {
                // Detaching only writes the header; keep going so the arena is always closed.
            }
        }
        synchronized (this) {
            closed = true;
            arena.close();
        }
    }

    // ------------------------------------------------------------------ names (RingFiles does the work)

    /** The file of a ring; refuses names that could leave /dev/shm or hide from {@code ls}. */
    public static Path pathOf(String name) {
        return RingFiles.pathOf(name);
    }

    /**
     * Names of the rings in {@link #DIRECTORY}: regular files, not hidden, that start with the ring
     * magic. Files that are rings but fail validation are listed too, so tools can say why.
     */
    public static List<String> listNames() {
        return RingFiles.listNames();
    }

    /** Removes the ring's name; processes that mapped it keep their mapping until they close it. */
    public static void unlink(String name) {
        RingFiles.unlink(name);
    }
}
