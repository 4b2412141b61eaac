package dev.nanobroker.viewer;

import dev.nanobroker.frame.ClockReading;
import dev.nanobroker.frame.FramePng;
import dev.nanobroker.frame.LatencyClock;
import dev.nanobroker.ring.BridgeNote;
import dev.nanobroker.ring.Frame;
import dev.nanobroker.ring.RingException;
import dev.nanobroker.ring.RingGeometry;
import dev.nanobroker.ring.RingNotFoundException;
import dev.nanobroker.ring.RingSignal;
import dev.nanobroker.ring.RingStatus;
import dev.nanobroker.ring.SharedRing;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Rectangle2D;
import javafx.scene.image.Image;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * The viewer's model: read-only properties the panes bind to, and the commands they call ({@link
 * #pick}, {@link #stall}, {@link #toggleOverlay}, {@link #saveFrame}). It is advanced once per pulse
 * by {@link #pulse(long)} on the FX thread (nothing here is touched from another thread): it
 * attaches to the ring when it appears, shows the newest frame, and leaves when to retry, when the
 * signal is lost and why to {@link RingSignal}, the plain state machine {@code read} uses too, so a
 * producer that is gone or replaced the ring is noticed and the new one attached by itself.
 */
public final class ViewerModel implements AutoCloseable {

    /** What the window shows. */
    public enum State {
        /** No ring chosen: the list of rings to pick from. */
        PICKING,
        /** The ring does not exist yet, or cannot be attached: waiting for it. */
        WAITING,
        /** Frames arrive. */
        SHOWING,
        /** The last frame, with "no signal": the producer is gone, closed the ring, or stopped sending. */
        NO_SIGNAL
    }

    private static final long STATS_NANOS = 250_000_000L;
    /** Pulses a replaced connection stays mapped after its last image left the screen. */
    private static final int RETIRE_AFTER_PULSES = 3;

    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(State.PICKING);
    private final ReadOnlyStringWrapper ringName = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<Image> image = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Rectangle2D> viewport = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<ViewerStats> stats = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyBooleanWrapper overlayShown = new ReadOnlyBooleanWrapper(true);
    private final ObservableList<RingChoice> availableRings = FXCollections.observableArrayList();

    /** A ring the picker offers, with what it holds. */
    public record RingChoice(String name, String summary) {
        @Override
        public String toString() {
            return name + "   " + summary;
        }
    }
    private final History history = new History();
    private final Deque<Retiring> retiring = new ArrayDeque<>();

    private record Retiring(Connection connection, int pulsesLeft) {
    }

    private Connection connection;
    /** A replaced connection whose image may still be on screen. */
    private Connection showingFrom;
    /** Null while picking. */
    /** How often the viewer looks whether a bridge receives into its ring. */
    private static final long BRIDGE_CHECK_NANOS = 1_000_000_000L;

    private RingSignal signal;
    private long nextStats;
    private long nextListing;
    private long lastFrameSequence = -1;
    /** The frame on screen's sequence where it was first published: its own, unless a bridge copied it. */
    private long lastFrameSourceSequence = -1;
    private long lastFramePublishNanos;
    private long framesShownSinceStats;
    private long headAtStats = -1;
    private long statsNanos;
    private double latencyMs;
    private double clockLatencyMs = Double.NaN;
    private BridgeNote.Clock bridgedClock;
    private long bridgeCheckedNanos;
    /** Until when this viewer stops taking frames, as a GC pause or a slow consumer would (key Z, --stall-ms). */
    private long stallUntil;
    private boolean stalling;

    private final boolean allowOtherOwner;

    public ViewerModel(String name) {
        this(name, false);
    }

    /** @param allowOtherOwner also show rings that another user created (refused by default) */
    public ViewerModel(String name, boolean allowOtherOwner) {
        this.allowOtherOwner = allowOtherOwner;
        if (name != null) {
            pick(name);
        }
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty ringNameProperty() {
        return ringName.getReadOnlyProperty();
    }

    /** What the waiting or no-signal screen says. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Image> imageProperty() {
        return image.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Rectangle2D> viewportProperty() {
        return viewport.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<ViewerStats> statsProperty() {
        return stats.getReadOnlyProperty();
    }

    /** Whether the overlay panel is wanted (shown whenever there is a frame). */
    public ReadOnlyBooleanProperty overlayShownProperty() {
        return overlayShown.getReadOnlyProperty();
    }

    public void toggleOverlay() {
        overlayShown.set(!overlayShown.get());
    }

    /** Shows or hides the overlay panel. */
    public void showOverlay(boolean shown) {
        overlayShown.set(shown);
    }

    public ObservableList<RingChoice> availableRings() {
        return FXCollections.unmodifiableObservableList(availableRings);
    }

    History history() {
        return history;
    }

    /**
     * The frame on screen's sequence in the ring where it was first published (its own, unless a
     * bridge copied it from another ring): the number its picture's clock shows. -1 before the first.
     */
    public long shownSequence() {
        return lastFrameSourceSequence;
    }

    /** When the frame on screen was published ({@link System#nanoTime()}). */
    long shownPublishNanos() {
        return lastFramePublishNanos;
    }

    /** Stops taking frames for {@code nanos} from {@code now} (a simulated stall), or until then from an earlier one. */
    public void stall(long nanos, long now) {
        stallUntil = Math.max(stallUntil, now + nanos);
    }

    /** Switches to another ring (or to the picker, with null). */
    public void pick(String name) {
        if (name != null) {
            SharedRing.pathOf(name); // a bad name fails here, with its message
        }
        detach();
        image.set(null);
        retireShowing();
        history.clear();
        lastFrameSequence = -1;
        lastFrameSourceSequence = -1;
        ringName.set(name);
        signal = name == null ? null : new RingSignal(name, RingSignal.DISPLAY, System.nanoTime());
        state.set(name == null ? State.PICKING : State.WAITING);
        message.set(name == null ? "" : signal.describe(0));
    }

    /** Once per pulse, on the FX thread. */
    public void pulse(long now) {
        retireDue();
        if (signal == null) {
            listRings(now);
            return;
        }
        if (signal.shouldAttach(now)) {
            attach(ringName.get(), now);
        }
        if (connection != null) {
            stalling = now - stallUntil < 0;
            // A stalled viewer takes no frame: its tail stays where it is, as a stuck consumer's would,
            // so the producer's policy shows what that costs (block: it waits; drop: it drops; overwrite:
            // this reader is lapped and loses frames). Its overlay keeps updating, to watch that happen.
            Frame frame = stalling ? null : connection.next();
            if (frame != null) {
                show(frame, now);
                signal.frame(now);
            } else if (!stalling && signal.shouldCheck(now) && signal.checked(RingSignal.healthOf(connection.ring()), now)) {
                // A new producer made a new file (or the ring was removed): keep the last image up
                // until the new ring's first frame, then unmap the old one.
                detach();
            }
            if (now - nextStats >= 0) {
                nextStats = now + STATS_NANOS;
                publishStats(now);
            }
        }
        showSignal(now);
    }

    private void listRings(long now) {
        if (now - nextListing >= 0) {
            nextListing = now + 1_000_000_000L;
            List<RingChoice> choices = SharedRing.listNames().stream().map(ViewerModel::describe).toList();
            if (!choices.equals(availableRings)) {
                availableRings.setAll(choices);
            }
        }
    }

    private void showSignal(long now) {
        message.set(signal.describe(now)); // first: whoever sees the new state reads its message
        state.set(switch (signal.state()) {
            case WAITING -> State.WAITING;
            case RECEIVING -> State.SHOWING;
            case NO_SIGNAL -> State.NO_SIGNAL;
        });
    }

    private static RingChoice describe(String name) {
        try (SharedRing ring = SharedRing.open(name)) {
            RingStatus status = ring.status();
            return new RingChoice(name, String.format(Locale.ROOT, "%dx%d, %d slots, producer %s, %d reader(s)",
                    status.geometry().width(), status.geometry().height(), status.geometry().slotCount(),
                    status.producerAlive() ? "alive" : status.closed() ? "closed" : "gone", status.attachedReaders()));
        } catch (RingException e) {
            return new RingChoice(name, "unreadable: " + e.getMessage());
        }
    }

    private void attach(String name, long now) {
        try {
            connection = new Connection(name, allowOtherOwner);
        } catch (RingNotFoundException e) {
            signal.attachFailed(null, now);
            return;
        } catch (RingException e) {
            signal.attachFailed(e.getMessage(), now);
            return;
        }
        headAtStats = -1;
        signal.attached(now);
    }

    private void show(Frame frame, long now) {
        Image next = connection.image(frame.slot());
        if (image.get() != next) {
            image.set(next);
            viewport.set(connection.viewport());
            retireShowing(); // the old ring's last image just left the screen
        }
        lastFrameSequence = frame.sequence();
        lastFrameSourceSequence = frame.sourceSequence();
        lastFramePublishNanos = frame.publishNanos();
        framesShownSinceStats++;
        latencyMs = frame.latencyNanos() / 1e6;
        ClockReading clock = decodeClock(frame);
        long rendered = clock == null ? Long.MIN_VALUE : renderedOnThisClock(clock.nanos());
        clockLatencyMs = rendered == Long.MIN_VALUE ? Double.NaN : (System.nanoTime() - rendered) / 1e6;
        history.add(now, latencyMs, connection.ring().head() - connection.display().tail());
    }

    private static ClockReading decodeClock(Frame frame) {
        MemorySegment pixels = frame.pixels();
        ClockReading reading = LatencyClock.decode(pixels, frame.width(), frame.height(), frame.rowStride());
        return reading != null && reading.sequence() == frame.sourceSequence() ? reading : null;
    }

    /**
     * {@code nanos} of this host's clock on the clock the frames' latency clock was drawn with (photo
     * mode shows it beside the picture): the producer host's, this far from this one's when a bridge
     * estimated the offset.
     */
    long onFrameClock(long nanos) {
        BridgeNote.Clock bridged = bridgedClock;
        return bridged == null ? nanos : bridged.onSenderClock(nanos);
    }

    /**
     * The clock's render time, read on the producer's host, on this host's clock: as it is on one
     * host; moved by the offset a bridge estimated from another host; {@link Long#MIN_VALUE} while
     * that offset is not known.
     */
    private long renderedOnThisClock(long renderNanos) {
        BridgeNote.Clock bridged = bridgedClock;
        if (bridged == null) {
            return renderNanos;
        }
        return bridged.endToEnd() ? renderNanos - bridged.offsetNanos() : Long.MIN_VALUE;
    }

    private void publishStats(long now) {
        if (connection == null) {
            return;
        }
        SharedRing ring = connection.ring();
        RingStatus status = ring.status();
        double seconds = statsNanos == 0 ? 0 : (now - statsNanos) / 1e9;
        double displayFps = seconds > 0 ? framesShownSinceStats / seconds : 0;
        double producerFps = seconds > 0 && headAtStats >= 0 ? (status.head() - headAtStats) / seconds : 0;
        framesShownSinceStats = 0;
        headAtStats = status.head();
        statsNanos = now;
        stats.set(new ViewerStats(ring.name(), ring.geometry().width() + "x" + ring.geometry().height(), lastFrameSourceSequence,
                displayFps, producerFps, latencyMs, clockLatencyMs, connection.display().line(), status.head(),
                ring.geometry().slotCount(), status.readers(), status.producerDrops(), status.blockedNanos() / 1_000_000,
                stalling ? (stallUntil - now) / 1_000_000 : 0, bridgedClock(ring.name(), now)));
    }

    /**
     * What the bridge receiving into the ring knows of its sender's clock, or null when no bridge
     * does; looked up at most once a second (a small file, {@link BridgeNote}).
     */
    private BridgeNote.Clock bridgedClock(String ringName, long now) {
        if (bridgeCheckedNanos == 0 || now - bridgeCheckedNanos >= BRIDGE_CHECK_NANOS) {
            bridgeCheckedNanos = now;
            BridgeNote receiver = BridgeNote.receiverOf(ringName);
            bridgedClock = receiver == null ? null : receiver.clock();
        }
        return bridgedClock;
    }

    /** Lets go of the ring; its mapping stays while its image is on screen (the renderer reads it). */
    private void detach() {
        if (connection != null) {
            if (connection.owns(image.get())) {
                retireShowing();
                showingFrom = connection;
            } else {
                connection.close();
            }
            connection = null;
        }
    }

    private void retireShowing() {
        if (showingFrom != null) {
            retiring.add(new Retiring(showingFrom, RETIRE_AFTER_PULSES));
            showingFrom = null;
        }
    }

    private void retireDue() {
        for (int i = retiring.size(); i > 0; i--) {
            Retiring next = retiring.poll();
            if (next.pulsesLeft() <= 0) {
                next.connection().close();
            } else {
                retiring.add(new Retiring(next.connection(), next.pulsesLeft() - 1));
            }
        }
    }

    /**
     * Saves the frame on screen as a PNG in {@code folder}: a copy taken out of its slot, checked
     * to be that frame.
     *
     * @return the file written
     * @throws IOException when nothing is shown, the frame is already gone, or writing fails
     */
    public Path saveFrame(Path folder) throws IOException {
        Connection from = connection != null ? connection : showingFrom;
        if (from == null || lastFrameSequence < 0) {
            throw new IOException("no frame to save");
        }
        RingGeometry geometry = from.ring().geometry();
        MemorySegment copy = Arena.ofAuto().allocate(geometry.frameLength());
        if (!from.ring().copyFrame(lastFrameSequence, copy)) {
            throw new IOException("frame " + lastFrameSequence + " was overwritten before it could be saved");
        }
        Path file = folder.resolve(String.format(Locale.ROOT, "nanobroker-%s-%d.png", from.ring().name(), lastFrameSequence));
        FramePng.write(file, copy, geometry.width(), geometry.height(), geometry.rowStride());
        return file;
    }

    /**
     * Frees this viewer's reader lines at once (only header writes), so producers stop waiting for
     * it; the mappings stay until {@link #close()}, because the renderer may still be reading the
     * last frame out of one of them.
     */
    public void releaseReaderLines() {
        if (connection != null) {
            connection.display().close();
        }
        if (showingFrom != null) {
            showingFrom.display().close();
        }
    }

    /** Frees the reader line and unmaps everything; nothing may show this model's images any more. */
    @Override
    public void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
        if (showingFrom != null) {
            showingFrom.close();
            showingFrom = null;
        }
        retiring.forEach(each -> each.connection().close());
        retiring.clear();
    }
}
