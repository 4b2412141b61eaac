package dev.nanobroker.viewer;

import dev.nanobroker.ring.Delivery;
import dev.nanobroker.ring.RingStatus;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.geometry.VPos;
import javafx.scene.CacheHint;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.geometry.Pos;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.TextAlignment;

import java.util.Locale;

/**
 * The panel beside or below the picture (never over it: {@link PictureLayout}): frame number, display and producer fps, publish-to-display
 * latency (and the latency the clock pattern's pixels carry), every reader line of the ring with its
 * lag, skipped and lost frames, this viewer's delivery in words, and a plot of latency and lag over the last ten seconds.
 */
final class OverlayPanel extends VBox {

    private static final int LINES = 16;
    private static final double BAR_WIDTH = 90;
    private static final Color LATENCY = Color.web("#ffd166");
    private static final Color LAG = Color.web("#4cc9f0");
    private static final Color OWN = Color.web("#ffd166");
    private static final Color FREE = Color.gray(1, 0.12);

    private final Label title = new Label();
    private final Label latency = new Label();
    private final Label rates = new Label();
    private final Label verdict = new Label();
    private final Label delivery = new Label();
    private final Label clock = new Label();
    private final Label producer = new Label();
    private final Label screen = new Label();
    private final NowClock now = new NowClock();
    private final DoubleProperty headlineSize = new SimpleDoubleProperty(24);
    private final Rectangle[] cells = new Rectangle[LINES];
    private final Label[] lineText = new Label[LINES];
    private final Rectangle[] lagBars = new Rectangle[LINES];
    private final StackPane[] bars = new StackPane[LINES];
    private final Canvas plot = new Canvas(320, 96);
    private final javafx.beans.property.BooleanProperty compact = new javafx.beans.property.SimpleBooleanProperty();

    OverlayPanel() {
        getStyleClass().add("overlay");
        setMaxSize(USE_PREF_SIZE, USE_PREF_SIZE);
        // The picture beside the panel changes every pulse, the panel's text ten times a second:
        // render the panel to a bitmap when it changes and only draw that bitmap per pulse (text is
        // costly in the software pipeline).
        VBox body = new VBox();
        body.getStyleClass().add("overlay-body");
        body.setCache(true);
        body.setCacheHint(CacheHint.SPEED);
        title.getStyleClass().add("overlay-title");
        title.setId("overlay-title");
        // The three figures a stakeholder looks for, large, each over a plain label.
        latency.setId("overlay-latency");
        rates.setId("overlay-rates");
        verdict.setId("overlay-verdict");
        GridPane headline = new GridPane();
        headline.getStyleClass().add("headline");
        addFigure(headline, 0, latency, "latency, publish → pulse (taken for the screen)");
        addFigure(headline, 1, rates, "fps, display / producer");
        addFigure(headline, 2, verdict, "delivery since this viewer attached");
        for (Label value : new Label[] {latency, rates, verdict}) {
            value.getStyleClass().add("headline-value");
            value.styleProperty().bind(headlineSize.map(size -> String.format(Locale.ROOT, "-fx-font-size: %.0fpx;", size)));
        }
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
        clock.managedProperty().bind(clock.visibleProperty());
        producer.setId("overlay-producer");
        delivery.setId("overlay-delivery");
        delivery.getStyleClass().add("delivery");
        // All 16 reader lines at a glance: free dark, live blue, dead grey, this viewer yellow;
        // then one row per attached line with its lag bar (lag / slots) and numbers.
        HBox strip = new HBox(3);
        strip.getStyleClass().add("line-strip");
        GridPane lines = new GridPane();
        lines.getStyleClass().add("reader-lines");
        for (int line = 0; line < LINES; line++) {
            cells[line] = new Rectangle(12, 12, FREE);
            strip.getChildren().add(cells[line]);
            lineText[line] = new Label();
            lineText[line].setId("reader-line-" + line);
            lineText[line].getStyleClass().add("reader-line");
            Rectangle track = new Rectangle(BAR_WIDTH, 6, Color.gray(1, 0.15));
            lagBars[line] = new Rectangle(0, 6, LAG);
            bars[line] = new StackPane(track, lagBars[line]);
            bars[line].setAlignment(Pos.CENTER_LEFT);
            for (var node : new javafx.scene.Node[] {bars[line], lineText[line]}) {
                node.managedProperty().bind(node.visibleProperty());
            }
            lines.addRow(line, bars[line], lineText[line]);
        }
        Label legend = new Label("latency ms (yellow) · lag frames (blue) · last 10 s");
        legend.getStyleClass().add("legend");
        Pane plotPane = new Pane(plot);
        for (var detail : new javafx.scene.Node[] {lines, plotPane, legend}) {
            detail.visibleProperty().bind(compact.not());
            detail.managedProperty().bind(compact.not());
        }
        screen.setId("overlay-screen-latency");
        screen.managedProperty().bind(screen.visibleProperty());
        screen.setVisible(false);
        body.getChildren().addAll(title, headline, delivery, colours, producer, clock, screen, strip, lines, plotPane, legend);
        // Photo mode, outside the cached body: it changes every pulse, the body ten times a second.
        Label nowCaption = new Label("now, same clock and format as the time in the frame: photograph both");
        nowCaption.getStyleClass().add("headline-label");
        VBox photo = new VBox(2, now, nowCaption);
        photo.visibleProperty().bind(clock.visibleProperty().and(compact.not()));
        photo.managedProperty().bind(photo.visibleProperty());
        now.fitHeightProperty().bind(headlineSize);
        getChildren().addAll(body, photo);
    }

    private static void addFigure(GridPane grid, int column, Label value, String label) {
        Label caption = new Label(label);
        caption.getStyleClass().add("headline-label");
        grid.add(value, column, 0);
        grid.add(caption, column, 1);
    }

    /** The screen-latency line, or none (null) while it is not measured (key L). */
    void showScreenLatency(String line) {
        screen.setVisible(line != null);
        screen.setText(line == null ? "" : line);
    }

    /** Photo mode: draws the time now next to the picture, while the frame shows a latency clock. */
    void showNow(long nanos) {
        if (now.getParent().isVisible()) {
            now.show(nanos);
        }
    }

    /** The size of the headline figures, in px: the window makes it, so that they read at a distance. */
    DoubleProperty headlineSizeProperty() {
        return headlineSize;
    }

    /**
     * Compact: the figures and the strip of reader lines only, without a row per line, the plot and photo mode,
     * for windows too small to give the full panel room beside the picture (the demo's tiles).
     */
    void setCompact(boolean compact) {
        this.compact.set(compact);
    }

    void show(ViewerStats stats, History history, long now) {
        title.setText(String.format(Locale.ROOT, "%s  %s  frame %d", stats.ringName(), stats.geometry(), stats.frame()));
        latency.setText(String.format(Locale.ROOT, "%.1f ms", stats.latencyMs()));
        rates.setText(String.format(Locale.ROOT, "%.0f / %.0f", stats.displayFps(), stats.producerFps()));
        // What a slow reader costs, by the producer's policy: block waits, drop drops at the source.
        producer.setText(String.format(Locale.ROOT, "producer: waited %,d ms for slow readers, dropped %,d frames%s",
                stats.blockedMillis(), stats.producerDrops(), stats.stallLeftMillis() > 0
                        ? String.format(Locale.ROOT, "   ·   THIS VIEWER STALLED (simulated), %.1f s left", stats.stallLeftMillis() / 1000.0) : ""));
        producer.getStyleClass().remove("stalled");
        if (stats.stallLeftMillis() > 0) {
            producer.getStyleClass().add("stalled");
        }
        clock.setVisible(!Double.isNaN(stats.clockLatencyMs()));
        clock.setText(String.format(Locale.ROOT, "clock %.2f ms (render time in the pixels → pulse)", stats.clockLatencyMs()));
        for (RingStatus.Reader reader : stats.readers()) {
            int line = reader.line();
            Label text = lineText[line];
            text.getStyleClass().removeAll("own", "dead");
            lagBars[line].setFill(LAG);
            boolean attached = reader.attached();
            text.setVisible(attached);
            bars[line].setVisible(attached);
            cells[line].setFill(!attached ? FREE : line == stats.ownLine() ? OWN : reader.alive() ? LAG : Color.gray(0.5));
            if (!attached) {
                continue;
            }
            text.setText(String.format(Locale.ROOT, "#%-2d pid %-7d %-6s lag %-3d skipped %-6d lost %-4d %s", line, reader.pid(),
                    reader.mode() == null ? "?" : reader.mode().label(), reader.lag(), reader.skipped(), reader.lost(),
                    line == stats.ownLine() ? "◀ this viewer" : reader.alive() ? "" : "dead"));
            if (line == stats.ownLine()) {
                showDelivery(Delivery.of(reader));
            }
            if (line == stats.ownLine()) {
                text.getStyleClass().add("own");
            } else if (!reader.alive()) {
                text.getStyleClass().add("dead");
                lagBars[line].setFill(Color.gray(0.5));
            }
            lagBars[line].setWidth(BAR_WIDTH * Math.min(1.0, reader.lag() / (double) Math.max(1, stats.slots())));
        }
        drawPlot(history, now, stats.slots());
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

    private void drawPlot(History history, long now, int slots) {
        GraphicsContext g = plot.getGraphicsContext2D();
        double w = plot.getWidth();
        double h = plot.getHeight();
        g.setFill(Color.gray(0, 0.35));
        g.fillRect(0, 0, w, h);
        double maxLatency = 1;
        for (int i = 0; i < history.size(); i++) {
            if (now - history.time(i) <= History.SPAN_NANOS) {
                maxLatency = Math.max(maxLatency, history.latency(i));
            }
        }
        maxLatency = niceCeiling(maxLatency);
        g.setStroke(Color.gray(1, 0.15));
        g.strokeLine(0, h / 2, w, h / 2);
        line(g, history, now, w, h, maxLatency, true, LATENCY);
        line(g, history, now, w, h, Math.max(1, slots), false, LAG);
        g.setFill(Color.gray(1, 0.8));
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.TOP);
        g.fillText(String.format(Locale.ROOT, "%.0f ms", maxLatency), 3, 2);
        g.setTextAlign(TextAlignment.RIGHT);
        g.fillText(slots + " frames", w - 3, 2);
    }

    private static void line(GraphicsContext g, History history, long now, double w, double h, double max,
                             boolean latency, Color colour) {
        g.setStroke(colour);
        g.setLineWidth(1.5);
        g.beginPath();
        boolean first = true;
        for (int i = 0; i < history.size(); i++) {
            long age = now - history.time(i);
            if (age > History.SPAN_NANOS) {
                continue;
            }
            double x = w - w * age / History.SPAN_NANOS;
            double value = latency ? history.latency(i) : history.lag(i);
            double y = h - 2 - (h - 14) * Math.min(1, value / max);
            if (first) {
                g.moveTo(x, y);
                first = false;
            } else {
                g.lineTo(x, y);
            }
        }
        g.stroke();
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
