package dev.nanobroker.bridge;

import io.aeron.Aeron;
import io.aeron.CncFileDescriptor;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.exceptions.AeronException;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * This process's way to Aeron: a media driver embedded in the JVM (the default: nothing else to
 * start) or one already running in its own directory ({@code --aeron-dir}), and the client
 * connected to it. Errors Aeron reports from its own threads are kept ({@link #lastError}) rather
 * than printed as stack traces; what the bridge cannot work with becomes a {@link BridgeException}.
 */
public final class AeronConnection implements AutoCloseable {

    /** Embedded drivers' directories: {@code /dev/shm/nanobroker-aeron-PID}, removed on a clean exit. */
    static final String EMBEDDED_PREFIX = "nanobroker-aeron-";
    static final Path EMBEDDED_PARENT = Path.of("/dev/shm");

    static final long IMAGE_LIVENESS_TIMEOUT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(3);

    private final MediaDriver driver;
    private final Aeron aeron;
    private final String directory;
    private final AtomicReference<Throwable> lastError;

    private AeronConnection(MediaDriver driver, Aeron aeron, String directory, AtomicReference<Throwable> lastError) {
        this.driver = driver;
        this.aeron = aeron;
        this.directory = directory;
        this.lastError = lastError;
    }

    /**
     * Starts a media driver in this JVM, in a directory of its own, and connects to it. First removes
     * the directories that killed bridges left behind (their process is gone). One shared driver
     * thread, which backs off to 1 ms sleeps when idle: a bridge on a small machine must not take a core.
     */
    public static AeronConnection embedded() {
        removeDirectoriesOfDeadProcesses();
        Path directory = EMBEDDED_PARENT.resolve(EMBEDDED_PREFIX + ProcessHandle.current().pid());
        AtomicReference<Throwable> lastError = new AtomicReference<>();
        MediaDriver.Context context = new MediaDriver.Context()
                .aeronDirectoryName(directory.toString())
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(new BackoffIdleStrategy())
                .termBufferSparseFile(true)
                // A receiver whose stream stopped at a gap it can no longer get repaired (it was
                // stopped or too slow while a multicast or MDC sender went on without it) gets a
                // new image at the sender's position after this, its frames in between counted
                // lost: 3 s, not Aeron's 10, so that it shows pictures again soon.
                .imageLivenessTimeoutNs(IMAGE_LIVENESS_TIMEOUT_NANOS)
                .errorHandler(lastError::set);
        MediaDriver driver;
        try {
            driver = MediaDriver.launch(context);
        } catch (RuntimeException e) {
            throw new BridgeException("cannot start the embedded Aeron media driver in " + directory + ": " + e.getMessage(), e);
        }
        try {
            return new AeronConnection(driver, connect(directory.toString(), lastError), directory.toString(), lastError);
        } catch (RuntimeException e) {
            driver.close();
            throw e;
        }
    }

    /** Connects to the media driver that runs in {@code directory} (an {@code aeronmd}, or another JVM's). */
    public static AeronConnection external(Path directory) {
        if (!Files.exists(directory.resolve(CncFileDescriptor.CNC_FILE))) {
            throw new BridgeException("no Aeron media driver runs in " + directory + " (no " + CncFileDescriptor.CNC_FILE
                    + "): start one there (aeronmd -Daeron.dir=" + directory + "), or leave --aeron-dir out to embed one");
        }
        AtomicReference<Throwable> lastError = new AtomicReference<>();
        return new AeronConnection(null, connect(directory.toString(), lastError), directory.toString(), lastError);
    }

    private static Aeron connect(String directory, AtomicReference<Throwable> lastError) {
        try {
            return Aeron.connect(new Aeron.Context()
                    .aeronDirectoryName(directory)
                    .errorHandler(lastError::set)
                    .subscriberErrorHandler(lastError::set));
        } catch (AeronException | IllegalStateException e) {
            throw new BridgeException("cannot connect to the Aeron media driver in " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes embedded drivers' directories whose process is gone (a bridge killed with SIGKILL cannot
     * remove its own). A directory whose pid now names another, live process stays: it is small, and
     * the next look removes it once that process is gone too.
     */
    public static void removeDirectoriesOfDeadProcesses() {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(EMBEDDED_PARENT, EMBEDDED_PREFIX + "*")) {
            for (Path entry : entries) {
                String pid = entry.getFileName().toString().substring(EMBEDDED_PREFIX.length());
                if (pid.matches("\\d{1,10}") && ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
                    deleteTree(entry);
                }
            }
        } catch (IOException e) {
            // Not ours to fail on: a leftover directory costs space, not correctness.
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path path : (Iterable<Path>) tree.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }

    public Aeron aeron() {
        return aeron;
    }

    /** The Aeron directory: the embedded driver's, or the one given. */
    public String directory() {
        return directory;
    }

    public boolean isEmbedded() {
        return driver != null;
    }

    /** The last error Aeron's own threads reported, or null. */
    public Throwable lastError() {
        return lastError.get();
    }

    /** Closes the client, then the embedded driver, which removes its directory. */
    @Override
    public void close() {
        aeron.close();
        if (driver != null) {
            driver.close();
        }
    }
}
