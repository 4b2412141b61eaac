package dev.nanobroker.bench;

import dev.nanobroker.bench.BenchCases.Case;
import org.HdrHistogram.Histogram;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results of a bench: per case, the latency histograms and the scalars of every run, and the
 * failures; the medians over the runs, the target checks, and the two ways out, the table and one
 * JSON object. Also the one place that knows JSON: the RESULT line a child prints and the bench
 * reads ({@link #resultLine}, {@link #parseResultLine}).
 */
final class BenchResults {

    private static final String RESULT = "RESULT ";
    /** Jackson, as the commands' reports use it (docs/architecture.md, "JSON"): maps keep their insertion order. */
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, String>> FLAT_OBJECT = new TypeReference<>() {
    };
    /** The futex wait's wake-up latency targets (issue 14), also drawn in {@link Plots}. */
    static final double FUTEX_P50_TARGET_NANOS = 30_000;
    static final double FUTEX_P99_TARGET_NANOS = 200_000;

    final int runs;
    final Map<String, Case> cases = new LinkedHashMap<>();
    /** Latency: per case, one merged histogram per run. */
    final Map<String, List<Histogram>> latency = new LinkedHashMap<>();
    /** Scalars: per case and name, one value per run. */
    final Map<String, Map<String, List<Double>>> scalars = new LinkedHashMap<>();
    final Map<String, String> failures = new LinkedHashMap<>();
    /** How long the whole bench took. */
    double seconds;

    BenchResults(int runs) {
        this.runs = runs;
    }

    /** One run of a case: the values of its children's result lines (a histogram under {@code hist}). */
    void add(Case c, List<Map<String, String>> lines) {
        cases.put(c.key(), c);
        for (Map<String, String> line : lines) {
            line.forEach((name, value) -> {
                if (!name.equals("hist")) {
                    scalars.computeIfAbsent(c.key(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(name, k -> new ArrayList<>()).add(Double.parseDouble(value));
                }
            });
        }
        Histogram merged = null;
        long mismatches = 0;
        for (Map<String, String> line : lines) {
            if (line.containsKey("hist")) {
                Histogram one = Histograms.decode(line.get("hist"));
                if (merged == null) {
                    merged = one;
                } else {
                    merged.add(one);
                }
                mismatches += Long.parseLong(line.getOrDefault("mismatches", "0"));
            }
        }
        if (merged != null) {
            latency.computeIfAbsent(c.key(), k -> new ArrayList<>()).add(merged);
            if (mismatches != 0) {
                failures.put(c.key(), mismatches + " frames whose last line did not match their first");
            }
        }
    }

    /** One run of a case that failed, and why. */
    void fail(Case c, String message) {
        cases.put(c.key(), c);
        failures.put(c.key(), message);
    }

    /** Median over runs of one percentile (ns); NaN when the case did not run. */
    double latency(String key, double percentile) {
        List<Histogram> list = latency.get(key);
        if (list == null) {
            return Double.NaN;
        }
        return median(list.stream().mapToDouble(h -> percentile >= 100 ? h.getMaxValue() : h.getValueAtPercentile(percentile)).toArray());
    }

    double[] spread(String key, double percentile) {
        List<Histogram> list = latency.get(key);
        double[] values = list.stream().mapToDouble(h -> h.getValueAtPercentile(percentile)).toArray();
        return new double[] {Arrays.stream(values).min().orElse(Double.NaN), Arrays.stream(values).max().orElse(Double.NaN)};
    }

    List<Double> scalarRuns(String key, String name) {
        Map<String, List<Double>> byName = scalars.get(key);
        return byName == null ? null : byName.get(name);
    }

    /** Lowest and highest run of a scalar. */
    double[] scalarSpread(String key, String name) {
        double[] values = scalarRuns(key, name).stream().mapToDouble(Double::doubleValue).toArray();
        return new double[] {Arrays.stream(values).min().orElse(Double.NaN), Arrays.stream(values).max().orElse(Double.NaN)};
    }

    static boolean isThroughputCase(String key) {
        return key.startsWith("fps_") || key.equals("fill_alone");
    }

    static boolean isPingPongCase(String key) {
        return key.startsWith("pingpong_");
    }

    static boolean isViewerCase(String key) {
        return key.startsWith("viewer_fps_") || key.startsWith("baseline_fps_");
    }

    /** A case of the {@code wait} group: a reader's wait, receiving ({@code wait_futex}) or idle ({@code wait_futex_idle}). */
    static boolean isWaitCase(String key) {
        return key.startsWith("wait_");
    }

    double scalar(String key, String name) {
        List<Double> values = scalarRuns(key, name);
        return values == null ? Double.NaN : median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    double allocPerFrame(String name) {
        return scalar("alloc", name) / scalar("alloc", "frames");
    }

    /** The targets: name, target text, measured text, ratio, pass (null when not measured). */
    List<Map<String, Object>> targets() {
        List<Map<String, Object>> list = new ArrayList<>();
        double floor = latency("floor", 50);
        double ring64 = latency("ring_64b", 50);
        double ring64p99 = latency("ring_64b", 99);
        double ring8 = latency("ring_8mb", 50);
        double uds8 = latency("uds_8mb", 50);
        double agrona = latency("agrona_64b", 50);
        double agronaP99 = latency("agrona_64b", 99);
        double fps4 = scalar("fps_1080p_4_readers", "fps");
        double fillAlone = scalar("fill_alone", "fps");
        target(list, "ring p50 at 64 B <= 1.5x floor p50", ring64 / floor, ring64 / floor <= 1.5,
                ns(ring64) + " vs floor " + ns(floor));
        target(list, "ring p99 at 64 B <= 2 us", ring64p99 / 2000, ring64p99 <= 2000, ns(ring64p99));
        target(list, "ring p50 at 8.3 MB <= 1.2x p50 at 64 B", ring8 / ring64, ring8 / ring64 <= 1.2,
                ns(ring8) + " vs " + ns(ring64));
        target(list, "UDS p50 at 8.3 MB >= 100x ring p50 at 8.3 MB", uds8 / ring8, uds8 / ring8 >= 100,
                ns(uds8) + " vs " + ns(ring8));
        target(list, "ring p50 at 64 B < Agrona p50", ring64 / agrona, ring64 < agrona, ns(ring64) + " vs " + ns(agrona));
        target(list, "ring p99 at 64 B < Agrona p99", ring64p99 / agronaP99, ring64p99 < agronaP99,
                ns(ring64p99) + " vs " + ns(agronaP99));
        perRunTarget(list, "ping-pong: ring p50 at 64 B <= 0.9x Agrona p50", "pingpong_ring_64b", "pingpong_agrona_64b", 50, 0.9);
        perRunTarget(list, "ping-pong: ring p99 at 64 B <= Agrona p99", "pingpong_ring_64b", "pingpong_agrona_64b", 99, 1);
        perRunTarget(list, "ping-pong: ring p50 at 64 B <= 2x floor p50", "pingpong_ring_64b", "pingpong_floor", 50, 2);
        perRunTarget(list, "ping-pong: ring p50 at 1080p <= 1.2x p50 at 64 B", "pingpong_ring_1080p", "pingpong_ring_64b", 50, 1.2);
        target(list, "1080p fps with 4 readers >= 0.9x fill rate alone", fps4 / fillAlone, fps4 / fillAlone >= 0.9,
                String.format(Locale.ROOT, "%.0f fps vs %.0f fills/s", fps4, fillAlone));
        for (String size : List.of("720p", "1080p")) {
            double viewer = scalar("viewer_fps_" + size, "fps");
            double baseline = scalar("baseline_fps_" + size, "fps");
            if (size.equals("720p") || !Double.isNaN(viewer)) {
                target(list, "viewer fps at " + size + " >= 0.95x PixelBuffer baseline", viewer / baseline, viewer / baseline >= 0.95,
                        String.format(Locale.ROOT, "%.1f fps vs %.1f fps", viewer, baseline));
            }
        }
        double write = allocPerFrame("write_bytes");
        double read = allocPerFrame("read_bytes");
        target(list, "0 bytes allocated per frame, write and read paths", Double.NaN, write == 0 && read == 0,
                String.format(Locale.ROOT, "write %.4f B, read %.4f B", write, read));
        waitTargets(list);
        return list;
    }

    /** Issue 14's targets for a reader that sleeps in the kernel (the futex wait). */
    private void waitTargets(List<Map<String, Object>> list) {
        double p50 = latency("wait_futex", 50);
        double p99 = latency("wait_futex", 99);
        double idle = scalar("wait_futex_idle", "cpu_percent");
        target(list, String.format(Locale.ROOT, "futex wake-up p50 <= %.0f us", FUTEX_P50_TARGET_NANOS / 1e3),
                p50 / FUTEX_P50_TARGET_NANOS, p50 <= FUTEX_P50_TARGET_NANOS, ns(p50));
        target(list, String.format(Locale.ROOT, "futex wake-up p99 <= %.0f us", FUTEX_P99_TARGET_NANOS / 1e3),
                p99 / FUTEX_P99_TARGET_NANOS, p99 <= FUTEX_P99_TARGET_NANOS, ns(p99));
        target(list, "idle futex reader <= 1% of a core", idle, idle <= 1,
                String.format(Locale.ROOT, "%.2f%% of a core", idle));
    }

    /**
     * A target on the ratio of one case's percentile to another's, taken within each run and then
     * the median over runs: on a VM whose speed changes from minute to minute (docs/benchmarks.md,
     * "Ping-pong"), the medians of two cases over runs may come from different runs. Not measured
     * unless both cases ran in every run.
     */
    private void perRunTarget(List<Map<String, Object>> list, String name, String key, String reference, double percentile,
                              double limit) {
        List<Histogram> runsOfKey = latency.getOrDefault(key, List.of());
        List<Histogram> runsOfReference = latency.getOrDefault(reference, List.of());
        if (runsOfKey.size() != runs || runsOfReference.size() != runs) {
            target(list, name, Double.NaN, false, "n/a");
            return;
        }
        double[] ratios = new double[runs];
        for (int run = 0; run < runs; run++) {
            ratios[run] = (double) runsOfKey.get(run).getValueAtPercentile(percentile) / runsOfReference.get(run).getValueAtPercentile(percentile);
        }
        double ratio = median(ratios);
        StringBuilder measured = new StringBuilder(ns(latency(key, percentile)) + " vs " + ns(latency(reference, percentile)));
        if (runs > 1) {
            measured.append(", per run");
            for (double one : ratios) {
                measured.append(String.format(Locale.ROOT, " %.2f", one));
            }
        }
        target(list, name, ratio, ratio <= limit, measured.toString());
    }

    private static void target(List<Map<String, Object>> list, String name, double ratio, boolean pass, String measured) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("target", name);
        entry.put("measured", measured);
        entry.put("ratio", Double.isNaN(ratio) ? null : ratio);
        entry.put("pass", measured.contains("NaN") || measured.contains("n/a") ? null : pass);
        list.add(entry);
    }

    static String ns(double nanos) {
        if (Double.isNaN(nanos)) {
            return "n/a";
        }
        if (nanos < 10_000) {
            return String.format(Locale.ROOT, "%.0f ns", nanos);
        }
        if (nanos < 10_000_000) {
            return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
        }
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    /** A child's one line of result, on its stdout: {@code RESULT} and one flat JSON object. */
    static String resultLine(Map<String, Object> result) {
        return RESULT + JSON.writeValueAsString(result);
    }

    static boolean isResultLine(String line) {
        return line.startsWith(RESULT);
    }

    /** The values of a child's result line, as text. */
    static Map<String, String> parseResultLine(String line) {
        return JSON.readValue(line.substring(RESULT.length()), FLAT_OBJECT);
    }

    /** The results as one JSON object (the keys of docs/benchmarks.md), on one line. */
    String json(boolean quick) {
        return JSON.writeValueAsString(jsonObject(quick));
    }

    private Map<String, Object> jsonObject(boolean quick) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("runs", runs);
        out.put("quick", quick);
        out.put("cpus", Runtime.getRuntime().availableProcessors());
        out.put("seconds", seconds);
        for (String key : latency.keySet()) {
            out.put(key + "_p50_ns", (long) latency(key, 50));
            out.put(key + "_p99_ns", (long) latency(key, 99));
            out.put(key + "_p999_ns", (long) latency(key, 99.9));
            out.put(key + "_max_ns", (long) latency(key, 100));
            double[] spread = spread(key, 50);
            out.put(key + "_p50_ns_min", (long) spread[0]);
            out.put(key + "_p50_ns_max", (long) spread[1]);
            out.put(key + "_samples", latency.get(key).getFirst().getTotalCount());
            if (key.startsWith("ring_")) {
                for (String part : List.of("t0_to_publish_stamp_p50", "publish_stamp_to_poll_p50", "poll_to_touched_p50")) {
                    out.put(key + "_" + part + "_ns", (long) scalar(key, part));
                }
            }
        }
        for (String key : scalars.keySet()) {
            if (isViewerCase(key)) {
                double[] spread = scalarSpread(key, "fps");
                out.put(key, finiteOrNull(scalar(key, "fps")));
                out.put(key + "_min", finiteOrNull(spread[0]));
                out.put(key + "_max", finiteOrNull(spread[1]));
            }
            if (isThroughputCase(key)) {
                String name = key.equals("fill_alone") ? "fill_alone_fps" : key;
                double[] spread = scalarSpread(key, "fps");
                out.put(name, Math.round(scalar(key, "fps")));
                out.put(name + "_min", Math.round(spread[0]));
                out.put(name + "_max", Math.round(spread[1]));
                if (key.startsWith("fps_")) {
                    out.put(name + "_blocked_fraction", finiteOrNull(scalar(key, "blocked_fraction")));
                }
            }
        }
        if (scalars.containsKey("alloc")) {
            out.put("alloc_bytes_per_frame_write", finiteOrNull(allocPerFrame("write_bytes")));
            out.put("alloc_bytes_per_frame_read", finiteOrNull(allocPerFrame("read_bytes")));
            out.put("alloc_frames", (long) scalar("alloc", "frames"));
        }
        for (String key : scalars.keySet()) {
            if (isWaitCase(key)) {
                out.put(key + "_cpu_percent", finiteOrNull(scalar(key, "cpu_percent")));
            }
        }
        out.put("targets", targets());
        out.put("failures", failures);
        return out;
    }

    /** The {@code wait} group's section of the table: one row per wait, its latency and its CPU use. */
    private void printWaits(PrintStream out) {
        out.println();
        out.println("Reader waits: wake-up latency (the writer's publish stamp -> the reader's poll), frames 1-3 ms apart;");
        out.println("CPU = the reader JVM's CPU time / wall time, % of one core, while receiving and while no frame comes");
        out.printf(Locale.ROOT, "  %-10s %10s %10s %10s %10s  %14s %9s%n", "wait", "p50", "p99", "p99.9", "max", "CPU receiving", "CPU idle");
        for (WaitRoles.Wait wait : WaitRoles.Wait.values()) {
            String key = "wait_" + wait.key();
            if (!scalars.containsKey(key) && !scalars.containsKey(key + "_idle")) {
                continue;
            }
            out.printf(Locale.ROOT, "  %-10s %10s %10s %10s %10s  %14s %9s%n", wait.key(), ns(latency(key, 50)), ns(latency(key, 99)),
                    ns(latency(key, 99.9)), ns(latency(key, 100)), percent(scalar(key, "cpu_percent")),
                    percent(scalar(key + "_idle", "cpu_percent")));
        }
    }

    private static String percent(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.2f %%", value);
    }

    /** A measurement that could not be made (NaN) is null in the JSON, never the string "NaN". */
    private static Double finiteOrNull(double value) {
        return Double.isFinite(value) ? value : null;
    }

    /** A blank line, the column heads and one row per latency case. */
    private void printLatencyRows(PrintStream out, List<String> keys) {
        out.println();
        out.printf(Locale.ROOT, "%-60s %10s %10s %10s %10s  %-22s %9s%n", "", "p50", "p99", "p99.9", "max", "p50 range", "samples");
        for (String key : keys) {
            double[] spread = spread(key, 50);
            out.printf(Locale.ROOT, "%-60s %10s %10s %10s %10s  %-22s %9d%n", cases.get(key).label(),
                    ns(latency(key, 50)), ns(latency(key, 99)), ns(latency(key, 99.9)), ns(latency(key, 100)),
                    ns(spread[0]) + " .. " + ns(spread[1]), latency.get(key).getFirst().getTotalCount());
        }
    }

    void printTable(PrintStream out, boolean quick) {
        out.printf(Locale.ROOT, "NanoBroker bench%s: %d run%s of each measurement, %d CPUs, %.0f s%n",
                quick ? " --quick" : "", runs, runs == 1 ? "" : "s", Runtime.getRuntime().availableProcessors(), seconds);
        List<String> pingPong = latency.keySet().stream().filter(BenchResults::isPingPongCase).toList();
        List<String> oneWay = latency.keySet().stream().filter(key -> !isPingPongCase(key) && !isWaitCase(key)).toList(); // the waits: in their own section, beside their CPU use
        // Without one-way cases (--only pingpong) their sections would be empty headings.
        if (!oneWay.isEmpty() || pingPong.isEmpty()) {
            out.println("Latency, one way (sender's t0 before the hand-off to the receiver having the frame); median of runs,");
            out.println("p50 range = lowest..highest p50 over the runs");
            printLatencyRows(out, oneWay);
            out.println();
            out.println("Where the ring's time goes (p50 per reader, median): t0 -> the writer's publish stamp (claim, descriptor),");
            out.println("stamp -> the reader's poll, poll -> first and last cache line read");
            for (String key : oneWay) {
                if (key.startsWith("ring_")) {
                    out.printf(Locale.ROOT, "  %-58s %10s %10s %10s%n", cases.get(key).label(),
                            ns(scalar(key, "t0_to_publish_stamp_p50")), ns(scalar(key, "publish_stamp_to_poll_p50")),
                            ns(scalar(key, "poll_to_touched_p50")));
                }
            }
        }
        if (!pingPong.isEmpty()) {
            if (!oneWay.isEmpty()) {
                out.println();
            }
            out.println("Ping-pong between two JVMs, one way = round trip / 2 on the initiator's clock (each direction its own");
            out.println("ring or buffer, 8 B carried); median of runs, p50 range = lowest..highest p50 over the runs");
            printLatencyRows(out, pingPong);
        }
        if (scalars.keySet().stream().anyMatch(BenchResults::isThroughputCase)) {
            out.println();
            out.println("Throughput at 1920x1080 (frames per second; median of runs, lowest..highest)");
            for (String key : scalars.keySet().stream().filter(BenchResults::isThroughputCase).toList()) {
                double[] spread = scalarSpread(key, "fps");
                String blocked = key.startsWith("fps_")
                        ? String.format(Locale.ROOT, "  producer blocked %.0f%%", 100 * scalar(key, "blocked_fraction")) : "";
                out.printf(Locale.ROOT, "%-60s %8.0f  %8.0f .. %-8.0f%s%n", cases.get(key).label(), scalar(key, "fps"),
                        spread[0], spread[1], blocked);
            }
        }
        if (scalars.keySet().stream().anyMatch(BenchResults::isViewerCase)) {
            out.println();
            out.println("Viewer: frames shown per second (median of runs, lowest..highest), same display and Prism pipeline");
            for (String key : scalars.keySet().stream().filter(BenchResults::isViewerCase).toList()) {
                double[] spread = scalarSpread(key, "fps");
                out.printf(Locale.ROOT, "%-60s %8.1f  %8.1f .. %-8.1f%n", cases.get(key).label(), scalar(key, "fps"),
                        spread[0], spread[1]);
            }
        }
        if (scalars.containsKey("alloc")) {
            out.println();
            out.printf(Locale.ROOT, "Allocation per frame over %.0f frames: write path %.4f B, read path %.4f B%n",
                    scalar("alloc", "frames"), allocPerFrame("write_bytes"), allocPerFrame("read_bytes"));
        }
        if (scalars.keySet().stream().anyMatch(BenchResults::isWaitCase)) {
            printWaits(out);
        }
        out.println();
        out.println("Targets");
        for (Map<String, Object> target : targets()) {
            Object pass = target.get("pass");
            Object ratio = target.get("ratio");
            out.printf(Locale.ROOT, "  %-4s %-52s %s%s%n", pass == null ? "n/a" : (Boolean) pass ? "PASS" : "FAIL",
                    target.get("target"), target.get("measured"),
                    ratio == null ? "" : String.format(Locale.ROOT, "  (ratio %.2f)", (Double) ratio));
        }
        if (!failures.isEmpty()) {
            out.println();
            out.println("Failures");
            failures.forEach((key, message) -> out.println("  " + key + ": " + message));
        }
    }
}
