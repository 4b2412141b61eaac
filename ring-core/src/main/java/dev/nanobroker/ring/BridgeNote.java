package dev.nanobroker.ring;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a bridge end says about the ring it reads ({@code bridge send}) or writes ({@code bridge
 * receive}), for {@code stat} and viewers: its counts, where the other end is, and what it knows of
 * the other host's clock. The ring's own layout has no place for them (a receiver is, to the ring,
 * just a writer; a sender just a reader), so each bridge end rewrites a small text file of Java
 * properties once a second, {@code /dev/shm/nanobroker-bridges/RING.ROLE.PID}, by an atomic rename,
 * and removes it when it stops. A note whose process is gone (a bridge killed with SIGKILL) is not
 * taken, and the look that finds it removes it. Not part of the ring's layout: nothing in the ring
 * depends on it (docs/bridge.md, "Where the counts show").
 *
 * @param role       which end wrote it
 * @param process    the writer's {@link ProcessIdentity} token
 * @param ring       the ring on this host: the one sent, or the one received into
 * @param peer       the other end in words: "to 198.18.77.2:40456", "from 198.18.77.1, ring cam0"
 * @param counts     the end's counts by name, in the order its status line gives them
 * @param clock      what a receiver knows of the sender's clock; null for a sender
 * @param updatedMillis when it was written, ms since the Unix epoch
 */
public record BridgeNote(Role role, long process, String ring, String peer, Map<String, Long> counts, Clock clock,
                         long updatedMillis) {

    /** Where the notes are. */
    static final Path DIRECTORY = RingFiles.DIRECTORY.resolve("nanobroker-bridges");
    /** The directory's mode: rwxrwxrwt. */
    private static final int STICKY_AND_WRITABLE_BY_ALL = 01777;
    /** Whether this process has swept the notes of dead bridges (once, at its first write). */
    private static final AtomicBoolean SWEPT = new AtomicBoolean();

    public BridgeNote {
        counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    }

    /** Which end of a bridge. */
    public enum Role {
        SEND, RECEIVE;

        String fileWord() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What a receiver knows of its sender's clock.
     *
     * @param known         whether the sender reads this host's clock, one whose offset is estimated, or one not known yet
     * @param offsetNanos   the sender's clock minus this host's (0 unless estimated)
     * @param accuracyNanos the offset is within ± this
     */
    public record Clock(Known known, long offsetNanos, long accuracyNanos) {

        public static final Clock SAME_HOST = new Clock(Known.SAME_HOST, 0, 0);
        public static final Clock UNKNOWN = new Clock(Known.UNKNOWN, 0, 0);

        /** How much is known of the sender's clock; {@link #word} is how notes, reports and JSON say it. */
        public enum Known {
            SAME_HOST("same host"), ESTIMATED("estimated"), UNKNOWN("unknown");

            private final String word;

            Known(String word) {
                this.word = word;
            }

            public String word() {
                return word;
            }

            /** @throws IllegalArgumentException when {@code word} names none */
            public static Known ofWord(String word) {
                for (Known known : values()) {
                    if (known.word.equals(word)) {
                        return known;
                    }
                }
                throw new IllegalArgumentException("clock '" + word + "'");
            }
        }

        public static Clock estimated(long offsetNanos, long accuracyNanos) {
            return new Clock(Known.ESTIMATED, offsetNanos, accuracyNanos);
        }

        /** The received ring's publish times are the producer's, on this host's clock: its latency is end to end. */
        public boolean endToEnd() {
            return known != Known.UNKNOWN;
        }

        /**
         * {@code localNanos} of this host's clock on the sender's (the producer's host's, on which its
         * pictures' latency clock is drawn): moved by the offset once estimated, as it is otherwise.
         */
        public long onSenderClock(long localNanos) {
            return localNanos + offsetNanos;
        }

        /** In words, for a status line or a viewer: "same host", "estimated, ± 0.58 ms", "unknown". */
        public String words() {
            return known == Known.ESTIMATED ? String.format(Locale.ROOT, "estimated, ± %.2f ms", accuracyNanos / 1e6) : known.word();
        }
    }

    /** This process's note as {@code role} about {@code ring}, written now. */
    public static BridgeNote now(Role role, String ring, String peer, Map<String, Long> counts, Clock clock) {
        return new BridgeNote(role, ProcessIdentity.current(), ring, peer, counts, clock, System.currentTimeMillis());
    }

    /**
     * Writes this note in place of the last, whole (a reader never sees half of one). The first write
     * of a process also removes the notes of bridges that died. A note that cannot be written is
     * skipped: the bridge goes on without it.
     */
    public void write() {
        if (SWEPT.compareAndSet(false, true)) {
            removeNotesOfDeadProcesses();
        }
        try {
            createDirectory();
            Path target = path(role, ring, process);
            Path temporary = DIRECTORY.resolve("." + target.getFileName() + ".writing");
            try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                properties().store(writer, "nanobroker bridge " + role.fileWord() + " of ring " + ring);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            // A note is for people looking; the bridge's work does not depend on it.
        }
    }

    /**
     * Makes the notes' directory, if no bridge has yet, as /tmp is made: every user's bridges write
     * their notes there (mode 1777), and only a note's owner may remove or replace it (the sticky bit).
     */
    private static void createDirectory() throws IOException {
        try {
            Files.createDirectory(DIRECTORY);
        } catch (FileAlreadyExistsException e) {
            return;
        }
        Posix.chmod(DIRECTORY, STICKY_AND_WRITABLE_BY_ALL);
    }

    /** Removes this process's note as {@code role} about {@code ring}, if any. */
    public static void remove(Role role, String ring) {
        try {
            Files.deleteIfExists(path(role, ring, ProcessIdentity.current()));
        } catch (IOException e) {
            // Left behind: readers skip it once this process is gone, and the next bridge removes it.
        }
    }

    /** Removes every note whose process is gone (bridges killed with SIGKILL cannot remove their own). */
    public static void removeNotesOfDeadProcesses() {
        if (!Files.isDirectory(DIRECTORY)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(DIRECTORY)) {
            for (Path entry : entries) {
                BridgeNote note = read(entry);
                if (note != null && !ProcessIdentity.isAlive(note.process())) {
                    removeStale(entry);
                }
            }
        } catch (IOException e) {
            // Left for the next look: a stale note is skipped by every reader.
        }
    }

    /** Removes a dead bridge's note; one of another user's stays (the sticky bit), skipped by every reader. */
    private static void removeStale(Path note) {
        try {
            Files.deleteIfExists(note);
        } catch (IOException e) {
            // Not ours to remove: its owner's next bridge will.
        }
    }

    /** The notes of live bridges about {@code ring}, senders first; none when there are none. */
    public static List<BridgeNote> of(String ring) {
        List<BridgeNote> notes = new ArrayList<>();
        if (!Files.isDirectory(DIRECTORY)) {
            return notes;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(DIRECTORY, globEscaped(ring) + ".*.*")) {
            for (Path entry : entries) {
                BridgeNote note = read(entry);
                if (note == null) {
                    continue;
                }
                if (!ProcessIdentity.isAlive(note.process())) {
                    removeStale(entry); // a bridge killed before it could remove its note
                } else if (note.ring().equals(ring)) {
                    notes.add(note);
                }
            }
        } catch (IOException e) {
            return notes;
        }
        notes.sort(Comparator.comparing(BridgeNote::role).thenComparingLong(BridgeNote::process));
        return notes;
    }

    /** The live receiver's note about {@code ring}, or null when no bridge receives into it. */
    public static BridgeNote receiverOf(String ring) {
        return of(ring).stream().filter(note -> note.role() == Role.RECEIVE).findFirst().orElse(null);
    }

    private static Path path(Role role, String ring, long process) {
        return DIRECTORY.resolve(ring + "." + role.fileWord() + "." + ProcessIdentity.pid(process));
    }

    private static String globEscaped(String text) {
        return text.replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1");
    }

    private Properties properties() {
        Properties properties = new Properties();
        properties.setProperty("role", role.fileWord());
        properties.setProperty("process", Long.toString(process));
        properties.setProperty("ring", ring);
        properties.setProperty("peer", peer);
        properties.setProperty("counts", String.join(",", counts.keySet()));
        counts.forEach((name, value) -> properties.setProperty("count." + name, Long.toString(value)));
        if (clock != null) {
            properties.setProperty("clock", clock.known().word());
            properties.setProperty("clock.offsetNanos", Long.toString(clock.offsetNanos()));
            properties.setProperty("clock.accuracyNanos", Long.toString(clock.accuracyNanos()));
        }
        properties.setProperty("updatedMillis", Long.toString(updatedMillis));
        return properties;
    }

    /** The note in {@code file}, or null when it is not one (half a file of another version, say). */
    static BridgeNote read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
            Map<String, Long> counts = new LinkedHashMap<>();
            for (String name : properties.getProperty("counts", "").split(",")) {
                if (!name.isEmpty()) {
                    counts.put(name, Long.parseLong(properties.getProperty("count." + name)));
                }
            }
            String known = properties.getProperty("clock");
            Clock clock = known == null ? null : new Clock(Clock.Known.ofWord(known), Long.parseLong(properties.getProperty("clock.offsetNanos")),
                    Long.parseLong(properties.getProperty("clock.accuracyNanos")));
            return new BridgeNote(Role.valueOf(properties.getProperty("role").toUpperCase(Locale.ROOT)),
                    Long.parseLong(properties.getProperty("process")), properties.getProperty("ring"), properties.getProperty("peer"),
                    counts, clock, Long.parseLong(properties.getProperty("updatedMillis")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** One line for {@code stat}: "bridge receive (pid 812, from 198.18.77.1, ring cam0): received 300, lost 0, ...; clock same host". */
    public String describe() {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "bridge %s (pid %d, %s):", role.fileWord(),
                ProcessIdentity.pid(process), peer));
        String separator = " ";
        for (Map.Entry<String, Long> count : counts.entrySet()) {
            line.append(separator).append(count.getKey()).append(' ').append(count.getValue());
            separator = ", ";
        }
        if (clock != null) {
            line.append("; sender's clock ").append(clock.words());
        }
        return line.toString();
    }
}
