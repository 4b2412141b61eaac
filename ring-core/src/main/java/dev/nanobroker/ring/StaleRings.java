package dev.nanobroker.ring;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds and removes what dead processes left in /dev/shm. A ring lives in tmpfs, that is in memory,
 * until someone unlinks it: a producer that is SIGKILLed (or exits without {@code --unlink}) leaves
 * its whole ring behind, and a producer killed while creating one leaves the hidden temporary it was
 * building ({@code .NAME.creating-PID-RANDOM}, already at the ring's full size). Nothing else ever
 * frees that memory, so tools need a safe way to tell such leftovers from rings in use.
 *
 * <p>Safe means that nothing live is ever removed. A ring is stale only when no writer and no reader
 * attached to it runs ({@link ProcessIdentity#isAlive}, which calls a process dead only when the OS
 * says so), a temporary only when no process has its creator's pid. A ring is looked at again just
 * before it goes: it is first renamed to a hidden name (so that no producer can join or replace it by
 * name meanwhile), checked to be the file that was looked at and still stale, and only then unlinked;
 * otherwise it is put back. A file that is not a valid ring is never removed here. One race is left:
 * a producer that opened the ring by name before the rename and attaches its writer after the last
 * look (microseconds apart in {@code openForWriting}) goes on writing into a file nobody can find.
 * Rings younger than {@link #MINIMUM_AGE} are left alone, which covers the same gap for a ring its
 * producer has just created.
 */
public final class StaleRings {

    /** A stale ring created less than this ago is skipped: its producer may still be attaching. */
    public static final Duration MINIMUM_AGE = Duration.ofSeconds(2);

    /**
     * A creating ring's temporary ({@code .NAME.creating-PID-RANDOM}, see {@link SharedRing}), or one
     * this class renamed a ring to while removing it ({@code .NAME.removing-PID-RANDOM}).
     */
    private static final Pattern TEMPORARY = Pattern.compile(
            "\\.([A-Za-z0-9][A-Za-z0-9._-]{0,127})\\.(creating|removing)-([0-9]{1,10})-([0-9a-f]{1,16})");

    private StaleRings() {
    }

    /** Why a ring or file was left in place. */
    public enum SkipReason {
        /** The file starts like a ring but cannot be opened as one (truncated, corrupt, another user's). */
        NOT_A_RING,
        /** Stale, but created less than the minimum age ago. */
        TOO_YOUNG,
        /** Stale when first looked at, in use (or replaced) when looked at again. */
        IN_USE_AGAIN,
        /** Removing it failed (permissions, say). */
        FAILED
    }

    /**
     * A ring that was removed.
     *
     * @param producerPid pid of the writer that attached last (0: none ever did)
     * @param closed whether its producer had closed it (exited cleanly) rather than died
     * @param deadReaders reader lines still held by processes that no longer run
     */
    public record RemovedRing(String name, int producerPid, boolean closed, int deadReaders, long bytes) {
    }

    /** A ring or temporary left in place, and why. */
    public record Skipped(String name, SkipReason reason, String detail) {
    }

    /** What {@link #removeDead} did; {@code temporaries} are the creators' temporaries it removed. */
    public record Report(List<RemovedRing> rings, List<Temporary> temporaries, List<Skipped> skipped) {

        public Report {
            rings = List.copyOf(rings);
            temporaries = List.copyOf(temporaries);
            skipped = List.copyOf(skipped);
        }

        public long bytesFreed() {
            return rings.stream().mapToLong(RemovedRing::bytes).sum()
                    + temporaries.stream().mapToLong(Temporary::bytes).sum();
        }

        /** Whether nothing was removed and nothing skipped. */
        public boolean empty() {
            return rings.isEmpty() && temporaries.isEmpty() && skipped.isEmpty();
        }
    }

    /** A creator's temporary file, parsed from its name. */
    public record Temporary(Path path, String ringName, int creatorPid, long bytes) {
    }

    /**
     * Whether a ring is stale: no attached writer runs and no attached reader runs (every writer and
     * reader entry is free or names a dead process), and no live process holds its write lock.
     */
    public static boolean isStale(RingStatus status) {
        if (status.liveWriters() > 0) {
            return false;
        }
        if (status.lockOwner() != 0 && ProcessIdentity.isAlive(status.lockOwner())) {
            return false;
        }
        return status.readers().stream().noneMatch(reader -> reader.attached() && reader.alive());
    }

    /** Attached reader lines whose process no longer runs. */
    public static int deadReaders(RingStatus status) {
        return (int) status.readers().stream().filter(reader -> reader.attached() && !reader.alive()).count();
    }

    /** The temporaries in /dev/shm whose creator's pid no longer exists (a live pid, even a reused one, keeps its file). */
    public static List<Path> deadCreatorTemporaries() {
        return deadTemporaries(name -> true).stream().map(Temporary::path).toList();
    }

    /** {@link #deadCreatorTemporaries()} of one ring name. */
    public static List<Path> deadCreatorTemporaries(String name) {
        SharedRing.pathOf(name); // refuses a bad name
        return deadTemporaries(name::equals).stream().map(Temporary::path).toList();
    }

    /** The dead creators' temporaries of the ring names that match, with their pid and size. */
    public static List<Temporary> deadTemporaries(Predicate<String> ringNames) {
        List<Temporary> found = new ArrayList<>();
        try (var entries = Files.newDirectoryStream(SharedRing.DIRECTORY, ".*")) {
            for (Path entry : entries) {
                Temporary temporary = parse(entry);
                if (temporary != null && ringNames.test(temporary.ringName())
                        && !ProcessIdentity.pidExists(temporary.creatorPid())) {
                    found.add(temporary);
                }
            }
        } catch (IOException e) {
            throw new RingException("cannot list " + SharedRing.DIRECTORY + ": " + RingFiles.describe(e), e);
        }
        found.sort((a, b) -> a.path().compareTo(b.path()));
        return found;
    }

    /** The temporary a file name says this is, or null: not one, not a regular file, or gone. */
    private static Temporary parse(Path file) {
        Matcher matcher = TEMPORARY.matcher(file.getFileName().toString());
        if (!matcher.matches()) {
            return null;
        }
        long pid = Long.parseLong(matcher.group(3));
        if (pid <= 0 || pid > Integer.MAX_VALUE) {
            return null;
        }
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                return null;
            }
            return new Temporary(file, matcher.group(1), (int) pid, attributes.size());
        } catch (IOException gone) {
            return null;
        }
    }

    /** Removes every stale ring and every dead creator's temporary in /dev/shm; see the class comment. */
    public static Report removeDead() {
        return removeDead(name -> true, MINIMUM_AGE);
    }

    /**
     * {@link #removeDead()} for the ring names that match only (a temporary goes by the name of the
     * ring it was to become), skipping stale rings created less than {@code minimumAge} ago.
     */
    public static Report removeDead(Predicate<String> ringNames, Duration minimumAge) {
        Objects.requireNonNull(ringNames, "ringNames");
        Objects.requireNonNull(minimumAge, "minimumAge");
        List<RemovedRing> rings = new ArrayList<>();
        List<Temporary> temporaries = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (String name : SharedRing.listNames()) {
            if (ringNames.test(name)) {
                removeIfStale(name, minimumAge, rings, skipped);
            }
        }
        for (Temporary temporary : deadTemporaries(ringNames)) {
            String fileName = temporary.path().getFileName().toString();
            try {
                // Looked at again: the pid may have been taken by a new process meanwhile.
                if (!ProcessIdentity.pidExists(temporary.creatorPid()) && Files.deleteIfExists(temporary.path())) {
                    temporaries.add(temporary);
                }
            } catch (IOException e) {
                skipped.add(new Skipped(fileName, SkipReason.FAILED, "cannot remove it: " + RingFiles.describe(e)));
            }
        }
        return new Report(rings, temporaries, skipped);
    }

    private static void removeIfStale(String name, Duration minimumAge, List<RemovedRing> removed, List<Skipped> skipped) {
        SharedRing ring;
        try {
            ring = SharedRing.open(name);
        } catch (RingNotFoundException gone) {
            return; // removed by someone else since it was listed
        } catch (RingException e) {
            skipped.add(new Skipped(name, SkipReason.NOT_A_RING, e.getMessage()));
            return;
        }
        try (ring) {
            RingStatus status = ring.status();
            if (!isStale(status)) {
                return;
            }
            long ageMillis = System.currentTimeMillis() - status.createdMillis();
            if (ageMillis < minimumAge.toMillis()) {
                skipped.add(new Skipped(name, SkipReason.TOO_YOUNG, String.format(
                        "created %.1f s ago, its producer may still be attaching; try again in a moment", ageMillis / 1e3)));
                return;
            }
            Path path = ring.path();
            Object looked = fileKey(path);
            if (looked == null || ring.isReplaced()) {
                return; // gone or replaced since it was opened: the next run looks at the new one
            }
            Path hidden = SharedRing.DIRECTORY.resolve("." + name + ".removing-" + ProcessHandle.current().pid()
                    + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
            try {
                Files.move(path, hidden, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException gone) {
                return;
            }
            // No producer can find it by name now. Is it the file we looked at, and still stale?
            RingStatus again = ring.status();
            if (!looked.equals(fileKey(hidden)) || !isStale(again)) {
                skipped.add(new Skipped(name, SkipReason.IN_USE_AGAIN, putBack(hidden, path)));
                return;
            }
            Files.delete(hidden);
            removed.add(new RemovedRing(name, again.producerPid(), again.closed(), deadReaders(again),
                    again.geometry().fileLength()));
        } catch (IOException e) {
            skipped.add(new Skipped(name, SkipReason.FAILED, "cannot remove it: " + RingFiles.describe(e)));
        }
    }

    /** Links the file back to its name; says what happened, for the report. */
    private static String putBack(Path hidden, Path path) {
        try {
            Files.createLink(path, hidden);
            Files.delete(hidden);
            return "a process attached to it, or replaced it, while it was being removed; left in place";
        } catch (FileAlreadyExistsException taken) {
            return "a process attached to it while it was being removed, and a new ring took its name meanwhile;"
                    + " the old file is left as " + hidden.getFileName();
        } catch (IOException e) {
            return "a process attached to it while it was being removed, and it could not be put back ("
                    + RingFiles.describe(e) + "); it is left as " + hidden.getFileName();
        }
    }

    private static Object fileKey(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException gone) {
            return null;
        }
    }
}
