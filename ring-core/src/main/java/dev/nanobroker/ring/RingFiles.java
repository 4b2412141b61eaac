package dev.nanobroker.ring;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import static dev.nanobroker.ring.HeaderWords.*;
import static dev.nanobroker.ring.RingLayout.*;

/**
 * The file-system side of rings: names, listing, creating (under a temporary name, then linked or
 * renamed into place), opening with every check made before a byte is mapped, and unlinking
 * (docs/ring-layout.md §2 and §6). What it hands back is a {@link Mapping}; {@link SharedRing}
 * turns that into a ring to attach writers and readers to. Stateless; safe from any thread.
 */
final class RingFiles {

    static final Path DIRECTORY = Path.of("/dev/shm");

    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /** One ring file, mapped: the header read-write, the pixels read-write only when {@code pixelsWritable}. */
    record Mapping(String name, Path path, Object fileKey, RingGeometry geometry, Arena arena,
                   MemorySegment header, MemorySegment pixels, boolean pixelsWritable) {
    }

    private RingFiles() {
    }

    /** The file of a ring; refuses names that could leave /dev/shm or hide from {@code ls}. */
    static Path pathOf(String name) {
        if (name == null || !VALID_NAME.matcher(name).matches()) {
            throw new RingException("invalid ring name '" + name + "': use 1-128 letters, digits, '.', '_' or '-',"
                    + " starting with a letter or digit");
        }
        return DIRECTORY.resolve(name);
    }

    // ------------------------------------------------------------------ create and open

    /**
     * Creates a ring file, or (with {@code replace}) renames a new one over the old; refuses at once
     * when /dev/shm has not the room.
     */
    static Mapping create(String name, RingGeometry geometry, RingAccess access, boolean replace) {
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
    static Mapping build(String name, RingGeometry geometry, RingAccess access, boolean replace) {
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
            return new Mapping(name, path, key, geometry, arena, whole.asSlice(0, headerLength),
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
    static Mapping onHeap(String name, RingGeometry geometry) {
        Arena arena = Arena.ofShared();
        MemorySegment whole = MemorySegment.ofArray(new long[Math.toIntExact(geometry.fileLength() / Long.BYTES)]);
        initialiseHeader(whole, geometry);
        long headerLength = geometry.headerLength();
        return new Mapping(name, null, null, geometry, arena, whole.asSlice(0, headerLength),
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

    /**
     * Opens an existing ring file. Everything is checked through ordinary reads before any byte is
     * mapped: no symlink, owned by this user unless {@code allowOtherOwner}, a regular file at least as
     * long as its header claims, magic, version and a sane geometry. Mapping a file shorter than its
     * mapping would raise SIGBUS later.
     */
    static Mapping open(String name, boolean writeFrames, boolean allowOtherOwner) {
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
            return new Mapping(name, path, openedAttributes.fileKey(), geometry, arena, header, pixels, writeFrames);
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

    /**
     * Whether {@code path} now names another file than the one with {@code fileKey}, or none: the
     * ring mapped from it was replaced or removed.
     */
    static boolean namesAnotherFile(Path path, Object fileKey) {
        try {
            return !fileKey.equals(Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey());
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * Names of the rings in {@link #DIRECTORY}: regular files, not hidden, that start with the ring
     * magic. Files that are rings but fail validation are listed too, so tools can say why.
     */
    static List<String> listNames() {
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
    static void unlink(String name) {
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
