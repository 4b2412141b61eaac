package dev.nanobroker.viewer;

import dev.nanobroker.ring.BridgeNote;
import dev.nanobroker.ring.Delivery;
import dev.nanobroker.ring.RingLayout;
import dev.nanobroker.ring.RingStatus;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.geometry.Pos;
import javafx.scene.CacheHint;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Polyline;
import javafx.scene.shape.Rectangle;

import java.util.List;
import java.util.Locale;

/**
 * The panel beside or below the picture (never over it: {@link PictureLayout}). On top, large, the
 * three figures a stakeholder looks for: latency, display / producer fps, and this viewer's delivery
 * in words. Under them the detail: what the producer's policy did, the latency the clock's pixels
 * carry, every attached reader line of the ring with its lag, skipped and lost frames, and a plot of
 * latency and lag over the last ten seconds; and photo mode. How much of it shows is the {@link
 * Detail} the window's size leaves room for. Colours come from the style sheet only (the palette's
 * looked-up colours).
 */
final class OverlayPane extends VBox {

    /** How much the panel shows, most first: the layout picks the most that leaves the frame its room. */
    enum Detail {
        /** Everything, stacked: the figures, the readers, photo mode. */
        FULL,
        /** The readers and photo mode beside the figures, shorter rows, a lower plot (a default-sized window). */
        COMPACT,
        /** As compact, without photo mode (the demo's tiles). */
        TILE,
        /** The headline figures, the delivery and the strip of reader lines only (small windows). */
        MINIMAL
    }

    private static final int LINES = RingLayout.MAX_READERS;
    private static final double BAR_WIDTH = 90;
    private static final double PLOT_WIDTH = 320;
    private static final double PLOT_HEIGHT = 96;
    private static final double COMPACT_PLOT_HEIGHT = 44;
    private static final List<String> CELL_STATES = List.of("free", "live", "dead", "own");
    private static final String PULSE_LATENCY = "latency, publish → display pulse";
    private static final String SCREEN_LATENCY = "latency p50, publish → on screen (captured)";

    private final ViewerModel model;
    private final Label title = new Label();
    private final Label latency = new Label();
    private final Label latencyCaption = new Label();
    /** The age of the frame on screen, p50 in ms, while it is measured (key L); NaN otherwise. */
    private double screenLatencyMs = Double.NaN;
    private final Label rates = new Label();
    private final Label verdict = new Label();
    private final Label delivery = new Label();
    private final Label clock = new Label();
    private final Label producer = new Label();
    private final Label screen = new Label();
    private final NowClock now = new NowClock();
    private final VBox photo = new VBox(2);
    private final DoubleProperty headlineSize = new SimpleDoubleProperty(24);
    private final ObjectProperty<Detail> detail = new SimpleObjectProperty<>(Detail.FULL);
    /** Reader lines attached: each is a row, so the panel's size at every detail changes with it. */
    private final IntegerProperty rows = new SimpleIntegerProperty();
    private final BooleanProperty compact = new SimpleBooleanProperty();
    private final GridPane lines = new GridPane();
    private final VBox figures = new VBox();
    private final VBox readers = new VBox();
    private final Rectangle[] cells = new Rectangle[LINES];
    private final Label[] lineText = new Label[LINES];
    private final Rectangle[] lagBars = new Rectangle[LINES];
    private final StackPane[] bars = new StackPane[LINES];
    private final Pane plot = new Pane();
    private final Polyline latencyLine = new Polyline();
    private final Polyline lagLine = new Polyline();
    private final Label latencyScale = new Label();
    private final Label lagScale = new Label();
    private final Label legendOfPlot = new Label("latency ms (yellow) · lag frames (blue) · last 10 s");

    OverlayPane(ViewerModel model) {
        this.model = model;
        createView();
        initListeners();
    }

    private void createView() {
        getStyleClass().add("overlay");
        setId("overlay");
        setMaxSize(USE_PREF_SIZE, USE_PREF_SIZE);
        // The picture beside the panel changes every pulse, the figures and readers a few times a
        // second: each column is rendered to a bitmap when it changes and only that bitmap drawn per
        // pulse (text is costly in the software pipeline). Photo mode, which changes every pulse,
        // stays outside them.
        for (VBox column : new VBox[] {figures, readers}) {
            column.setCache(true);
            column.setCacheHint(CacheHint.SPEED);
        }
        title.getStyleClass().add("overlay-title");
        title.setId("overlay-title");
        latency.setId("overlay-latency");
        rates.setId("overlay-rates");
        verdict.setId("overlay-verdict");
        GridPane headline = new GridPane();
        headline.getStyleClass().add("headline");
        latencyCaption.setText(PULSE_LATENCY);
        latencyCaption.setId("overlay-latency-caption");
        addFigure(headline, 0, latency, latencyCaption);
        addFigure(headline, 1, rates, new Label("fps, display / producer"));
        addFigure(headline, 2, verdict, new Label("delivery since this viewer attached"));
        HBox colours = new HBox(12);
        colours.getStyleClass().add("verdict-legend");
        String[][] meanings = {{"verdict-every-frame", "● every frame"}, {"verdict-skipping", "● skipping by design (slower than the source)"},
                {"verdict-losing", "● losing frames"}};
        for (String[] meaning : meanings) {
            Label entry = new Label(meaning[1]);
            entry.getStyleClass().add(meaning[0]);
            colours.getChildren().add(entry);
        }
        clock.setId("overlay-clock");
        producer.setId("overlay-producer");
        delivery.setId("overlay-delivery");
        delivery.getStyleClass().add("delivery");
        screen.setId("overlay-screen-latency");
        screen.setVisible(false);
        // All 16 reader lines at a glance (free dark, live blue, dead grey, this viewer yellow), then
        // one row per attached line with its lag bar (lag / slots) and numbers.
        HBox strip = new HBox(3);
        strip.getStyleClass().add("line-strip");
        lines.getStyleClass().add("reader-lines");
        for (int line = 0; line < LINES; line++) {
            cells[line] = new Rectangle(12, 12);
            cells[line].getStyleClass().addAll("line-cell", "free");
            strip.getChildren().add(cells[line]);
            lineText[line] = new Label();
            lineText[line].setId("reader-line-" + line);
            lineText[line].getStyleClass().add("reader-line");
            Rectangle track = new Rectangle(BAR_WIDTH, 6);
            track.getStyleClass().add("lag-track");
            lagBars[line] = new Rectangle(0, 6);
            lagBars[line].getStyleClass().add("lag-bar");
            bars[line] = new StackPane(track, lagBars[line]);
            bars[line].setAlignment(Pos.CENTER_LEFT);
            lines.addRow(line, bars[line], lineText[line]);
            for (Node node : new Node[] {bars[line], lineText[line]}) {
                node.setVisible(false);
                node.managedProperty().bind(node.visibleProperty());
            }
        }
        plot.getStyleClass().add("plot");
        plot.setId("overlay-plot");
        latencyLine.getStyleClass().add("latency-line");
        lagLine.getStyleClass().add("lag-line");
        latencyScale.getStyleClass().add("plot-scale");
        lagScale.getStyleClass().add("plot-scale");
        BorderPane scales = new BorderPane();
        scales.setLeft(latencyScale);
        scales.setRight(lagScale);
        scales.setPrefWidth(PLOT_WIDTH);
        plot.getChildren().addAll(latencyLine, lagLine, scales);
        plot.setPrefWidth(PLOT_WIDTH);
        plot.setMinSize(PLOT_WIDTH, Pane.USE_PREF_SIZE);
        legendOfPlot.getStyleClass().add("legend");
        figures.getChildren().addAll(title, headline, delivery, colours, producer, clock, screen);
        readers.getChildren().addAll(strip, lines, plot, legendOfPlot);
        for (VBox column : new VBox[] {figures, readers}) {
            column.getStyleClass().add("overlay-column");
            for (Node node : column.getChildren()) {
                node.managedProperty().bind(node.visibleProperty());
            }
        }
        arrange(Detail.FULL);
        Label nowCaption = new Label("now, on the frame's clock: photograph both");
        nowCaption.getStyleClass().add("headline-label");
        photo.getChildren().addAll(now, nowCaption);
        photo.managedProperty().bind(photo.visibleProperty());
    }

    private void initListeners() {
        visibleProperty().bind(model.overlayShownProperty().and(model.stateProperty().isEqualTo(ViewerModel.State.SHOWING)
                .or(model.stateProperty().isEqualTo(ViewerModel.State.NO_SIGNAL))));
        for (Label value : new Label[] {latency, rates, verdict}) {
            value.styleProperty().bind(headlineSize.map(size -> String.format(Locale.ROOT, "-fx-font-size: %.0fpx;", size)));
        }
        now.fitHeightProperty().bind(headlineSize);
        compact.bind(detail.isEqualTo(Detail.COMPACT).or(detail.isEqualTo(Detail.TILE)));
        detail.addListener((observable, was, is) -> arrange(is));
        photo.visibleProperty().bind(clock.visibleProperty().and(detail.isEqualTo(Detail.FULL).or(detail.isEqualTo(Detail.COMPACT))));
        lines.visibleProperty().bind(detail.isNotEqualTo(Detail.MINIMAL));
        plot.visibleProperty().bind(detail.isNotEqualTo(Detail.MINIMAL));
        legendOfPlot.visibleProperty().bind(detail.isNotEqualTo(Detail.MINIMAL));
        plot.prefHeightProperty().bind(compact.map(small -> small ? COMPACT_PLOT_HEIGHT : PLOT_HEIGHT));
        model.statsProperty().addListener((observable, was, stats) -> {
            if (stats != null && isVisible()) {
                show(stats, model.history(), System.nanoTime());
            }
        });
        compact.addListener((observable, was, is) -> {
            if (model.statsProperty().get() != null) {
                show(model.statsProperty().get(), model.history(), System.nanoTime());
            }
        });
    }

    /**
     * The figures above the readers and photo mode; compact, the readers and photo mode beside the
     * figures instead, so that a wide panel under the picture of a tile stays low and leaves the
     * frame its room.
     */
    private void arrange(Detail shown) {
        getChildren().setAll(shown == Detail.COMPACT || shown == Detail.TILE ? new HBox(16, figures, new VBox(8, readers, photo))
                : new VBox(8, figures, readers, photo));
    }

    /**
     * The headline latency's caption: from which publish it counts. A ring a bridge receives into
     * keeps the producer's publish time once the sender's clock is known (the same kernel's, or its
     * offset estimated over the bridge), so its latency is end to end, across the hosts.
     */
    static String pulseLatencyCaption(BridgeNote.Clock bridged) {
        if (bridged == null) {
            return PULSE_LATENCY;
        }
        return switch (bridged.known()) {
            case SAME_HOST -> "latency end to end: publish → bridge → pulse";
            case ESTIMATED -> String.format(Locale.ROOT, "latency end to end from the other host → pulse (clock ± %.2f ms)",
                    bridged.accuracyNanos() / 1e6);
            case UNKNOWN -> "latency, bridge's republish → pulse (sender's clock not known)";
        };
    }

    private static void addFigure(GridPane grid, int column, Label value, Label caption) {
        value.getStyleClass().add("headline-value");
        caption.getStyleClass().add("headline-label");
        grid.add(value, column, 0);
        grid.add(caption, column, 1);
    }

    /**
     * What the screen-latency measurement found (key L): its line under the figures, and its p50 as
     * the headline latency; {@code null} while it is not measured.
     */
    void showScreenLatency(ScreenLatency measured) {
        screen.setVisible(measured != null);
        screen.setText(measured == null ? "" : measured.describe());
        screenLatencyMs = measured == null ? Double.NaN : measured.publishToScreenP50();
        if (!Double.isNaN(screenLatencyMs)) {
            latency.setText(String.format(Locale.ROOT, "%.1f ms", screenLatencyMs)); // at once: the line above says the same
            latencyCaption.setText(SCREEN_LATENCY);
        }
    }

    /** Photo mode: draws the time now next to the picture, while the frame shows a latency clock. */
    void showNow(long nanos) {
        if (photo.isVisible()) {
            now.show(nanos);
        }
    }

    /** The size of the headline figures, in px: the window makes it, so that they read at a distance. */
    DoubleProperty headlineSizeProperty() {
        return headlineSize;
    }

    /** How much the panel shows ({@link PictureLayout} sets it for the window's size). */
    void setDetail(Detail detail) {
        this.detail.set(detail);
    }

    Detail detail() {
        return detail.get();
    }

    /** The number of reader rows: when it changes, so does the panel's size at every detail. */
    ReadOnlyIntegerProperty rowsProperty() {
        return rows;
    }

    private void show(ViewerStats stats, History history, long nanos) {
        boolean small = compact.get();
        title.setText(String.format(Locale.ROOT, "%s  %s  frame %d", stats.ringName(), stats.geometry(), stats.frame()));
        // The frame's age on the screen itself when it is measured; else its age at the pulse that took it.
        boolean onScreen = !Double.isNaN(screenLatencyMs);
        latency.setText(String.format(Locale.ROOT, "%.1f ms", onScreen ? screenLatencyMs : stats.latencyMs()));
        latencyCaption.setText(onScreen ? SCREEN_LATENCY : pulseLatencyCaption(stats.bridgedClock()));
        rates.setText(String.format(Locale.ROOT, "%.0f / %.0f", stats.displayFps(), stats.producerFps()));
        // What a slow reader costs, by the producer's policy: block waits, drop drops at the source.
        // One line of about the same length, stalled or not: a panel whose size changed with a stall
        // would be laid out again with less detail.
        producer.setText(String.format(Locale.ROOT, "producer: waited %,d ms, dropped %,d frames   ·   %s",
                stats.blockedMillis(), stats.producerDrops(), stats.stallLeftMillis() > 0
                        ? String.format(Locale.ROOT, "THIS VIEWER STALLED, %.1f s left", stats.stallLeftMillis() / 1000.0)
                        : "this viewer: reading (Z stalls it)"));
        setStyleClass(producer, "stalled", stats.stallLeftMillis() > 0);
        clock.setVisible(!Double.isNaN(stats.clockLatencyMs()));
        clock.setText(String.format(Locale.ROOT, "clock %.2f ms (render time in the pixels → pulse)", stats.clockLatencyMs()));
        for (RingStatus.Reader reader : stats.readers()) {
            showLine(reader, stats, small);
        }
        rows.set((int) stats.readers().stream().filter(RingStatus.Reader::attached).count());
        drawPlot(history, nanos, stats.slots(), small);
    }

    private void showLine(RingStatus.Reader reader, ViewerStats stats, boolean small) {
        int line = reader.line();
        boolean attached = reader.attached();
        boolean own = line == stats.ownLine();
        String state = !attached ? "free" : own ? "own" : reader.alive() ? "live" : "dead";
        cells[line].getStyleClass().removeAll(CELL_STATES);
        cells[line].getStyleClass().add(state);
        lineText[line].setVisible(attached);
        bars[line].setVisible(attached && !small); // compact: the numbers say the lag, the panel stays narrow
        if (!attached) {
            return;
        }
        String mode = reader.mode() == null ? "?" : reader.mode().label();
        String mark = own ? (small ? "◀" : "◀ this viewer") : reader.alive() ? "" : "dead";
        lineText[line].setText(String.format(Locale.ROOT, "#%-2d pid %-7d %-6s lag %-3d skipped %-6d lost %-4d %s", line,
                reader.pid(), mode, reader.lag(), reader.skipped(), reader.lost(), mark));
        if (own) {
            showDelivery(Delivery.of(reader));
        }
        setStyleClass(lineText[line], "own", own);
        setStyleClass(lineText[line], "dead", state.equals("dead"));
        setStyleClass(lagBars[line], "dead", state.equals("dead"));
        lagBars[line].setWidth(BAR_WIDTH * Math.min(1.0, reader.lag() / (double) Math.max(1, stats.slots())));
    }

    private static void setStyleClass(Node node, String styleClass, boolean on) {
        if (!on) {
            node.getStyleClass().remove(styleClass);
        } else if (!node.getStyleClass().contains(styleClass)) {
            node.getStyleClass().add(styleClass);
        }
    }

    private void showDelivery(Delivery own) {
        verdict.setText(switch (own.verdict()) {
            case EVERY_FRAME -> "every frame";
            case SKIPPING -> "skipped " + own.skipped();
            case LOSING -> "LOST " + own.lost();
        });
        verdict.getStyleClass().removeAll("verdict-every-frame", "verdict-skipping", "verdict-losing");
        verdict.getStyleClass().add("verdict-" + own.verdict().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        delivery.setText(own.describe());
    }

    private void drawPlot(History history, long nanos, int slots, boolean small) {
        double height = small ? COMPACT_PLOT_HEIGHT : PLOT_HEIGHT;
        double maxLatency = 1;
        for (int i = 0; i < history.size(); i++) {
            if (nanos - history.time(i) <= History.SPAN_NANOS) {
                maxLatency = Math.max(maxLatency, history.latency(i));
            }
        }
        maxLatency = niceCeiling(maxLatency);
        trace(latencyLine, history, nanos, height, maxLatency, true);
        trace(lagLine, history, nanos, height, Math.max(1, slots), false);
        latencyScale.setText(String.format(Locale.ROOT, "%.0f ms", maxLatency));
        lagScale.setText(slots + " frames");
    }

    /** One line of the plot: the last 10 s from left to right, {@code max} at the top. */
    private static void trace(Polyline line, History history, long nanos, double height, double max, boolean latency) {
        int samples = 0;
        for (int i = 0; i < history.size(); i++) {
            if (nanos - history.time(i) <= History.SPAN_NANOS) {
                samples++;
            }
        }
        Double[] points = new Double[2 * samples];
        int p = 0;
        for (int i = 0; i < history.size(); i++) {
            long age = nanos - history.time(i);
            if (age > History.SPAN_NANOS) {
                continue;
            }
            double value = latency ? history.latency(i) : history.lag(i);
            points[p++] = PLOT_WIDTH - PLOT_WIDTH * age / History.SPAN_NANOS;
            points[p++] = height - 2 - (height - 14) * Math.min(1, value / max);
        }
        line.getPoints().setAll(points);
    }

    private static double niceCeiling(double value) {
        double step = Math.pow(10, Math.floor(Math.log10(value)));
        for (double multiple : new double[] {1, 2, 5, 10}) {
            if (value <= multiple * step) {
                return multiple * step;
            }
        }
        return 10 * step;
    }
}
