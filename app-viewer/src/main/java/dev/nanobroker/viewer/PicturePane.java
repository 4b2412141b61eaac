package dev.nanobroker.viewer;

import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.layout.StackPane;

/**
 * The picture: the frame on screen, fitted to the pane keeping its aspect (or shown 1:1), with
 * "no signal" over the last frame when the producer is gone. The image is a slot's own memory
 * ({@link Connection}): nothing is copied to show it.
 */
final class PicturePane extends StackPane {

    private final ViewerModel model;
    private final ImageView view = new ImageView();
    private final Label noSignal = new Label();
    private boolean oneToOne;

    PicturePane(ViewerModel model) {
        this.model = model;
        createView();
        initListeners();
    }

    private void createView() {
        setId("picture");
        setMinSize(0, 0);
        view.setPreserveRatio(true);
        view.setSmooth(true);
        noSignal.getStyleClass().add("no-signal");
        noSignal.setId("no-signal");
        getChildren().addAll(view, noSignal);
        fitToPane(true);
    }

    private void initListeners() {
        view.imageProperty().bind(model.imageProperty());
        view.viewportProperty().bind(model.viewportProperty());
        noSignal.textProperty().bind(model.messageProperty());
        noSignal.visibleProperty().bind(model.stateProperty().isEqualTo(ViewerModel.State.NO_SIGNAL));
    }

    /** Between fitted to the pane and 1:1 (key 1). */
    void toggleOneToOne() {
        fitToPane(oneToOne);
    }

    private void fitToPane(boolean fit) {
        oneToOne = !fit;
        view.fitWidthProperty().unbind();
        view.fitHeightProperty().unbind();
        if (fit) {
            view.fitWidthProperty().bind(widthProperty());
            view.fitHeightProperty().bind(heightProperty());
        } else {
            view.setFitWidth(0);
            view.setFitHeight(0);
        }
    }

    /** Stops showing frames: for the window's close, before the ring is unmapped. */
    void clear() {
        view.imageProperty().unbind();
        view.setImage(null);
    }

    ImageView imageView() {
        return view;
    }
}
