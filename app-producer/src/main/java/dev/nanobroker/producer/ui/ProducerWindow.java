package dev.nanobroker.producer.ui;

import dev.nanobroker.frame.FrameSize;
import dev.nanobroker.producer.ProducerSettings;
import dev.nanobroker.producer.pattern.PatternCatalog;
import dev.nanobroker.producer.pattern.PatternOptions;
import dev.nanobroker.producer.source.SourceSpec;
import dev.nanobroker.ring.OverflowPolicy;
import javafx.animation.AnimationTimer;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ColorPicker;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableColumnBase;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.control.skin.TableColumnHeader;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.text.Text;
import javafx.stage.FileChooser;

import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The producer window: preview on the left, the controls on the right, the run's status and the
 * ring's readers below. Every control has a command-line flag of the same name. What can change
 * while running (pattern, its options, overlay) applies at once; the rest waits for the next start.
 *
 * <p>Nothing is cut off in a small window (the demo's tiles): the status lines wrap, the reader
 * table is as tall as its rows and its columns are never narrower than their header and cells, and
 * the controls go into two columns (Ring beside Source) when one column would not fit in the
 * height; where two do not fit either, or would leave the preview too little room, the one column
 * scrolls.
 */
public final class ProducerWindow extends BorderPane {

    /** Narrowest preview worth having beside two columns of controls; a narrower window gets one column that scrolls. */
    private static final double MIN_PREVIEW_WIDTH = 280;
    /** Rows the reader table shows before it scrolls; it shows at least one (or its placeholder). */
    private static final int MAX_TABLE_ROWS = 5;

    private final ProducerModel model;
    private final ProducerSettings initial;
    private final FramePreview preview = new FramePreview();

    final TextField ringName = new TextField();
    final ComboBox<String> size = new ComboBox<>();
    final TextField fps = new TextField();
    final Spinner<Integer> slots = new Spinner<>(1, 64, 8);
    final ChoiceBox<String> policy = new ChoiceBox<>();
    final TextField blockTimeout = new TextField();
    final ChoiceBox<String> source = new ChoiceBox<>();
    final TextField sourcePath = new TextField();
    final Button browse = new Button("…");
    final ChoiceBox<String> pattern = new ChoiceBox<>();
    final Spinner<Integer> cellSize = new Spinner<>(1, 1024, 64);
    final ColorPicker colour = new ColorPicker();
    final Spinner<Integer> speed = new Spinner<>(0, 200, 8);
    final CheckBox overlay = new CheckBox("Burn in frame number and time");
    final CheckBox checksum = new CheckBox("Checksum every frame");
    final Button startStop = new Button("Start");
    final Label error = new Label();
    final Label status = new Label();
    final TableView<ReaderRow> readers = new TableView<>();

    private final GridPane ringGroup = group();
    private final GridPane sourceGroup = group();
    private final GridPane groups = new GridPane();
    private final VBox side = new VBox(10);
    private final ScrollPane sideScroll = new ScrollPane();
    private final VBox statusBox = new VBox(6);
    private boolean twoColumns;

    private final AnimationTimer pulse = new AnimationTimer() {
        private long lastRefresh;

        @Override
        public void handle(long now) {
            preview.update(model.ring(), now);
            if (now - lastRefresh >= 250_000_000L) {
                lastRefresh = now;
                model.refresh();
            }
        }
    };

    public ProducerWindow(ProducerModel model, ProducerSettings initial) {
        this.model = model;
        this.initial = initial;
        getStyleClass().add("producer");
        setCenter(preview);
        // Scrollable, so that a window too low even for two columns still shows the status area.
        sideScroll.setContent(controls(initial));
        sideScroll.setFitToWidth(true);
        sideScroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        sideScroll.getStyleClass().add("side-scroll");
        setRight(sideScroll);
        setBottom(statusArea());
        BorderPane.setMargin(preview, new Insets(8));
        pulse.start();
    }

    private VBox controls(ProducerSettings initial) {
        ringName.setText(initial.ringName());
        size.getItems().addAll("640x360", "1280x720", "1920x1080", "3840x2160");
        size.setEditable(true);
        size.setValue(new FrameSize(initial.geometry().width(), initial.geometry().height()).toString());
        fps.setText(initial.fps() == Math.rint(initial.fps()) ? Long.toString((long) initial.fps()) : Double.toString(initial.fps()));
        slots.getValueFactory().setValue(initial.geometry().slotCount());
        slots.setEditable(true);
        policy.getItems().addAll("block", "drop", "overwrite");
        policy.setValue(initial.policy().label());
        // Under drop or overwrite the field shows what block would wait, should the user pick it.
        Duration timeout = initial.policy() instanceof OverflowPolicy.Block block
                ? Duration.ofNanos(block.timeoutNanos()) : ProducerSettings.DEFAULT_BLOCK_TIMEOUT;
        blockTimeout.setText(Long.toString(timeout.toMillis()));
        source.getItems().addAll("pattern", "webcam", "file");
        switch (initial.source()) {
            case SourceSpec.Pattern pattern -> source.setValue("pattern");
            case SourceSpec.Camera camera -> {
                source.setValue("webcam");
                sourcePath.setText(camera.device() == null ? "" : camera.device());
            }
            case SourceSpec.VideoFile file -> {
                source.setValue("file");
                sourcePath.setText(file.path());
            }
        }
        sourcePath.promptTextProperty().bind(source.valueProperty().map(kind -> switch (kind) {
            case "webcam" -> "/dev/video0";
            case "file" -> "path of a video file";
            default -> "";
        }));
        // Settings that apply from the next start on are fixed from Start until the run has stopped.
        BooleanBinding busy = model.phaseProperty().isNotEqualTo(ProducerModel.Phase.STOPPED);
        sourcePath.disableProperty().bind(busy.or(source.valueProperty().isEqualTo("pattern")));
        browse.disableProperty().bind(busy.or(source.valueProperty().isNotEqualTo("file")));
        browse.setOnAction(event -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle("Video file to play in a loop");
            File chosen = chooser.showOpenDialog(getScene().getWindow());
            if (chosen != null) {
                sourcePath.setText(chosen.getPath());
            }
        });
        pattern.getItems().addAll(PatternCatalog.names());
        pattern.disableProperty().bind(source.valueProperty().isNotEqualTo("pattern"));
        pattern.setValue(initial.pattern());
        PatternOptions options = initial.patternOptions();
        cellSize.getValueFactory().setValue(options.cellSize());
        cellSize.setEditable(true);
        colour.setValue(colour(options.colour()));
        speed.getValueFactory().setValue(options.speed());
        speed.setEditable(true);
        overlay.setSelected(initial.overlay());
        checksum.setSelected(initial.checksum());
        for (Node restartOnly : List.of(ringName, size, fps, slots, policy, checksum, source)) {
            restartOnly.disableProperty().bind(busy);
        }
        blockTimeout.disableProperty().bind(busy.or(policy.valueProperty().isNotEqualTo("block")));
        pattern.valueProperty().addListener((observable, old, now) -> applyLive());
        cellSize.valueProperty().addListener((observable, old, now) -> applyLive());
        colour.valueProperty().addListener((observable, old, now) -> applyLive());
        speed.valueProperty().addListener((observable, old, now) -> applyLive());
        overlay.selectedProperty().addListener((observable, old, now) -> applyLive());

        startStop.setDefaultButton(true);
        startStop.setMaxWidth(Double.MAX_VALUE);
        startStop.textProperty().bind(model.phaseProperty().map(phase -> phase == ProducerModel.Phase.RUNNING ? "Stop" : "Start"));
        // Nothing to do while the source opens or the run closes: the status says which.
        startStop.disableProperty().bind(model.phaseProperty().isEqualTo(ProducerModel.Phase.OPENING)
                .or(model.phaseProperty().isEqualTo(ProducerModel.Phase.STOPPING)));
        startStop.setOnAction(event -> toggle());
        error.getStyleClass().add("error");
        error.setWrapText(true);
        error.textProperty().bind(model.errorProperty());
        error.setId("error");
        error.managedProperty().bind(error.textProperty().isNotEmpty()); // no gap under the button for no message

        // Two groups, one above the other or side by side (see arrangeControls): what the ring is,
        // with the checksum it carries, and what fills it, with the overlay burnt into it.
        int row = 0;
        ringGroup.add(heading("Ring"), 0, row++, 2, 1);
        ringGroup.addRow(row++, new Label("Name"), ringName);
        ringGroup.addRow(row++, new Label("Size"), size);
        ringGroup.addRow(row++, new Label("Frame rate"), fps);
        ringGroup.addRow(row++, new Label("Slots"), slots);
        ringGroup.addRow(row++, new Label("Policy"), policy);
        ringGroup.addRow(row++, new Label("Block ms"), blockTimeout);
        ringGroup.add(checksum, 0, row, 2, 1);
        row = 0;
        sourceGroup.add(heading("Source"), 0, row++, 2, 1);
        sourceGroup.addRow(row++, new Label("Source"), source);
        HBox path = new HBox(4, sourcePath, browse);
        HBox.setHgrow(sourcePath, Priority.ALWAYS);
        browse.setMinWidth(Region.USE_PREF_SIZE);
        sourceGroup.addRow(row++, new Label("Device/file"), path);
        sourceGroup.addRow(row++, new Label("Pattern"), pattern);
        sourceGroup.addRow(row++, new Label("Cell size"), cellSize);
        sourceGroup.addRow(row++, new Label("Colour"), colour);
        sourceGroup.addRow(row++, new Label("Speed"), speed);
        sourceGroup.add(overlay, 0, row, 2, 1);
        // Fields are narrow by default and fill their column: two columns of controls stay narrow
        // enough to leave the preview room, one column is as wide as the side panel.
        for (Region field : List.of(ringName, size, fps, slots, policy, blockTimeout, source, path, pattern, cellSize, colour, speed)) {
            field.setPrefWidth(150);
            field.setMaxWidth(Double.MAX_VALUE);
        }
        Tooltip.install(fps, new Tooltip("Frames per second; 0 = as fast as possible (a camera or file: its own rate)"));
        Tooltip.install(blockTimeout, new Tooltip("Longest wait for a slow reader under block, then the frame is dropped"));
        Tooltip.install(speed, new Tooltip("Pixels per frame for moving patterns"));
        Tooltip.install(policy, new Tooltip("When the slowest reader is a whole ring behind: wait (block), skip the frame (drop) or write anyway (overwrite)"));

        groups.getStyleClass().add("groups");
        groups.getColumnConstraints().add(growing());
        groups.add(ringGroup, 0, 0);
        groups.add(sourceGroup, 0, 1);
        side.getChildren().addAll(groups, startStop, error);
        side.getStyleClass().add("side");
        side.setPrefWidth(330);
        return side;
    }

    private static GridPane group() {
        GridPane grid = new GridPane();
        grid.getStyleClass().add("controls");
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(Region.USE_PREF_SIZE); // never truncate a label
        grid.getColumnConstraints().addAll(labels, growing());
        return grid;
    }

    private static ColumnConstraints growing() {
        ColumnConstraints column = new ColumnConstraints();
        column.setHgrow(Priority.ALWAYS);
        column.setFillWidth(true);
        return column;
    }

    private static Label heading(String text) {
        Label label = new Label(text);
        label.getStyleClass().add("heading");
        return label;
    }

    @Override
    protected void layoutChildren() {
        fitTableHeight();
        arrangeControls();
        super.layoutChildren();
        fitColumns();
    }

    /**
     * One column of controls when it fits in the height the status area leaves; two (Ring beside
     * Source) when they fit and the preview keeps {@link #MIN_PREVIEW_WIDTH} beside them; else one
     * column that scrolls. Both groups' labels take the same width, so their fields line up.
     */
    private void arrangeControls() {
        double labelWidth = 0;
        for (GridPane group : List.of(ringGroup, sourceGroup)) {
            for (Node child : group.getChildren()) {
                if (child instanceof Label label && GridPane.getColumnSpan(label) == null) {
                    labelWidth = Math.max(labelWidth, Math.ceil(label.prefWidth(-1)));
                }
            }
        }
        for (GridPane group : List.of(ringGroup, sourceGroup)) {
            ColumnConstraints labels = group.getColumnConstraints().getFirst();
            if (labels.getPrefWidth() != labelWidth) {
                labels.setPrefWidth(labelWidth);
            }
        }
        double width = getWidth() - snappedLeftInset() - snappedRightInset();
        double available = getHeight() - snappedTopInset() - snappedBottomInset() - statusBox.prefHeight(width);
        double ring = ringGroup.prefHeight(-1);
        double source = sourceGroup.prefHeight(-1);
        double oneColumn = side.prefHeight(-1) + (twoColumns ? Math.min(ring, source) + groups.getVgap() : 0);
        double twoColumn = oneColumn - Math.min(ring, source) - groups.getVgap();
        double twoColumnWidth = sideScroll.snappedLeftInset() + sideScroll.snappedRightInset() + side.snappedLeftInset()
                + side.snappedRightInset() + ringGroup.prefWidth(-1) + groups.getHgap() + sourceGroup.prefWidth(-1);
        boolean two = oneColumn > available && twoColumn <= available && width - twoColumnWidth >= MIN_PREVIEW_WIDTH;
        if (two != twoColumns) {
            twoColumns = two;
            GridPane.setConstraints(sourceGroup, two ? 1 : 0, two ? 0 : 1);
            groups.getColumnConstraints().setAll(two ? List.of(growing(), growing()) : List.of(growing()));
            side.setPrefWidth(two ? Region.USE_COMPUTED_SIZE : 330);
        }
    }

    /** The reader table as tall as its rows (one to {@link #MAX_TABLE_ROWS}), so that the preview keeps the rest. */
    private void fitTableHeight() {
        Node header = readers.lookup(".column-header-background");
        double headerHeight = header instanceof Region region ? region.prefHeight(-1) : 25;
        int rows = Math.clamp(readers.getItems().size(), 1, MAX_TABLE_ROWS);
        double height = Math.ceil(headerHeight + rows * readers.getFixedCellSize() + readers.snappedTopInset()
                + readers.snappedBottomInset());
        if (readers.getPrefHeight() != height) {
            readers.setPrefHeight(height);
        }
    }

    /**
     * Gives every reader column at least the width its header and its cells' text need (never
     * less than it had: a column does not jump back and forth as numbers change); the table's
     * resize policy then shares what width is left among them.
     */
    private void fitColumns() {
        boolean widened = false;
        for (Node node : readers.lookupAll(".column-header")) {
            if (node instanceof TableColumnHeader header && header.lookup(".label") instanceof Label label) {
                widened |= widen(header.getTableColumn(), label, header.snappedLeftInset() + header.snappedRightInset());
            }
        }
        for (Node node : readers.lookupAll(".table-cell")) {
            if (node instanceof TableCell<?, ?> cell) {
                widened |= widen(cell.getTableColumn(), cell, 0);
            }
        }
        if (widened) { // share the width out again, as the table does when it is resized
            readers.getColumnResizePolicy().call(new TableView.ResizeFeatures<>(readers, null, 0.0));
        }
    }

    /** Raises the column's minimum width to what the labeled's text needs; whether it did. */
    private static boolean widen(TableColumnBase<?, ?> column, Labeled labeled, double around) {
        String text = labeled.getText();
        if (column == null || text == null || text.isEmpty()) {
            return false;
        }
        Text probe = new Text(text);
        probe.setFont(labeled.getFont());
        Insets padding = labeled.getLabelPadding();
        double width = Math.ceil(probe.getLayoutBounds().getWidth() + padding.getLeft() + padding.getRight()
                + labeled.snappedLeftInset() + labeled.snappedRightInset() + around) + 1;
        if (width <= column.getMinWidth()) {
            return false;
        }
        column.setMinWidth(width);
        return true;
    }

    private VBox statusArea() {
        status.textProperty().bind(model.statusProperty());
        status.setId("status");
        status.setWrapText(true); // a narrow window wraps the lines, it never cuts them short
        Label ring = new Label();
        ring.setId("ring-line");
        ring.setWrapText(true);
        ring.textProperty().bind(model.ringLineProperty());
        ring.visibleProperty().bind(ring.textProperty().isNotEmpty());
        ring.managedProperty().bind(ring.visibleProperty());
        readers.setItems(model.readers());
        readers.setPlaceholder(new Label("no readers attached"));
        readers.getColumns().add(column("Slot", ReaderRow::slot));
        readers.getColumns().add(column("PID", ReaderRow::pid));
        readers.getColumns().add(column("Alive", row -> row.alive() ? "yes" : "no"));
        readers.getColumns().add(column("Mode", ReaderRow::mode));
        readers.getColumns().add(column("Lag", ReaderRow::lag));
        readers.getColumns().add(column("Frames", ReaderRow::frames));
        readers.getColumns().add(column("Skipped", ReaderRow::skipped));
        readers.getColumns().add(column("Lost", ReaderRow::lost));
        readers.getColumns().add(column("Delivery", ReaderRow::delivery));
        readers.getColumns().add(column("Latency µs", ReaderRow::latencyMicros));
        // Columns start narrow; fitColumns widens each to its header and cells, and the policy
        // shares out the rest, so the delivery in words ("skipping (by design)") fits.
        for (TableColumn<ReaderRow, ?> column : readers.getColumns()) {
            column.setPrefWidth(40);
        }
        readers.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        readers.setFixedCellSize(24);
        statusBox.getChildren().addAll(status, ring, readers);
        statusBox.getStyleClass().add("status");
        return statusBox;
    }

    private static <T> TableColumn<ReaderRow, T> column(String title, Function<ReaderRow, T> value) {
        TableColumn<ReaderRow, T> column = new TableColumn<>(title);
        column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
        column.setSortable(false);
        return column;
    }

    private void toggle() {
        switch (model.phaseProperty().get()) {
            case RUNNING -> model.stop();
            case STOPPED -> {
                try {
                    model.start(settings());
                } catch (IllegalArgumentException e) {
                    model.reportError(e.getMessage());
                }
            }
            case OPENING, STOPPING -> { } // the button is disabled meanwhile
        }
    }

    private void applyLive() {
        ProducerModel.Phase phase = model.phaseProperty().get();
        if (phase == ProducerModel.Phase.OPENING || phase == ProducerModel.Phase.RUNNING) {
            try {
                model.applyLive(settings());
            } catch (IllegalArgumentException e) {
                model.reportError(e.getMessage());
            }
        }
    }

    /** The settings the controls show; a value that does not parse or cannot work is an IllegalArgumentException. */
    ProducerSettings settings() {
        FrameSize frameSize = FrameSize.parse(String.valueOf(size.getValue()));
        long timeoutMillis = (long) number(blockTimeout.getText(), "block timeout");
        String path = sourcePath.getText().trim();
        SourceSpec spec = SourceSpec.parse(switch (source.getValue()) {
            case "webcam" -> path.isEmpty() ? "webcam" : "webcam:" + path;
            case "file" -> "file:" + path;
            default -> "pattern";
        });
        // Frames to produce, readers to wait for and removal at the end have no control: they stay
        // as the command line set them.
        return initial.withRingName(ringName.getText().trim())
                .withSize(frameSize.width(), frameSize.height())
                .withSlots(slots.getValue())
                .withFps(number(fps.getText(), "frame rate"))
                .withPolicy(ProducerSettings.overflowPolicy(policy.getValue(), timeoutMillis))
                .withSource(spec)
                .withPattern(pattern.getValue())
                .withPatternOptions(new PatternOptions(cellSize.getValue(), argb(colour.getValue()), speed.getValue()))
                .withOverlay(overlay.isSelected())
                .withChecksum(checksum.isSelected());
    }

    /** 0xAARRGGBB, straight alpha, as the colour picker's colour. */
    private static Color colour(int argb) {
        return Color.rgb(argb >> 16 & 0xFF, argb >> 8 & 0xFF, argb & 0xFF, (argb >>> 24) / 255.0);
    }

    /** The colour picker's colour as 0xAARRGGBB, straight alpha. */
    private static int argb(Color c) {
        return (int) Math.round(c.getOpacity() * 255) << 24 | (int) Math.round(c.getRed() * 255) << 16
                | (int) Math.round(c.getGreen() * 255) << 8 | (int) Math.round(c.getBlue() * 255);
    }

    private static double number(String text, String what) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + text + "' is not a number");
        }
    }

    /** Stops the pulse and asks the run to stop ({@link ProducerModel#stop}); for the window's close. */
    public void shutdown() {
        pulse.stop();
        model.stop();
    }

    FramePreview preview() {
        return preview;
    }
}
