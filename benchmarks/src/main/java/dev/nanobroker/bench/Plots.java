package dev.nanobroker.bench;

import org.HdrHistogram.Histogram;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.Range;
import org.jfree.data.general.DatasetUtils;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The bench's PNG plots, drawn with JFreeChart from the histograms and rates of one run of the
 * command: latency percentile curves per transport on log axes (64 B, and 1080p frames), and
 * 1080p frames per second against the number of readers.
 */
final class Plots {

    static final String LATENCY_64B = "bench-latency-64b.png";
    static final String LATENCY_1080P = "bench-latency-1080p.png";
    static final String FPS = "bench-fps.png";
    static final String WAIT_LATENCY_VS_CPU = "wait-latency-vs-cpu.png";

    static final int WIDTH = 1000;
    static final int HEIGHT = 560;

    /** Percentiles on the curves, as far as a case has samples beyond them. */
    private static final double[] PERCENTILES = {50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.995, 99.999};

    private static final Map<String, Color> COLORS = Map.of(
            "floor", new Color(0x777777),
            "ring", new Color(0xD62728),
            "agrona", new Color(0x1F77B4),
            "uds", new Color(0x2CA02C),
            "tcp", new Color(0x9467BD),
            "pipe", new Color(0xFF7F0E));

    /** A wait's colour in the wait plot. */
    private static final Map<WaitRoles.Wait, Color> WAIT_COLORS = Map.of(
            WaitRoles.Wait.FUTEX, new Color(0xD62728),
            WaitRoles.Wait.BACKOFF, new Color(0x1F77B4),
            WaitRoles.Wait.YIELD, new Color(0x2CA02C),
            WaitRoles.Wait.SPIN, new Color(0x777777));
    /** Where a CPU use of 0 is drawn on the log axis (a reader never quite gets there). */
    private static final double MIN_CPU_PERCENT = 0.001;

    private Plots() {
    }

    /** Writes the plots for what was measured into {@code directory}; returns the files written. */
    static List<Path> write(BenchResults results, Path directory, String subtitle) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(directory);
        List<Path> written = new ArrayList<>();
        List<String> small = List.of("floor", "ring_64b", "agrona_64b", "uds_64b", "tcp_64b", "pipe_64b");
        List<String> frames = List.of("floor", "ring_8mb", "ring_1mb", "uds_8mb", "tcp_8mb", "pipe_8mb");
        if (small.stream().filter(results.latency::containsKey).count() > 1) {
            written.add(save(latencyChart(results, small, "One-way latency, 64 B messages, by percentile", subtitle),
                    directory.resolve(LATENCY_64B)));
        }
        if (frames.stream().filter(results.latency::containsKey).count() > 1) {
            written.add(save(latencyChart(results, frames,
                    "One-way latency, 1920x1080 BGRA frames (8,294,400 B) and 1 MB, by percentile", subtitle),
                    directory.resolve(LATENCY_1080P)));
        }
        if (results.scalars.keySet().stream().anyMatch(key -> key.startsWith("fps_"))) {
            written.add(save(fpsChart(results, subtitle), directory.resolve(FPS)));
        }
        if (Arrays.stream(WaitRoles.Wait.values()).anyMatch(wait -> results.latency.containsKey("wait_" + wait.key()))) {
            written.add(save(waitChart(results, subtitle), directory.resolve(WAIT_LATENCY_VS_CPU)));
        }
        return written;
    }

    /** The line under every plot's title: how the bench ran, when, and on what CPU. */
    static String subtitle(boolean quick, int runs) {
        String cpu = "";
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(line -> line.startsWith("model name")).findFirst()
                    .map(line -> ", " + line.substring(line.indexOf(':') + 1).trim()).orElse("");
        } catch (IOException e) {
            // the subtitle only goes without the CPU's name
        }
        return String.format(Locale.ROOT, "nanobroker bench%s, %s; %d run%s pooled; %d CPUs%s; each role in its own JVM",
                quick ? " --quick" : "", LocalDate.now(), runs, runs == 1 ? "" : "s",
                Runtime.getRuntime().availableProcessors(), cpu);
    }

    private static Path save(JFreeChart chart, Path file) throws IOException {
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
        return file;
    }

    private static JFreeChart latencyChart(BenchResults results, List<String> keys, String title, String subtitle) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (String key : keys) {
            List<Histogram> runs = results.latency.get(key);
            if (runs == null) {
                continue;
            }
            Histogram pooled = runs.getFirst().copy();
            runs.stream().skip(1).forEach(pooled::add);
            XYSeries series = new XYSeries(results.cases.get(key).label() + "  (p50 " + BenchResults.ns(
                    pooled.getValueAtPercentile(50)) + ")");
            for (double percentile : PERCENTILES) {
                if (pooled.getTotalCount() * (100 - percentile) / 100 < 1) {
                    break; // no sample beyond this percentile: the point would only repeat the max
                }
                series.add(100 / (100 - percentile), Math.max(1, pooled.getValueAtPercentile(percentile)));
            }
            int index = data.getSeriesCount();
            data.addSeries(series);
            renderer.setSeriesPaint(index, COLORS.getOrDefault(key.substring(0, key.indexOf('_') < 0 ? key.length() : key.indexOf('_')), Color.BLACK));
            renderer.setSeriesStroke(index, new BasicStroke(key.startsWith("ring") ? 3f : 1.6f,
                    BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, key.endsWith("_1mb") ? new float[] {6, 4} : null, 0));
        }
        LogAxis percentileAxis = new LogAxis("percentile (log scale of 1 / (1 - p))");
        percentileAxis.setNumberFormatOverride(new PercentileFormat());
        percentileAxis.setTickUnit(new NumberTickUnit(1));
        percentileAxis.setRange(1.8, DatasetUtils.findDomainBounds(data).getUpperBound() * 1.5);
        LogAxis latencyAxis = new LogAxis("one-way latency (log scale)");
        latencyAxis.setNumberFormatOverride(new NanosFormat());
        latencyAxis.setTickUnit(new NumberTickUnit(1));
        Range latencies = DatasetUtils.findRangeBounds(data);
        latencyAxis.setRange(decadeBelow(latencies.getLowerBound()), decadeAbove(latencies.getUpperBound()));
        XYPlot plot = new XYPlot(data, percentileAxis, latencyAxis, renderer);
        styled(plot);
        return chart(title, subtitle, plot);
    }

    private static JFreeChart fpsChart(BenchResults results, String subtitle) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        for (String variant : List.of("", "_nofill")) {
            YIntervalSeries series = new YIntervalSeries(variant.isEmpty()
                    ? "ring, producer fills every frame (memset 8.3 MB)" : "ring, producer writes 3 words per frame (no fill)");
            for (int readers : new int[] {1, 4, 16}) {
                String key = "fps_1080p_" + readers + "_readers" + variant;
                if (results.scalarRuns(key, "fps") != null) {
                    double[] spread = results.scalarSpread(key, "fps");
                    series.add(readers, results.scalar(key, "fps"), spread[0], spread[1]);
                }
            }
            data.addSeries(series);
        }
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDefaultLinesVisible(true);
        renderer.setDrawXError(false);
        renderer.setErrorStroke(new BasicStroke(1.5f));
        renderer.setCapLength(8);
        renderer.setSeriesPaint(0, COLORS.get("ring"));
        renderer.setSeriesPaint(1, new Color(0x1F77B4));
        renderer.setSeriesStroke(0, new BasicStroke(2.5f));
        renderer.setSeriesStroke(1, new BasicStroke(2.5f));
        LogAxis readersAxis = new LogAxis("reader processes");
        readersAxis.setBase(2);
        readersAxis.setTickUnit(new NumberTickUnit(1));
        readersAxis.setNumberFormatOverride(NumberFormat.getIntegerInstance(Locale.ROOT));
        readersAxis.setRange(0.8, 20);
        LogAxis fpsAxis = new LogAxis("frames per second at 1920x1080 (log scale; bars: lowest..highest run)");
        fpsAxis.setTickUnit(new NumberTickUnit(1));
        fpsAxis.setNumberFormatOverride(NumberFormat.getIntegerInstance(Locale.ROOT));
        double fillAlone = results.scalar("fill_alone", "fps");
        Range rates = DatasetUtils.findRangeBounds(data, true);
        double lowest = Double.isNaN(fillAlone) ? rates.getLowerBound() : Math.min(fillAlone, rates.getLowerBound());
        fpsAxis.setRange(decadeBelow(lowest), decadeAbove(rates.getUpperBound()));
        XYPlot plot = new XYPlot(data, readersAxis, fpsAxis, renderer);
        if (!Double.isNaN(fillAlone)) {
            ValueMarker marker = new ValueMarker(fillAlone, new Color(0x777777), new BasicStroke(1.5f,
                    BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {6, 4}, 0));
            marker.setLabel(String.format(Locale.ROOT, "producer fill alone, no ring: %.0f fills/s", fillAlone));
            marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            marker.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
            plot.addRangeMarker(marker);
        }
        styled(plot);
        return chart("1080p throughput against the number of reader processes", subtitle, plot);
    }

    /**
     * The reader's waits: p50 and p99 wake-up latency (one line per wait, p50 to p99) against the
     * reader's CPU use while receiving, both on log axes, with the futex targets as lines.
     */
    private static JFreeChart waitChart(BenchResults results, String subtitle) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        List<String> names = new ArrayList<>();
        for (WaitRoles.Wait wait : WaitRoles.Wait.values()) {
            String key = "wait_" + wait.key();
            double cpu = results.scalar(key, "cpu_percent");
            if (!results.latency.containsKey(key) || Double.isNaN(cpu)) {
                continue;
            }
            double p50 = results.latency(key, 50);
            double p99 = results.latency(key, 99);
            double idle = results.scalar(key + "_idle", "cpu_percent");
            XYSeries series = new XYSeries(String.format(Locale.ROOT, "%s: p50 %s, p99 %s; CPU %.2f%% receiving%s", wait.key(),
                    BenchResults.ns(p50), BenchResults.ns(p99), cpu,
                    Double.isNaN(idle) ? "" : String.format(Locale.ROOT, ", %.2f%% idle", idle)));
            series.add(Math.max(MIN_CPU_PERCENT, cpu), Math.max(1, p50));
            series.add(Math.max(MIN_CPU_PERCENT, cpu), Math.max(1, p99));
            int index = data.getSeriesCount();
            data.addSeries(series);
            names.add(wait.key());
            renderer.setSeriesPaint(index, WAIT_COLORS.get(wait));
            renderer.setSeriesStroke(index, new BasicStroke(2.5f));
        }
        renderer.setDefaultItemLabelGenerator((dataset, series, item) -> item == 0 ? names.get(series) + " p50" : "p99");
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT));
        renderer.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        LogAxis cpuAxis = new LogAxis("reader JVM's CPU while receiving, % of one core (log scale)");
        cpuAxis.setTickUnit(new NumberTickUnit(1));
        cpuAxis.setNumberFormatOverride(new PercentFormat());
        Range cpus = DatasetUtils.findDomainBounds(data);
        cpuAxis.setRange(decadeBelow(cpus.getLowerBound()) / 2, cpus.getUpperBound() * 2);
        LogAxis latencyAxis = new LogAxis("wake-up latency, publish stamp -> poll (log scale)");
        latencyAxis.setNumberFormatOverride(new NanosFormat());
        latencyAxis.setTickUnit(new NumberTickUnit(1));
        Range latencies = DatasetUtils.findRangeBounds(data);
        latencyAxis.setRange(decadeBelow(Math.min(latencies.getLowerBound(), BenchResults.FUTEX_P50_TARGET_NANOS)),
                decadeAbove(Math.max(latencies.getUpperBound(), BenchResults.FUTEX_P99_TARGET_NANOS)));
        XYPlot plot = new XYPlot(data, cpuAxis, latencyAxis, renderer);
        plot.addRangeMarker(targetLine(BenchResults.FUTEX_P50_TARGET_NANOS, "futex target: p50 <= "));
        plot.addRangeMarker(targetLine(BenchResults.FUTEX_P99_TARGET_NANOS, "futex target: p99 <= "));
        styled(plot);
        return chart("Reader waits: wake-up latency against CPU, frames 1-3 ms apart", subtitle, plot);
    }

    /** A dashed line across the plot at a latency target, labelled {@code label} and the target. */
    private static ValueMarker targetLine(double nanos, String label) {
        ValueMarker marker = new ValueMarker(nanos, new Color(0x777777), new BasicStroke(1.2f,
                BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {6, 4}, 0));
        marker.setLabel(label + new NanosFormat().text(nanos));
        marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        marker.setLabelBackgroundColor(Color.WHITE);
        marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        marker.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
        return marker;
    }

    private static double decadeBelow(double value) {
        return Math.pow(10, Math.floor(Math.log10(value)));
    }

    private static double decadeAbove(double value) {
        return Math.pow(10, Math.ceil(Math.log10(value)));
    }

    private static void styled(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xDDDDDD));
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
    }

    private static JFreeChart chart(String title, String subtitle, XYPlot plot) {
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
        chart.addSubtitle(new TextTitle(subtitle, new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static String withoutTrailingZeros(String decimal) {
        return decimal.indexOf('.') < 0 ? decimal : decimal.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    /** Tick labels of a log axis: only formatting, from a double. */
    private abstract static class TickFormat extends NumberFormat {
        abstract String text(double value);

        @Override
        public StringBuffer format(double value, StringBuffer to, FieldPosition position) {
            return to.append(text(value));
        }

        @Override
        public StringBuffer format(long value, StringBuffer to, FieldPosition position) {
            return to.append(text(value));
        }

        @Override
        public Number parse(String source, ParsePosition position) {
            throw new UnsupportedOperationException();
        }
    }

    /** Ticks of the percentile axis: x = 1 / (1 - p) shown as p. */
    private static final class PercentileFormat extends TickFormat {
        @Override
        String text(double x) {
            return "p" + withoutTrailingZeros(String.format(Locale.ROOT, "%.4f", 100 * (1 - 1 / x)));
        }
    }

    /** Ticks of a CPU axis in percent: 0.1 %, 1 %, 100 %. */
    private static final class PercentFormat extends TickFormat {
        @Override
        String text(double percent) {
            return withoutTrailingZeros(String.format(Locale.ROOT, "%.3f", percent)) + " %";
        }
    }

    /** Ticks of a latency axis in ns: 100 ns, 1 µs, 10 ms. */
    private static final class NanosFormat extends TickFormat {
        @Override
        String text(double nanos) {
            String[] units = {"ns", "µs", "ms", "s"};
            int unit = 0;
            double value = nanos;
            while (value >= 1000 && unit < units.length - 1) {
                value /= 1000;
                unit++;
            }
            return withoutTrailingZeros(String.format(Locale.ROOT, "%.2f", value)) + " " + units[unit];
        }
    }
}
