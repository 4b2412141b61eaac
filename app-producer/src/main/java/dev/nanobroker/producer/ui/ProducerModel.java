package dev.nanobroker.producer.ui;

import dev.nanobroker.producer.ProducerEngine;
import dev.nanobroker.producer.ProducerSettings;
import dev.nanobroker.producer.ProducerStats;
import dev.nanobroker.producer.pattern.PatternCatalog;
import dev.nanobroker.producer.source.SourceException;
import dev.nanobroker.ring.Delivery;
import dev.nanobroker.ring.RingAccess;
import dev.nanobroker.ring.RingException;
import dev.nanobroker.ring.RingStatus;
import dev.nanobroker.ring.SharedRing;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The producer window's state: whether a run is going, its status line and reader table, and the
 * last error. The engine runs on its own thread; everything here is read and written on the FX
 * thread only, the engine's counters polled by {@link #refresh()} a few times a second.
 */
public final class ProducerModel {

    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("stopped");
    private final ReadOnlyStringWrapper ringLine = new ReadOnlyStringWrapper("");
    private final ObservableList<ReaderRow> readers = FXCollections.observableArrayList();

    private final RingAccess access;
    private final boolean allowOtherOwner;
    private ProducerEngine engine;
    private Thread producerThread;
    private volatile boolean stopRequested;
    private volatile String failure;
    private long lastPublished;
    private long lastRefreshNanos;

    /**
     * @param access          mode and group of a ring this model creates
     * @param allowOtherOwner whether a ring another user created may be joined
     */
    public ProducerModel(RingAccess access, boolean allowOtherOwner) {
        this.access = access;
        this.allowOtherOwner = allowOtherOwner;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty ringLineProperty() {
        return ringLine.getReadOnlyProperty();
    }

    public ObservableList<ReaderRow> readers() {
        return FXCollections.unmodifiableObservableList(readers);
    }

    /** Shows a message the user has to act on (a value the window could not take). */
    public void reportError(String message) {
        error.set(message);
    }

    /** The ring being written, or null when stopped: the preview copies frames out of it. */
    public SharedRing ring() {
        return engine == null ? null : engine.ring();
    }

    /** Starts a run; a source or ring that cannot be opened becomes {@link #errorProperty()}. */
    public boolean start(ProducerSettings settings) {
        if (engine != null) {
            return false;
        }
        try {
            engine = new ProducerEngine(settings, access, allowOtherOwner);
        } catch (IllegalArgumentException | RingException | SourceException e) {
            error.set(e.getMessage());
            return false;
        }
        error.set("");
        stopRequested = false;
        failure = null;
        lastPublished = 0;
        lastRefreshNanos = System.nanoTime();
        ProducerEngine run = engine;
        producerThread = Thread.ofPlatform().name("nanobroker-producer").daemon().start(() -> {
            try {
                run.awaitReaders(() -> stopRequested);
                run.run(() -> stopRequested);
            } catch (RuntimeException e) {
                failure = e.getMessage();
            }
        });
        running.set(true);
        ProducerSettings actual = engine.settings();
        String resized = !actual.geometry().equals(settings.geometry())
                ? String.format(Locale.ROOT, " (the source gives %dx%d, not the %dx%d asked for)", actual.geometry().width(),
                actual.geometry().height(), settings.geometry().width(), settings.geometry().height()) : "";
        ringLine.set(engine.sourceDescription() + " into ring " + settings.ringName() + ": " + engine.ring().geometry()
                + ", " + settings.policy().label() + resized);
        refresh();
        return true;
    }

    /** Applies what can change while running: the pattern, its options and the overlay. */
    public void applyLive(ProducerSettings settings) {
        if (engine == null) {
            return;
        }
        try {
            engine.pattern(PatternCatalog.create(settings.pattern(), settings.patternOptions()));
            engine.overlay(settings.overlay());
            error.set("");
        } catch (IllegalArgumentException e) {
            error.set(e.getMessage());
        }
    }

    /** Stops the run: the producer thread finishes its frame, then the writer detaches. */
    public void stop() {
        if (engine == null) {
            return;
        }
        stopRequested = true;
        try {
            producerThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ProducerStats last = engine.stats();
        engine.close();
        engine = null;
        producerThread = null;
        running.set(false);
        readers.clear();
        status.set(String.format(Locale.ROOT, "stopped after %d frames, %d dropped", last.published(), last.producerDrops()));
    }

    /** Reads the engine's counters and the ring's reader lines; call a few times a second. */
    public void refresh() {
        if (engine == null) {
            return;
        }
        if (failure != null) {
            String message = failure;
            stop();
            error.set(message);
            return;
        }
        if (!producerThread.isAlive()) {
            stop(); // the frame count is done
            return;
        }
        long now = System.nanoTime();
        ProducerStats stats = engine.stats();
        double seconds = (now - lastRefreshNanos) / 1e9;
        double fps = seconds > 0 ? (stats.published() - lastPublished) / seconds : 0;
        lastPublished = stats.published();
        lastRefreshNanos = now;
        status.set(String.format(Locale.ROOT, "published %,d   %.1f fps   producer drops %,d   blocked %,d ms",
                stats.published(), fps, stats.producerDrops(), stats.blockedNanos() / 1_000_000));
        RingStatus ringStatus = engine.ringStatus();
        List<ReaderRow> rows = new ArrayList<>();
        for (RingStatus.Reader reader : ringStatus.readers()) {
            if (reader.attached()) {
                rows.add(new ReaderRow(reader.line(), reader.pid(), reader.alive(),
                        reader.mode() == null ? "?" : reader.mode().label(), reader.lag(), reader.frames(),
                        reader.skipped(), reader.lost(), Delivery.of(reader).verdict().label(),
                        reader.lastLatencyNanos() / 1000));
            }
        }
        if (!rows.equals(readers)) {
            readers.setAll(rows);
        }
    }
}
