package dev.nanobroker.producer.ui;

import dev.nanobroker.frame.Pixels;
import dev.nanobroker.producer.ProducerSettings;
import dev.nanobroker.producer.pattern.PatternCatalog;
import dev.nanobroker.producer.pattern.PatternOptions;
import javafx.animation.AnimationTimer;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ColorPicker;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.stage.FileChooser;

import java.io.File;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The producer window: preview on the left, the controls on the right, the run's status and the
 * ring's readers below. Every control has a command-line flag of the same name. What can change
 * while running (pattern, its options, overlay) applies at once; the rest waits for the next start.
 */
public final class ProducerWindow extends BorderPane {

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
        // Scrollable, so that a small window (the demo's tiles) still shows the status area.
        ScrollPane side = new ScrollPane(controls(initial));
        side.setFitToWidth(true);
        side.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        side.getStyleClass().add("side-scroll");
        setRight(side);
        setBottom(statusArea());
        BorderPane.setMargin(preview, new Insets(8));
        pulse.start();
    }

    private VBox controls(ProducerSettings initial) {
        ringName.setText(initial.ringName());
        size.getItems().addAll("640x360", "1280x720", "1920x1080", "3840x2160");
        size.setEditable(true);
        size.setValue(initial.width() + "x" + initial.height());
        fps.setText(initial.fps() == Math.rint(initial.fps()) ? Long.toString((long) initial.fps()) : Double.toString(initial.fps()));
        slots.getValueFactory().setValue(initial.slots());
        slots.setEditable(true);
        policy.getItems().addAll("block", "drop", "overwrite");
        policy.setValue(initial.policy());
        blockTimeout.setText(Long.toString(initial.blockTimeoutMillis()));
        source.getItems().addAll("pattern", "webcam", "file");
        String spec = initial.source();
        source.setValue(spec.startsWith("webcam") ? "webcam" : spec.startsWith("file:") ? "file" : "pattern");
        sourcePath.setText(spec.contains(":") ? spec.substring(spec.indexOf(':') + 1) : "");
        sourcePath.promptTextProperty().bind(source.valueProperty().map(kind -> switch (kind) {
            case "webcam" -> "/dev/video0";
            case "file" -> "path of a video file";
            default -> "";
        }));
        sourcePath.disableProperty().bind(model.runningProperty().or(source.valueProperty().isEqualTo("pattern")));
        browse.disableProperty().bind(model.runningProperty().or(source.valueProperty().isNotEqualTo("file")));
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
        colour.setValue(Color.rgb(options.colour() >> 16 & 0xFF, options.colour() >> 8 & 0xFF, options.colour() & 0xFF,
                (options.colour() >>> 24) / 255.0));
        speed.getValueFactory().setValue(options.speed());
        speed.setEditable(true);
        overlay.setSelected(initial.overlay());
        checksum.setSelected(initial.checksum());
        for (Node restartOnly : List.of(ringName, size, fps, slots, policy, checksum, source)) {
            restartOnly.disableProperty().bind(model.runningProperty());
        }
        blockTimeout.disableProperty().bind(model.runningProperty().or(policy.valueProperty().isNotEqualTo("block")));
        pattern.valueProperty().addListener((observable, old, now) -> applyLive());
        cellSize.valueProperty().addListener((observable, old, now) -> applyLive());
        colour.valueProperty().addListener((observable, old, now) -> applyLive());
        speed.valueProperty().addListener((observable, old, now) -> applyLive());
        overlay.selectedProperty().addListener((observable, old, now) -> applyLive());

        startStop.setDefaultButton(true);
        startStop.setMaxWidth(Double.MAX_VALUE);
        startStop.textProperty().bind(model.runningProperty().map(running -> running ? "Stop" : "Start"));
        startStop.setOnAction(event -> toggle());
        error.getStyleClass().add("error");
        error.setWrapText(true);
        error.textProperty().bind(model.errorProperty());
        error.setId("error");

        GridPane grid = new GridPane();
        grid.getStyleClass().add("controls");
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(Region.USE_PREF_SIZE); // never truncate a label
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        fields.setFillWidth(true);
        grid.getColumnConstraints().addAll(labels, fields);
        int row = 0;
        grid.addRow(row++, heading("Ring"));
        grid.addRow(row++, new Label("Name"), ringName);
        grid.addRow(row++, new Label("Size"), size);
        grid.addRow(row++, new Label("Frame rate"), fps);
        grid.addRow(row++, new Label("Slots"), slots);
        grid.addRow(row++, new Label("Policy"), policy);
        grid.addRow(row++, new Label("Block ms"), blockTimeout);
        grid.addRow(row++, heading("Source"));
        grid.addRow(row++, new Label("Source"), source);
        HBox path = new HBox(4, sourcePath, browse);
        HBox.setHgrow(sourcePath, Priority.ALWAYS);
        grid.addRow(row++, new Label("Device/file"), path);
        grid.addRow(row++, new Label("Pattern"), pattern);
        grid.addRow(row++, new Label("Cell size"), cellSize);
        grid.addRow(row++, new Label("Colour"), colour);
        grid.addRow(row++, new Label("Speed"), speed);
        grid.add(overlay, 0, row++, 2, 1);
        grid.add(checksum, 0, row, 2, 1);
        Tooltip.install(fps, new Tooltip("Frames per second; 0 = as fast as possible (a camera or file: its own rate)"));
        Tooltip.install(blockTimeout, new Tooltip("Longest wait for a slow reader under block, then the frame is dropped"));
        Tooltip.install(speed, new Tooltip("Pixels per frame for moving patterns"));
        Tooltip.install(policy, new Tooltip("When the slowest reader is a whole ring behind: wait (block), skip the frame (drop) or write anyway (overwrite)"));

        VBox box = new VBox(10, grid, startStop, error);
        box.getStyleClass().add("side");
        box.setPrefWidth(330);
        return box;
    }

    private static Label heading(String text) {
        Label label = new Label(text);
        label.getStyleClass().add("heading");
        return label;
    }

    private VBox statusArea() {
        status.textProperty().bind(model.statusProperty());
        status.setId("status");
        status.setMinWidth(Region.USE_PREF_SIZE); // in a narrow window the ring line gives way, not the counters
        Label ring = new Label();
        ring.textProperty().bind(model.ringLineProperty());
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
        // Narrow number columns, so that the delivery in words ("skipping (by design)") fits.
        for (TableColumn<ReaderRow, ?> column : readers.getColumns()) {
            column.setPrefWidth(column.getText().equals("Delivery") ? 170 : 70);
        }
        readers.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        readers.setPrefHeight(150);
        readers.setMinHeight(90);
        HBox line = new HBox(16, status, ring);
        line.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(6, line, readers);
        box.getStyleClass().add("status");
        VBox.setVgrow(readers, Priority.ALWAYS);
        return box;
    }

    private static <T> TableColumn<ReaderRow, T> column(String title, Function<ReaderRow, T> value) {
        TableColumn<ReaderRow, T> column = new TableColumn<>(title);
        column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
        column.setSortable(false);
        return column;
    }

    private void toggle() {
        if (model.runningProperty().get()) {
            model.stop();
            return;
        }
        ProducerSettings settings;
        try {
            settings = settings();
        } catch (IllegalArgumentException e) {
            model.reportError(e.getMessage());
            return;
        }
        model.start(settings);
    }

    private void applyLive() {
        if (model.runningProperty().get()) {
            try {
                model.applyLive(settings());
            } catch (IllegalArgumentException e) {
                model.reportError(e.getMessage());
            }
        }
    }

    /** The settings the controls show; a value that does not parse is an IllegalArgumentException. */
    ProducerSettings settings() {
        String[] wh = String.valueOf(size.getValue()).trim().toLowerCase(Locale.ROOT).split("x", -1);
        int width;
        int height;
        try {
            width = Integer.parseInt(wh[0].trim());
            height = Integer.parseInt(wh[1].trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("size '" + size.getValue() + "' is not WIDTHxHEIGHT, e.g. 1280x720");
        }
        double rate = number(fps.getText(), "frame rate");
        long timeout = (long) number(blockTimeout.getText(), "block timeout");
        Color c = colour.getValue();
        int argb = (int) Math.round(c.getOpacity() * 255) << 24 | (int) Math.round(c.getRed() * 255) << 16
                | (int) Math.round(c.getGreen() * 255) << 8 | (int) Math.round(c.getBlue() * 255);
        PatternOptions options = new PatternOptions(cellSize.getValue(), argb, speed.getValue());
        String path = sourcePath.getText().trim();
        String spec = switch (source.getValue()) {
            case "webcam" -> path.isEmpty() ? "webcam" : "webcam:" + path;
            case "file" -> "file:" + path;
            default -> "pattern";
        };
        // Frames to produce, readers to wait for and removal at the end have no control: they stay
        // as the command line set them.
        return new ProducerSettings(ringName.getText().trim(), width, height, slots.getValue(), rate, initial.frames(),
                policy.getValue(), timeout, initial.waitReaders(), spec, pattern.getValue(), options, overlay.isSelected(),
                checksum.isSelected(), initial.unlink()).validate();
    }

    private static double number(String text, String what) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + text + "' is not a number");
        }
    }

    /** Stops the run and the pulse; for the window's close. */
    public void shutdown() {
        pulse.stop();
        model.stop();
    }

    FramePreview preview() {
        return preview;
    }
}
