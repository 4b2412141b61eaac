package dev.nanobroker.producer.ui;

import dev.nanobroker.producer.ProducerEngine;
import dev.nanobroker.producer.ProducerSettings;
import dev.nanobroker.producer.ProducerStats;
import dev.nanobroker.producer.pattern.PatternCatalog;
import dev.nanobroker.producer.source.SourceSpec;
import dev.nanobroker.ring.Delivery;
import dev.nanobroker.ring.RingAccess;
import dev.nanobroker.ring.RingStatus;
import dev.nanobroker.ring.SharedRing;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * The producer window's state: where a run is ({@link Phase}), its status line and reader table,
 * and the last error. Everything here is read and written on the FX thread only, which never waits
 * for the producer: each run has its own producer thread, which opens the source and the ring (a
 * camera takes seconds to negotiate), produces, and closes them again (under {@code block} the last
 * frame may wait for a slow reader up to the block timeout), and hands each change of phase to the
 * FX thread with {@link Platform#runLater}. The engine's counters are polled by {@link #refresh()} a
 * few times a second while it runs.
 */
public final class ProducerModel {

    /** Where a run is. */
    public enum Phase {
        /** No run: one may start. */
        STOPPED,
        /** The producer thread opens the source and the ring. */
        OPENING,
        /** Frames go into the ring. */
        RUNNING,
        /** The run was asked to stop, or ended: the producer thread finishes its frame and closes the ring. */
        STOPPING
    }

    private final ReadOnlyObjectWrapper<Phase> phase = new ReadOnlyObjectWrapper<>(Phase.STOPPED);
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("stopped");
    private final ReadOnlyStringWrapper ringLine = new ReadOnlyStringWrapper("");
    private final ObservableList<ReaderRow> readers = FXCollections.observableArrayList();

    private final Function<ProducerSettings, ProducerEngine> opener;
    /** The run not yet finished, or null. */
    private Run run;
    /** The engine while the phase is RUNNING, else null: only then may this thread read its ring. */
    private ProducerEngine engine;
    /** The producer thread of the latest run, for {@link #awaitClosed()}. */
    private volatile Thread producerThread;
    private long lastPublished;
    private long lastRefreshNanos;

    /** One run: the settings it started with and what passes between the two threads. */
    private static final class Run {
        final ProducerSettings settings;
        /** The status shown before it started: shown again when it cannot open. */
        final String statusBefore;
        volatile boolean stopRequested;
        /** What the controls said last for what applies while running; applied once the engine is open. */
        ProducerSettings live;

        Run(ProducerSettings settings, String statusBefore) {
            this.settings = settings;
            this.statusBefore = statusBefore;
        }
    }

    /**
     * @param access          mode and group of a ring this model creates
     * @param allowOtherOwner whether a ring another user created may be joined
     */
    public ProducerModel(RingAccess access, boolean allowOtherOwner) {
        this(settings -> new ProducerEngine(settings, access, allowOtherOwner));
    }

    /** With {@code opener} making each run's engine, on the producer thread: tests make it slow. */
    ProducerModel(Function<ProducerSettings, ProducerEngine> opener) {
        this.opener = opener;
    }

    public ReadOnlyObjectProperty<Phase> phaseProperty() {
        return phase.getReadOnlyProperty();
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

    /** The ring being written while running, else null: the preview copies frames out of it. */
    public SharedRing ring() {
        return engine == null ? null : engine.ring();
    }

    /**
     * Starts a run unless one is going, and returns at once: the producer thread opens the source
     * and the ring while the status says so; a source or ring that cannot be opened becomes
     * {@link #errorProperty()}.
     */
    public void start(ProducerSettings settings) {
        if (run != null) {
            return;
        }
        Run next = new Run(settings, status.get());
        run = next;
        error.set("");
        status.set(opening(settings));
        phase.set(Phase.OPENING);
        producerThread = Thread.ofPlatform().name("nanobroker-producer").daemon().start(() -> produce(next));
    }

    private static String opening(ProducerSettings settings) {
        String what = switch (settings.source()) {
            case SourceSpec.Pattern pattern -> "ring " + settings.ringName();
            case SourceSpec.Camera camera -> camera.device() == null ? "the default camera" : "camera " + camera.device();
            case SourceSpec.VideoFile file -> "video file " + file.path();
        };
        return "opening " + what + " …";
    }

    /** A run on its producer thread: opens, produces until stopped or done, closes; reports each step to the FX thread. */
    private void produce(Run run) {
        ProducerEngine opened;
        try {
            opened = opener.apply(run.settings);
        } catch (RuntimeException e) {
            Platform.runLater(() -> openFailed(run, messageOf(e)));
            return;
        }
        Platform.runLater(() -> opened(run, opened));
        String failure = null;
        try {
            opened.awaitReaders(() -> run.stopRequested);
            opened.run(() -> run.stopRequested);
        } catch (RuntimeException e) {
            failure = messageOf(e);
        }
        // The FX thread lets go of the ring (preview, counters) before it is unmapped.
        onFxThreadAndWait(() -> stopping(run));
        ProducerStats last = opened.stats();
        try {
            opened.close();
        } catch (RuntimeException e) {
            failure = failure == null ? messageOf(e) : failure;
        }
        String failed = failure;
        Platform.runLater(() -> finished(run, last, failed));
    }

    private static void onFxThreadAndWait(Runnable action) {
        CountDownLatch done = new CountDownLatch(1);
        try {
            Platform.runLater(() -> {
                try {
                    action.run();
                } finally {
                    done.countDown();
                }
            });
        } catch (IllegalStateException toolkitExited) {
            return; // no FX thread any more, so none that reads the ring
        }
        boolean interrupted = false;
        while (done.getCount() > 0) {
            try {
                done.await();
            } catch (InterruptedException e) {
                interrupted = true; // the ring must not be unmapped under the FX thread: wait on
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static String messageOf(RuntimeException e) {
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    private void openFailed(Run failed, String message) {
        run = null;
        phase.set(Phase.STOPPED);
        status.set(failed.statusBefore);
        error.set(message);
    }

    private void opened(Run started, ProducerEngine opened) {
        if (started.stopRequested) {
            return; // stopped while opening: the producer thread closes it again at once
        }
        engine = opened;
        phase.set(Phase.RUNNING);
        lastPublished = 0;
        lastRefreshNanos = System.nanoTime();
        ProducerSettings requested = started.settings;
        ProducerSettings actual = opened.settings();
        String resized = !actual.geometry().equals(requested.geometry())
                ? String.format(Locale.ROOT, " (the source gives %dx%d, not the %dx%d asked for)", actual.geometry().width(),
                actual.geometry().height(), requested.geometry().width(), requested.geometry().height()) : "";
        ringLine.set(opened.sourceDescription() + " into ring " + requested.ringName() + ": " + opened.ring().geometry()
                + ", " + requested.policy().label() + resized);
        if (started.live != null) {
            applyLive(started.live);
        }
        refresh();
    }

    /** Applies what can change while running: the pattern, its options and the overlay. */
    public void applyLive(ProducerSettings settings) {
        if (run == null || run.stopRequested) {
            return;
        }
        run.live = settings;
        if (engine == null) {
            return; // still opening: applied once open
        }
        try {
            engine.pattern(PatternCatalog.create(settings.pattern(), settings.patternOptions()));
            engine.overlay(settings.overlay());
            error.set("");
        } catch (IllegalArgumentException e) {
            error.set(e.getMessage());
        }
    }

    /**
     * Asks the run to stop and returns at once: the producer thread finishes its frame (under
     * {@code block} it may wait for a slow reader up to the block timeout), then closes the ring;
     * the status says "stopping" until it has.
     */
    public void stop() {
        if (run == null) {
            return;
        }
        stopping(run);
        run.stopRequested = true;
    }

    private void stopping(Run ending) {
        if (ending != run || phase.get() == Phase.STOPPING) {
            return;
        }
        engine = null;
        phase.set(Phase.STOPPING);
        status.set("stopping …");
    }

    private void finished(Run ended, ProducerStats last, String failure) {
        if (ended != run) {
            return;
        }
        run = null;
        phase.set(Phase.STOPPED);
        readers.clear();
        status.set(String.format(Locale.ROOT, "stopped after %d frames, %d dropped", last.published(), last.producerDrops()));
        if (failure != null) {
            error.set(failure);
        }
    }

    /**
     * Waits until the latest run's producer thread has closed its ring, or {@code limit} passed; for
     * a process about to exit, never on the FX thread (the producer thread needs it to let go of the
     * ring).
     *
     * @return false when the thread still runs: a source that never finishes opening (a stuck
     *     camera), or a frame blocked for longer than the limit
     */
    public boolean awaitClosed(Duration limit) throws InterruptedException {
        Thread thread = producerThread;
        return thread == null || thread.join(limit);
    }

    /** Reads the engine's counters and the ring's reader lines; call a few times a second. */
    public void refresh() {
        if (engine == null) {
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
