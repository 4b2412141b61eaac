package dev.nanobroker.viewer;

import javafx.animation.AnimationTimer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.DoubleBinding;
import javafx.geometry.Pos;
import javafx.geometry.Rectangle2D;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The viewer: the frame scaled to fit (keeping its aspect), with the overlay panel beside or below
 * it, never over it ({@link PictureLayout}); a waiting screen until the ring exists; "no signal" over the last frame when the producer is gone;
 * a list of rings to pick from when none was named. Keys: O overlay, 1 one-to-one, F full screen,
 * S save the frame as PNG, P pick another ring, Z stall (stop taking frames for a while), L measure
 * the age of the frame on screen from screen captures.
 */
public final class ViewerWindow extends StackPane {

    private static final long OVERLAY_REFRESH_NANOS = 100_000_000L;
    private static final long TOAST_NANOS = 3_000_000_000L;

    private final ViewerModel model;
    private final long stallNanos;
    /** Null unless asked for: each capture costs the FX thread a few ms. */
    private ScreenLatency screenLatency;
    private long lastRecordedSequence = -1;
    private final ImageView view = new ImageView();
    private final StackPane picture;
    private final OverlayPanel overlay = new OverlayPanel();
    private final BooleanProperty overlayWanted = new SimpleBooleanProperty();
    private final Label waiting = new Label();
    private final Label noSignal = new Label();
    private final Label toast = new Label();
    private final ListView<ViewerModel.RingChoice> rings = new ListView<>();
    private final VBox picker;
    private boolean oneToOne;
    private long toastUntil;

    private long stallEveryNanos;
    private long nextStall;

    private final AnimationTimer pulse = new AnimationTimer() {
        private long lastOverlay;

        @Override
        public void handle(long now) {
            if (stallEveryNanos > 0 && now - nextStall >= 0) {
                nextStall = now + stallEveryNanos;
                model.stall(stallNanos, now);
            }
            model.pulse(now);
            if (overlay.isVisible()) {
                overlay.showNow(System.nanoTime());
            }
            if (screenLatency != null) {
                if (model.shownSequence() != lastRecordedSequence) {
                    lastRecordedSequence = model.shownSequence();
                    screenLatency.shown(lastRecordedSequence, model.shownPublishNanos());
                }
                screenLatency.pulse(view, now);
            }
            if (overlay.isVisible() && model.statsProperty().get() != null && now - lastOverlay >= OVERLAY_REFRESH_NANOS) {
                lastOverlay = now;
                overlay.show(model.statsProperty().get(), model.history(), now);
                overlay.showScreenLatency(screenLatency == null ? null : screenLatency.describe());
            }
            if (toast.isVisible() && now - toastUntil > 0) {
                toast.setVisible(false);
            }
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
        getStyleClass().add("viewer");
        view.setPreserveRatio(true);
        view.setSmooth(true);
        view.imageProperty().bind(model.imageProperty());
        view.viewportProperty().bind(model.viewportProperty());
        picture = new StackPane(view, noSignal);
        picture.setId("picture");
        picture.setMinSize(0, 0);
        fitToWindow(true);

        waiting.getStyleClass().add("waiting");
        waiting.setId("waiting");
        waiting.textProperty().bind(model.messageProperty());
        waiting.visibleProperty().bind(model.stateProperty().isEqualTo(ViewerModel.State.WAITING));

        noSignal.getStyleClass().add("no-signal");
        noSignal.setId("no-signal");
        noSignal.textProperty().bind(model.messageProperty());
        noSignal.visibleProperty().bind(model.stateProperty().isEqualTo(ViewerModel.State.NO_SIGNAL));

        overlayWanted.set(overlayOn);
        overlay.visibleProperty().bind(overlayWanted.and(model.stateProperty().isEqualTo(ViewerModel.State.SHOWING)
                .or(model.stateProperty().isEqualTo(ViewerModel.State.NO_SIGNAL))));
        overlay.setId("overlay");
        // Headline figures grow with the window, for a room and a projector, within what a tile holds.
        overlay.headlineSizeProperty().bind(heightProperty().map(height -> Math.clamp(height.doubleValue() / 22, 16, 44)));

        toast.getStyleClass().add("toast");
        toast.setVisible(false);
        StackPane.setAlignment(toast, Pos.BOTTOM_CENTER);

        rings.setItems(model.availableRings());
        rings.setPlaceholder(new Label("no rings in /dev/shm yet: start a producer"));
        rings.setOnMouseClicked(event -> {
            if (event.getButton() == MouseButton.PRIMARY && event.getClickCount() == 2) {
                openSelected();
            }
        });
        rings.setOnKeyPressed(event -> {
            if (event.getCode() == KeyCode.ENTER) {
                openSelected();
            }
        });
        Button open = new Button("Open");
        open.setOnAction(event -> openSelected());
        open.disableProperty().bind(rings.getSelectionModel().selectedItemProperty().isNull());
        Label pickTitle = new Label("Pick a ring to view");
        pickTitle.getStyleClass().add("picker-title");
        picker = new VBox(10, pickTitle, rings, open);
        picker.getStyleClass().add("picker");
        picker.setMaxSize(420, 360);
        picker.visibleProperty().bind(model.stateProperty().isEqualTo(ViewerModel.State.PICKING));

        DoubleBinding frameAspect = Bindings.createDoubleBinding(() -> {
            Rectangle2D viewport = model.viewportProperty().get();
            return viewport == null || viewport.getHeight() == 0 ? 0 : viewport.getWidth() / viewport.getHeight();
        }, model.viewportProperty());
        getChildren().addAll(new PictureLayout(picture, overlay, frameAspect), waiting, picker, toast);
        addEventHandler(KeyEvent.KEY_PRESSED, this::onKey);
        setFocusTraversable(true);
        pulse.start();
    }

    /** Starts (or stops) measuring the age of the frame on screen from captures of the screen. */
    public void measureScreenLatency(boolean on) {
        screenLatency = on ? new ScreenLatency() : null;
    }

    /** What the screen-latency measurement found so far, or null when it is off. */
    public String screenLatencyReport() {
        return screenLatency == null ? null : screenLatency.describe();
    }

    private void openSelected() {
        ViewerModel.RingChoice chosen = rings.getSelectionModel().getSelectedItem();
        if (chosen != null) {
            model.pick(chosen.name());
            requestFocus();
        }
    }

    private void onKey(KeyEvent event) {
        switch (event.getCode()) {
            case O -> overlayWanted.set(!overlayWanted.get());
            case DIGIT1, NUMPAD1 -> fitToWindow(oneToOne);
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

    /** Fits the frame to the window (keeping its aspect), or shows it 1:1. */
    private void fitToWindow(boolean fit) {
        oneToOne = !fit;
        view.fitWidthProperty().unbind();
        view.fitHeightProperty().unbind();
        if (fit) {
            view.fitWidthProperty().bind(picture.widthProperty());
            view.fitHeightProperty().bind(picture.heightProperty());
        } else {
            view.setFitWidth(0);
            view.setFitHeight(0);
        }
    }

    private void save() {
        try {
            Path file = model.saveFrame(Path.of("").toAbsolutePath());
            flash("saved " + file.getFileName());
        } catch (IOException e) {
            flash("not saved: " + e.getMessage());
        }
    }

    private void flash(String text) {
        toast.setText(text);
        toast.setVisible(true);
        toastUntil = System.nanoTime() + TOAST_NANOS;
    }

    /**
     * For the window's close: stops showing frames and frees the reader line at once, then unmaps
     * the ring a few pulses later, once the renderer cannot be reading a slot any more (unmapping
     * memory a PixelBuffer still wraps would crash the render thread), then runs {@code closed}.
     */
    public void shutdown(Runnable closed) {
        pulse.stop();
        view.imageProperty().unbind();
        view.setImage(null);
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
        return view;
    }

    OverlayPanel overlay() {
        return overlay;
    }
}
