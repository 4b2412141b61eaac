package dev.nanobroker.viewer;

import javafx.animation.AnimationTimer;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.DoubleBinding;
import javafx.geometry.Rectangle2D;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The viewer's window: the panes ({@link PicturePane}, {@link OverlayPane} beside or below it by
 * {@link PictureLayout}, {@link StatusPane}, {@link PickerPane}) over one {@link ViewerModel}, the
 * keys, and the pulse that polls the ring once per frame JavaFX draws. Keys: O overlay, 1
 * one-to-one, F full screen, S save the frame as PNG, P pick another ring, Z stall (stop taking
 * frames for a while), L measure the age of the frame on screen from screen captures.
 */
public final class ViewerWindow extends StackPane {

    private final ViewerModel model;
    private final long stallNanos;
    private final long stallEveryNanos;
    private final PicturePane picture;
    private final OverlayPane overlay;
    private final StatusPane status;
    /** Null unless asked for: each capture costs the FX thread a few ms. */
    private ScreenLatency screenLatency;
    private long lastRecordedSequence = -1;
    private long nextStall;

    private final AnimationTimer pulse = new AnimationTimer() {
        @Override
        public void handle(long now) {
            onPulse(now);
        }
    };

    /**
     * @param stall how long key Z stops this viewer taking frames, and how often it happens by itself
     */
    public ViewerWindow(ViewerModel model, boolean overlayOn, Stall stall) {
        this.model = model;
        this.stallNanos = stall.durationNanos();
        this.stallEveryNanos = stall.everyNanos();
        this.nextStall = System.nanoTime() + stall.everyNanos();
        picture = new PicturePane(model);
        overlay = new OverlayPane(model);
        status = new StatusPane(model);
        model.showOverlay(overlayOn);
        createView();
        initListeners();
        pulse.start();
    }

    private void createView() {
        getStyleClass().add("viewer");
        DoubleBinding frameAspect = Bindings.createDoubleBinding(() -> {
            Rectangle2D viewport = model.viewportProperty().get();
            return viewport == null || viewport.getHeight() == 0 ? 0 : viewport.getWidth() / viewport.getHeight();
        }, model.viewportProperty());
        getChildren().addAll(new PictureLayout(picture, overlay, frameAspect), new PickerPane(model), status);
        setFocusTraversable(true);
    }

    private void initListeners() {
        // Headline figures grow with the window, for a room and a projector, within what a tile holds.
        overlay.headlineSizeProperty().bind(heightProperty().map(height -> Math.clamp(height.doubleValue() / 22, 16, 44)));
        addEventHandler(KeyEvent.KEY_PRESSED, this::onKey);
    }

    private void onPulse(long now) {
        if (stallEveryNanos > 0 && now - nextStall >= 0) {
            nextStall = now + stallEveryNanos;
            model.stall(stallNanos, now);
        }
        model.pulse(now);
        if (overlay.isVisible()) {
            overlay.showNow(model.onFrameClock(System.nanoTime()));
        }
        if (screenLatency != null) {
            if (model.shownSequence() != lastRecordedSequence) {
                lastRecordedSequence = model.shownSequence();
                screenLatency.shown(lastRecordedSequence, model.shownPublishNanos());
            }
            if (screenLatency.pulse(picture.imageView(), now)) {
                overlay.showScreenLatency(screenLatency);
            }
        }
    }

    /** Starts (or stops) measuring the age of the frame on screen from captures of the screen. */
    public void measureScreenLatency(boolean on) {
        screenLatency = on ? new ScreenLatency() : null;
        overlay.showScreenLatency(screenLatency);
    }

    /** What the screen-latency measurement found so far, or null when it is off. */
    public String screenLatencyReport() {
        return screenLatency == null ? null : screenLatency.describe();
    }

    private void onKey(KeyEvent event) {
        switch (event.getCode()) {
            case O -> model.toggleOverlay();
            case DIGIT1, NUMPAD1 -> picture.toggleOneToOne();
            case F -> {
                Stage stage = (Stage) getScene().getWindow();
                stage.setFullScreen(!stage.isFullScreen());
            }
            case S -> save();
            case P -> model.pick(null);
            case Z -> model.stall(stallNanos, System.nanoTime());
            case L -> measureScreenLatency(screenLatency == null);
            default -> {
                return;
            }
        }
        event.consume();
    }

    private void save() {
        try {
            Path file = model.saveFrame(Path.of("").toAbsolutePath());
            status.flash("saved " + file.getFileName());
        } catch (IOException e) {
            status.flash("not saved: " + e.getMessage());
        }
    }

    /**
     * For the window's close: stops showing frames and frees the reader line at once, then unmaps
     * the ring a few pulses later, once the renderer cannot be reading a slot any more (unmapping
     * memory a PixelBuffer still wraps would crash the render thread), then runs {@code closed}.
     */
    public void shutdown(Runnable closed) {
        pulse.stop();
        picture.clear();
        model.releaseReaderLines();
        new AnimationTimer() {
            private int pulses;

            @Override
            public void handle(long now) {
                if (++pulses >= 3) {
                    stop();
                    model.close();
                    closed.run();
                }
            }
        }.start();
    }

    ViewerModel model() {
        return model;
    }

    ImageView imageView() {
        return picture.imageView();
    }

    OverlayPane overlay() {
        return overlay;
    }
}
