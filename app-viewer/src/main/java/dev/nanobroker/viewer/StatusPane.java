package dev.nanobroker.viewer;

import javafx.animation.PauseTransition;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.util.Duration;

/**
 * What the viewer says when there is no picture to show, and for a moment after a command: "waiting
 * for NAME…" (and why) until the first frame, and a notice at the bottom ("saved …") for 3 s.
 */
final class StatusPane extends StackPane {

    private final ViewerModel model;
    private final Label waiting = new Label();
    private final Label notice = new Label();
    private final PauseTransition noticeShown = new PauseTransition(Duration.seconds(3));

    StatusPane(ViewerModel model) {
        this.model = model;
        createView();
        initListeners();
    }

    private void createView() {
        setPickOnBounds(false); // the picker under it takes the clicks
        waiting.getStyleClass().add("waiting");
        waiting.setId("waiting");
        notice.getStyleClass().add("toast");
        notice.setVisible(false);
        StackPane.setAlignment(notice, Pos.BOTTOM_CENTER);
        getChildren().addAll(waiting, notice);
    }

    private void initListeners() {
        waiting.textProperty().bind(model.messageProperty());
        waiting.visibleProperty().bind(model.stateProperty().isEqualTo(ViewerModel.State.WAITING));
        noticeShown.setOnFinished(event -> notice.setVisible(false));
    }

    /** Shows {@code text} at the bottom for a few seconds. */
    void flash(String text) {
        notice.setText(text);
        notice.setVisible(true);
        noticeShown.playFromStart();
    }
}
