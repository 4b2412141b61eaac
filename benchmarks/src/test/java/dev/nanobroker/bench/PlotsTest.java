package dev.nanobroker.bench;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class PlotsTest {

    private static final Random RANDOM = new Random(42);

    private static Map<String, String> histogramLine(long p50Nanos) {
        Histogram histogram = Histograms.create();
        for (int i = 0; i < 20_000; i++) {
            // a long tail, as on a busy machine
            Histograms.record(histogram, (long) (p50Nanos * Math.exp(Math.abs(RANDOM.nextGaussian()) * (i % 100 == 0 ? 3 : 0.3))));
        }
        return Map.of("hist", Histograms.encode(histogram), "mismatches", "0");
    }

    private static BenchCases.Case latencyCase(String key) {
        String group = key.substring(0, key.indexOf('_') < 0 ? key.length() : key.indexOf('_'));
        return new BenchCases.Case(key, group, key.replace('_', ' '), files -> List.of());
    }

    @Test
    void drawsTheLatencyCurvesAndTheFpsPlotAsPngs(@TempDir Path directory) throws Exception {
        BenchResults results = new BenchResults(2);
        for (int run = 0; run < 2; run++) {
            Map<String, Long> p50s = Map.of("floor", 150L, "ring_64b", 700L, "agrona_64b", 680L, "uds_64b", 2_000L,
                    "ring_8mb", 720L, "uds_8mb", 1_500_000L, "pipe_8mb", 1_900_000L);
            p50s.forEach((key, p50) -> results.add(latencyCase(key), List.of(histogramLine(p50))));
            results.add(new BenchCases.Case("fill_alone", "throughput", "fill alone", files -> List.of()), List.of(Map.of("fps", "800")));
            for (int readers : new int[] {1, 4, 16}) {
                results.add(new BenchCases.Case("fps_1080p_" + readers + "_readers", "throughput", "fill", files -> List.of()),
                        List.of(Map.of("fps", Double.toString(780.0 - 20 * readers + run * 40), "blocked_fraction", "0")));
                results.add(new BenchCases.Case("fps_1080p_" + readers + "_readers_nofill", "throughput", "no fill", files -> List.of()),
                        List.of(Map.of("fps", Double.toString(2_000_000.0 / readers / readers), "blocked_fraction", "0.5")));
            }
        }

        List<Path> written = Plots.write(results, directory, "synthetic data");

        assertEquals(List.of(directory.resolve(Plots.LATENCY_64B), directory.resolve(Plots.LATENCY_1080P),
                directory.resolve(Plots.FPS)), written);
        for (Path file : written) {
            BufferedImage image = ImageIO.read(file.toFile());
            assertNotNull(image, file + " is a PNG");
            assertEquals(Plots.WIDTH, image.getWidth());
            assertEquals(Plots.HEIGHT, image.getHeight());
        }
    }

    @Test
    void drawsLatencyAgainstCpuForTheWaitsThatRan(@TempDir Path directory) throws Exception {
        BenchResults results = new BenchResults(1);
        Map<String, Long> p50s = Map.of("futex", 20_000L, "backoff", 300_000L, "yield", 3_000L, "spin", 1_500L);
        Map<String, Double> cpus = Map.of("futex", 2.0, "backoff", 8.0, "yield", 100.0, "spin", 0.0);
        p50s.forEach((wait, p50) -> {
            Map<String, String> line = new HashMap<>(histogramLine(p50));
            line.put("cpu_percent", Double.toString(cpus.get(wait)));
            results.add(new BenchCases.Case("wait_" + wait, "wait", wait, files -> List.of()), List.of(line));
        });
        results.add(new BenchCases.Case("wait_futex_idle", "wait", "futex idle", files -> List.of()),
                List.of(Map.of("cpu_percent", "0.3")));

        assertEquals(List.of(directory.resolve(Plots.WAIT_LATENCY_VS_CPU)), Plots.write(results, directory, "synthetic data"));
        BufferedImage image = ImageIO.read(directory.resolve(Plots.WAIT_LATENCY_VS_CPU).toFile());
        assertEquals(Plots.WIDTH, image.getWidth());
        assertEquals(Plots.HEIGHT, image.getHeight());
    }

    @Test
    void drawsNothingForGroupsThatDidNotRun(@TempDir Path directory) throws Exception {
        BenchResults results = new BenchResults(1);
        results.add(latencyCase("floor"), List.of(histogramLine(150)));
        assertEquals(List.of(), Plots.write(results, directory, "floor only"));
    }
}
