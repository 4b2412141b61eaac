package dev.nanobroker.viewer;

import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.VBox;

/** The rings in /dev/shm to pick from, shown when the viewer was started without a name (or key P). */
final class PickerPane extends VBox {

    private final ViewerModel model;
    private final ListView<ViewerModel.RingChoice> rings = new ListView<>();
    private final Button open = new Button("Open");

    PickerPane(ViewerModel model) {
        super(10);
        this.model = model;
        createView();
        initListeners();
    }

    private void createView() {
        getStyleClass().add("picker");
        setMaxSize(420, 360);
        Label title = new Label("Pick a ring to view");
        title.getStyleClass().add("picker-title");
        rings.setPlaceholder(new Label("no rings in /dev/shm yet: start a producer"));
        getChildren().addAll(title, rings, open);
    }

    private void initListeners() {
        rings.setItems(model.availableRings());
        visibleProperty().bind(model.stateProperty().isEqualTo(ViewerModel.State.PICKING));
        open.disableProperty().bind(rings.getSelectionModel().selectedItemProperty().isNull());
        open.setOnAction(event -> openSelected());
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
    }

    private void openSelected() {
        ViewerModel.RingChoice chosen = rings.getSelectionModel().getSelectedItem();
        if (chosen != null) {
            model.pick(chosen.name());
            getParent().requestFocus(); // the window's keys again
        }
    }
}
