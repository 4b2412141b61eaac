package dev.nanobroker.ring;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import static dev.nanobroker.ring.HeaderWords.*;
import static dev.nanobroker.ring.RingLayout.*;

/**
 * One ring, mapped into this process: the file {@code /dev/shm/NAME}. It owns the shared arena of its
 * mappings and every writer and reader attached through it; closing it detaches them, then unmaps.
 * Never close it while something (a JavaFX {@code PixelBuffer}, say) still wraps its pixel memory.
 *
 * <p>Shared fields are read and written only through the VarHandles here, with the orderings that
 * {@code docs/ring-layout.md} gives. The header is mapped read-write by everybody; the pixels are
 * mapped read-only unless this process opened the ring to write frames.
 */
public final class SharedRing implements AutoCloseable {

    public static final Path DIRECTORY = Path.of("/dev/shm");

    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

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
    private final MemorySegment pixels;
    private final boolean pixelsWritable;
    private final List<AutoCloseable> attached = new ArrayList<>();
    private boolean closed;

    private SharedRing(String name, Path path, Object fileKey, RingGeometry geometry, Arena arena,
                       MemorySegment header, MemorySegment pixels, boolean pixelsWritable) {
        this.name = name;
        this.path = path;
        this.fileKey = fileKey;
        this.geometry = geometry;
        this.arena = arena;
        this.header = header;
        this.pixels = pixels;
        this.pixelsWritable = pixelsWritable;
    }

    // ------------------------------------------------------------------ names

    /** The file of a ring; refuses names that could leave /dev/shm or hide from {@code ls}. */
    public static Path pathOf(String name) {
        if (name == null || !VALID_NAME.matcher(name).matches()) {
            throw new RingException("invalid ring name '" + name + "': use 1-128 letters, digits, '.', '_' or '-',"
                    + " starting with a letter or digit");
        }
        return DIRECTORY.resolve(name);
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

    static SharedRing create(String name, RingGeometry geometry, RingAccess access, boolean replace) {
        Objects.requireNonNull(geometry, "geometry");
        requireLittleEndian();
        Path path = pathOf(name);
        long fileLength = geometry.fileLength();
        if (fileLength > freeSpace()) {
            throw new RingException(noRoom(name, fileLength)); // the cheap refusal; build's reservation is the sure one
        }
        return build(name, geometry, access, replace);
    }

    /**
     * Steps 2 to 10 of creation (docs/ring-layout.md §2): builds the ring under a temporary name, its
     * pages reserved before any is touched, then gives it its name.
     */
    static SharedRing build(String name, RingGeometry geometry, RingAccess access, boolean replace) {
        Path path = pathOf(name);
        long fileLength = geometry.fileLength();
        removeDeadCreatorsTemporaries(name);
        Path temporary = DIRECTORY.resolve("." + name + ".creating-" + ProcessHandle.current().pid()
                + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        Arena arena = Arena.ofShared();
        int fd = Posix.open(temporary, Posix.O_CREAT | Posix.O_EXCL | Posix.O_RDWR | Posix.O_NOFOLLOW | Posix.O_CLOEXEC, 0600);
        if (fd < 0) {
            arena.close();
            throw new RingException("cannot create ring " + name + ": " + temporary + ": " + Posix.describe(-fd));
        }
        try {
            grant(temporary, access);
            // Reserve every page now: a full /dev/shm is then ENOSPC here, not SIGBUS on a page touched later.
            int reserved = Posix.reserve(fd, fileLength);
            if (reserved != 0) {
                throw new RingException(reserved == Posix.ENOSPC ? noRoom(name, fileLength)
                        : "cannot create ring " + name + ": cannot reserve " + megabytes(fileLength) + ": " + Posix.describe(reserved));
            }
            MemorySegment whole;
            try (FileChannel channel = FileChannel.open(Posix.descriptorPath(fd), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                whole = channel.map(FileChannel.MapMode.READ_WRITE, 0, fileLength, arena);
            }
            touchEveryPage(whole);
            initialiseHeader(whole, geometry);
            Object key = Files.readAttributes(Posix.descriptorPath(fd), BasicFileAttributes.class).fileKey();
            if (replace) {
                Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.createLink(path, temporary);
                Files.delete(temporary);
            }
            long headerLength = geometry.headerLength();
            return new SharedRing(name, path, key, geometry, arena, whole.asSlice(0, headerLength),
                    whole.asSlice(headerLength), true);
        } catch (FileAlreadyExistsException e) {
            cleanUp(arena, temporary);
            throw new RingException("ring " + name + " already exists", e);
        } catch (IOException | RuntimeException e) {
            cleanUp(arena, temporary);
            if (e instanceof RingException ringException) {
                throw ringException;
            }
            throw new RingException("cannot create ring " + name + ": " + describe(e), e);
        } finally {
            Posix.close(fd); // the mapping keeps the file; the descriptor is not needed past here
        }
    }

    /**
     * A creator that died before it linked or removed its temporary left it behind, at the ring's full
     * size and hidden from {@code ls}: the next creator of that name removes it ({@code rm --dead} any).
     */
    private static void removeDeadCreatorsTemporaries(String name) {
        for (Path leftover : StaleRings.deadCreatorTemporaries(name)) {
            try {
                Files.deleteIfExists(leftover);
            } catch (IOException ignored) {
                // another user's file, say: rm --dead reports what it cannot remove
            }
        }
    }

    /**
     * A ring on the Java heap, for tests of the protocol without a file: same header, same code paths,
     * no other process can see it. A {@code long[]} keeps every long field naturally aligned.
     */
    static SharedRing onHeap(String name, RingGeometry geometry) {
        Arena arena = Arena.ofShared();
        MemorySegment whole = MemorySegment.ofArray(new long[Math.toIntExact(geometry.fileLength() / Long.BYTES)]);
        initialiseHeader(whole, geometry);
        long headerLength = geometry.headerLength();
        return new SharedRing(name, null, null, geometry, arena, whole.asSlice(0, headerLength),
                whole.asSlice(headerLength), true);
    }

    /** Hands the file to the access's group and sets its mode (the umask may have narrowed it). */
    private static void grant(Path file, RingAccess access) throws IOException {
        if (access.group() != null) {
            GroupPrincipal group;
            try {
                group = file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(access.group());
            } catch (UserPrincipalNotFoundException e) {
                throw new RingException("there is no group named '" + access.group() + "' to share the ring with", e);
            }
            Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setGroup(group);
        }
        Files.setPosixFilePermissions(file, access.permissions());
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
        requireLittleEndian();
        Path path = pathOf(name);
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new RingNotFoundException(name, path, e);
        } catch (IOException e) {
            throw new RingException("cannot open ring " + name + ": " + describe(e), e);
        }
        if (attributes.isSymbolicLink()) {
            throw new RingException("ring " + name + ": " + path + " is a symbolic link; refusing to follow it");
        }
        if (!attributes.isRegularFile()) {
            throw new RingException("ring " + name + ": " + path + " is not a regular file");
        }
        if (!allowOtherOwner && !ownedByThisUser(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new RingException("ring " + name + " belongs to user " + attributes.owner().getName()
                    + ", not to this process's user; refusing to attach to another user's ring"
                    + " (allow it with --allow-other-owner)");
        }
        // The descriptor, not the name, says which file is mapped (§6 step 3): the name may be given to a
        // new file between the look above and the open, and a replacement is told by the file's identity.
        int fd = Posix.open(path, Posix.O_RDWR | Posix.O_NOFOLLOW | Posix.O_CLOEXEC, 0);
        if (fd < 0) {
            if (-fd == Posix.ENOENT) {
                throw new RingNotFoundException(name, path, null);
            }
            throw new RingException("cannot open ring " + name + ": " + path + ": " + Posix.describe(-fd));
        }
        Path opened = Posix.descriptorPath(fd);
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(opened, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            PosixFileAttributes openedAttributes = Files.readAttributes(opened, PosixFileAttributes.class);
            if (!openedAttributes.isRegularFile() || (!allowOtherOwner && !ownedByThisUser(opened))) {
                throw new RingException("ring " + name + ": " + path + " was replaced by another kind of file while it was opened");
            }
            long size = channel.size();
            if (size < STATIC_LINE_LENGTH) {
                throw new RingException("ring " + name + " is truncated: " + size + " bytes, less than its "
                        + STATIC_LINE_LENGTH + "-byte first header line");
            }
            ByteBuffer line = ByteBuffer.allocate(STATIC_LINE_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            while (line.hasRemaining()) {
                if (channel.read(line, line.position()) < 0) {
                    throw new RingException("ring " + name + " is truncated while reading its header");
                }
            }
            RingGeometry geometry = validateStaticLine(name, line, size);
            long headerLength = geometry.headerLength();
            MemorySegment header = channel.map(FileChannel.MapMode.READ_WRITE, 0, headerLength, arena);
            MemorySegment pixels = channel.map(writeFrames ? FileChannel.MapMode.READ_WRITE : FileChannel.MapMode.READ_ONLY,
                    headerLength, geometry.fileLength() - headerLength, arena);
            return new SharedRing(name, path, openedAttributes.fileKey(), geometry, arena, header, pixels, writeFrames);
        } catch (IOException | RuntimeException e) {
            arena.close();
            if (e instanceof RingException ringException) {
                throw ringException;
            }
            throw new RingException("cannot open ring " + name + ": " + describe(e), e);
        } finally {
            Posix.close(fd);
        }
    }

    /** Compares uids (the owner of /proc/self is this process's effective uid), not user names. */
    private static boolean ownedByThisUser(Path path, LinkOption... options) {
        try {
            Object owner = Files.getAttribute(path, "unix:uid", options);
            return owner.equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            try {
                return Files.getOwner(path, options).getName().equals(System.getProperty("user.name"));
            } catch (IOException unreadable) {
                return false;
            }
        }
    }

    /** Checks the first header line, read into a heap buffer, against the file's real size. */
    static RingGeometry validateStaticLine(String name, ByteBuffer line, long fileSize) {
        if (line.getLong(MAGIC_OFFSET) != MAGIC) {
            throw new RingException("ring " + name + " is not a NanoBroker ring (bad magic number)");
        }
        int version = line.getInt(VERSION_OFFSET);
        if (version != LAYOUT_VERSION) {
            throw new RingException("ring " + name + " has layout version " + version
                    + "; this NanoBroker reads version " + LAYOUT_VERSION);
        }
        int format = line.getInt(PIXEL_FORMAT_OFFSET);
        if (format != PIXEL_FORMAT_BGRA_PRE) {
            throw new RingException("ring " + name + " has unknown pixel format " + format);
        }
        RingGeometry geometry;
        try {
            geometry = new RingGeometry(line.getInt(WIDTH_OFFSET), line.getInt(HEIGHT_OFFSET),
                    line.getInt(ROW_STRIDE_OFFSET), line.getInt(SLOT_COUNT_OFFSET));
        } catch (IllegalArgumentException e) {
            throw new RingException("ring " + name + " has an invalid geometry: " + e.getMessage(), e);
        }
        if (line.getLong(SLOT_STRIDE_OFFSET) != geometry.slotStride()
                || line.getLong(PIXELS_OFFSET_OFFSET) != geometry.headerLength()
                || line.getLong(FILE_LENGTH_OFFSET) != geometry.fileLength()) {
            throw new RingException("ring " + name + " has an inconsistent header: its slot stride, pixel offset"
                    + " or length do not follow from " + geometry);
        }
        if (fileSize < geometry.fileLength()) {
            throw new RingException("ring " + name + " is truncated: the file has " + fileSize
                    + " bytes, its header needs " + geometry.fileLength());
        }
        return geometry;
    }

    /** The layout is little-endian and the VarHandles here use native order: they must agree. */
    private static void requireLittleEndian() {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new RingException("NanoBroker rings are little-endian; this machine is " + ByteOrder.nativeOrder());
        }
    }

    private static long freeSpace() {
        try {
            return Files.getFileStore(DIRECTORY).getUsableSpace();
        } catch (IOException e) {
            throw new RingException(DIRECTORY + " is not usable: " + describe(e), e);
        }
    }

    private static String noRoom(String name, long needed) {
        return "ring " + name + " needs " + megabytes(needed) + " but " + DIRECTORY + " has only " + megabytes(freeSpace())
                + " free; use fewer slots or a smaller frame";
    }

    /** Writes one byte per page so that page faults happen now, not on the first frames (the pages are reserved). */
    private static void touchEveryPage(MemorySegment whole) {
        for (long offset = 0; offset < whole.byteSize(); offset += PAGE_LENGTH) {
            whole.set(ValueLayout.JAVA_BYTE, offset, (byte) 0);
        }
    }

    private static void initialiseHeader(MemorySegment whole, RingGeometry geometry) {
        whole.set(ValueLayout.JAVA_INT, VERSION_OFFSET, LAYOUT_VERSION);
        whole.set(ValueLayout.JAVA_INT, PIXEL_FORMAT_OFFSET, PIXEL_FORMAT_BGRA_PRE);
        whole.set(ValueLayout.JAVA_INT, SLOT_COUNT_OFFSET, geometry.slotCount());
        whole.set(ValueLayout.JAVA_INT, WIDTH_OFFSET, geometry.width());
        whole.set(ValueLayout.JAVA_INT, HEIGHT_OFFSET, geometry.height());
        whole.set(ValueLayout.JAVA_INT, ROW_STRIDE_OFFSET, geometry.rowStride());
        whole.set(ValueLayout.JAVA_LONG, SLOT_STRIDE_OFFSET, geometry.slotStride());
        whole.set(ValueLayout.JAVA_LONG, PIXELS_OFFSET_OFFSET, geometry.headerLength());
        whole.set(ValueLayout.JAVA_LONG, FILE_LENGTH_OFFSET, geometry.fileLength());
        whole.set(ValueLayout.JAVA_LONG, CREATED_MILLIS_OFFSET, System.currentTimeMillis());
        whole.set(ValueLayout.JAVA_INT, STATE_OFFSET, STATE_OPEN);
        for (int reader = 0; reader < MAX_READERS; reader++) {
            whole.set(ValueLayout.JAVA_LONG, readerOffset(reader) + READER_TAIL_OFFSET, TAIL_FREE);
        }
        for (int slot = 0; slot < geometry.slotCount(); slot++) {
            whole.set(ValueLayout.JAVA_LONG, descriptorOffset(slot) + DESCRIPTOR_SEQUENCE_OFFSET, SEQUENCE_EMPTY);
        }
        // The magic goes last: a file without it is not a ring, whoever looks at it.
        putLongRelease(whole, MAGIC_OFFSET, MAGIC);
    }

    private static void cleanUp(Arena arena, Path temporary) {
        arena.close();
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException ignored) {
            // Nothing more to do: the temporary name starts with a dot and holds no published ring.
        }
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
            reader = new RingReader(this, line, mode);
        } catch (RuntimeException e) {
            putLongRelease(header, readerOffset(line) + READER_OWNER_OFFSET, 0L); // its tail is still TAIL_FREE
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
        for (int line = 0; line < MAX_READERS; line++) {
            long owner = readerOffset(line) + READER_OWNER_OFFSET;
            if (getLongAcquire(header, owner) == 0 && compareAndSetLong(header, owner, 0L, me)) {
                return line;
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
        for (int line = 0; line < MAX_READERS; line++) {
            long ownerOffset = readerOffset(line) + READER_OWNER_OFFSET;
            long owner = getLongAcquire(header, ownerOffset);
            if (owner == 0 || ProcessIdentity.isAlive(owner)) {
                continue; // free, alive, or being reclaimed by a live process
            }
            if (compareAndSetLong(header, ownerOffset, owner, me)) {
                putLongRelease(header, readerOffset(line) + READER_TAIL_OFFSET, TAIL_FREE);
                putLongRelease(header, ownerOffset, 0L);
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
        if (path == null) {
            return false;
        }
        try {
            return !fileKey.equals(Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey());
        } catch (IOException e) {
            return true;
        }
    }

    /** A consistent-enough picture of the header for tools: each field is read once, atomically. */
    public RingStatus status() {
        long head = head();
        List<RingStatus.Reader> readers = new ArrayList<>(MAX_READERS);
        for (int line = 0; line < MAX_READERS; line++) {
            long base = readerOffset(line);
            long owner = getLongAcquire(header, base + READER_OWNER_OFFSET);
            long tail = getLongAcquire(header, base + READER_TAIL_OFFSET);
            readers.add(new RingStatus.Reader(line, owner, owner != 0 && ProcessIdentity.isAlive(owner),
                    ReadMode.fromCode(getIntAcquire(header, base + READER_MODE_OFFSET)),
                    tail, owner == 0 || tail == TAIL_FREE ? 0 : Math.max(0, head - tail),
                    getLongOpaque(header, base + READER_FRAMES_OFFSET),
                    getLongOpaque(header, base + READER_SKIPPED_OFFSET),
                    getLongOpaque(header, base + READER_LOST_OFFSET),
                    getLongOpaque(header, base + READER_TORN_OFFSET),
                    getLongOpaque(header, base + READER_LATENCY_OFFSET)));
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
        int slot = (int) (sequence % geometry.slotCount());
        long descriptor = descriptorOffset(slot) + DESCRIPTOR_SEQUENCE_OFFSET;
        if (getLongAcquire(header, descriptor) != sequence) {
            return false;
        }
        MemorySegment.copy(slotPixels(slot), 0, target, 0, geometry.frameLength());
        VarHandle.acquireFence(); // the copy's loads happen before the sequence is read again
        return getLongOpaque(header, descriptor) == sequence;
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
        return pixels.asSlice(slot * geometry.slotStride(), geometry.frameLength());
    }

    void markClosed() {
        putIntRelease(header, STATE_OFFSET, STATE_CLOSED);
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

    /**
     * Names of the rings in {@link #DIRECTORY}: regular files, not hidden, that start with the ring
     * magic. Files that are rings but fail validation are listed too, so tools can say why.
     */
    public static List<String> listNames() {
        List<String> names = new ArrayList<>();
        try (var entries = Files.newDirectoryStream(DIRECTORY)) {
            for (Path entry : entries) {
                String fileName = entry.getFileName().toString();
                if (VALID_NAME.matcher(fileName).matches() && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)
                        && startsWithMagic(entry)) {
                    names.add(fileName);
                }
            }
        } catch (IOException e) {
            throw new RingException("cannot list " + DIRECTORY + ": " + describe(e), e);
        }
        names.sort(null);
        return names;
    }

    private static boolean startsWithMagic(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer magic = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            return channel.read(magic, 0) == 8 && magic.getLong(0) == MAGIC;
        } catch (IOException e) {
            return false; // unreadable (another user's file, say): not ours to list
        }
    }

    /** Removes the ring's name; processes that mapped it keep their mapping until they close it. */
    public static void unlink(String name) {
        try {
            Files.deleteIfExists(pathOf(name));
        } catch (IOException e) {
            throw new RingException("cannot remove ring " + name + ": " + describe(e), e);
        }
    }

    static String describe(Exception e) {
        String message = e.getMessage();
        String kind = e.getClass().getSimpleName();
        return message == null ? kind : kind + " " + message;
    }

    private static String megabytes(long bytes) {
        return String.format("%.1f MB", bytes / 1e6);
    }
}
