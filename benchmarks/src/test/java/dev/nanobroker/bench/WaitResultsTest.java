package dev.nanobroker.bench;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The wait group in BenchResults: its JSON keys, its section of the table and the futex targets. */
class WaitResultsTest {

    /** A receiving wait case's result line: 1,000 latencies whose p50 and p99 are the given ones, and its CPU use. */
    private static Map<String, String> receiving(long p50, long p99, double cpuPercent) {
        Histogram histogram = Histograms.create();
        for (int i = 0; i < 1_000; i++) {
            Histograms.record(histogram, i < 500 ? p50 : i < 980 ? (p50 + p99) / 2 : p99);
        }
        return Map.of("count", "1000", "hist", Histograms.encode(histogram), "mismatches", "0",
                "cpu_percent", Double.toString(cpuPercent), "measured_ms", "2000");
    }

    private static Map<String, String> idle(double cpuPercent) {
        return Map.of("cpu_percent", Double.toString(cpuPercent), "measured_ms", "1500");
    }

    private static BenchCases.Case waitCase(String key) {
        return new BenchCases.Case(key, "wait", key, files -> List.of());
    }

    private static BenchResults results(long futexP50, long futexP99, double futexIdle) {
        BenchResults results = new BenchResults(1);
        results.add(waitCase("wait_futex"), List.of(receiving(futexP50, futexP99, 2.5)));
        results.add(waitCase("wait_backoff"), List.of(receiving(300_000, 1_100_000, 8)));
        results.add(waitCase("wait_spin"), List.of(receiving(1_500, 30_000, 100)));
        results.add(waitCase("wait_futex_idle"), List.of(idle(futexIdle)));
        results.add(waitCase("wait_backoff_idle"), List.of(idle(1.8)));
        return results;
    }

    private static Map<String, Object> target(BenchResults results, String name) {
        return results.targets().stream().filter(t -> t.get("target").equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theJsonHasEveryWaitsLatencyAndCpuUse() {
        JsonNode json = JsonMapper.builder().build().readTree(results(20_000, 150_000, 0.4).json(true));
        assertEquals(20_000, json.get("wait_futex_p50_ns").asLong(), 20);
        assertEquals(150_000, json.get("wait_futex_p99_ns").asLong(), 150);
        assertTrue(json.has("wait_futex_p999_ns") && json.has("wait_futex_max_ns"));
        assertEquals(2.5, json.get("wait_futex_cpu_percent").asDouble());
        assertEquals(0.4, json.get("wait_futex_idle_cpu_percent").asDouble());
        assertEquals(100, json.get("wait_spin_cpu_percent").asDouble());
        assertEquals(1.8, json.get("wait_backoff_idle_cpu_percent").asDouble());
        assertFalse(json.has("wait_yield_cpu_percent"), "a wait that did not run has no key");
    }

    @Test
    void theFutexTargetsPassOrFailOnTheirNumbers() {
        BenchResults met = results(20_000, 150_000, 0.4);
        assertEquals(true, target(met, "futex wake-up p50 <= 30 us").get("pass"));
        assertEquals(true, target(met, "futex wake-up p99 <= 200 us").get("pass"));
        assertEquals(true, target(met, "idle futex reader <= 1% of a core").get("pass"));
        BenchResults missed = results(40_000, 400_000, 1.5);
        assertEquals(false, target(missed, "futex wake-up p50 <= 30 us").get("pass"));
        assertEquals(false, target(missed, "futex wake-up p99 <= 200 us").get("pass"));
        assertEquals(false, target(missed, "idle futex reader <= 1% of a core").get("pass"));
        assertEquals(1.5, (Double) target(missed, "idle futex reader <= 1% of a core").get("ratio"), 1e-9);
        BenchResults none = new BenchResults(1);
        assertNull(target(none, "futex wake-up p50 <= 30 us").get("pass"), "not measured: neither pass nor fail");
        assertNull(target(none, "idle futex reader <= 1% of a core").get("pass"));
    }

    @Test
    void theTableShowsOneRowPerWaitThatRanAndKeepsThemOutOfTheOneWayLatencies() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        results(20_000, 150_000, 0.4).printTable(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        String table = bytes.toString(StandardCharsets.UTF_8);
        String section = table.substring(table.indexOf("Reader waits"), table.indexOf("Targets"));
        List<String> rows = section.lines().filter(line -> line.matches("  (futex|backoff|yield|spin) .*")).toList();
        assertEquals(3, rows.size(), section);
        assertTrue(rows.get(0).matches("  futex +20\\.0 us +150\\.\\d us .* 2\\.50 % +0\\.40 %"), rows.get(0));
        assertTrue(rows.get(2).matches("  spin .* 100\\.00 % +n/a"), rows.get(2));
        assertEquals(-1, table.substring(0, table.indexOf("Reader waits")).indexOf("wait_"));
    }
}
