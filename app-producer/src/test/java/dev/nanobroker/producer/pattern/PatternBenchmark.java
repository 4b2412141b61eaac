package dev.nanobroker.producer.pattern;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Render time of every pattern at 1920x1080 into one off-heap, page-aligned frame (like a ring slot),
 * one thread: warm-up frames, then timed frames one by one; prints a markdown table. The overlay row
 * times {@link Overlay#draw} alone. Usage:
 * {@code java -cp ... dev.nanobroker.producer.pattern.PatternBenchmark [WARMUP_FRAMES [TIMED_FRAMES]]}.
 */
public final class PatternBenchmark {

    private static final int WIDTH = 1920;
    private static final int HEIGHT = 1080;
    private static final int STRIDE = WIDTH * 4;

    private PatternBenchmark() {
    }

    public static void main(String[] args) {
        int warmUp = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int frames = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        List<String> names = new ArrayList<>(PatternCatalog.names());
        names.add("overlay");
        System.out.printf("%d x %d, stride %d, %d warm-up + %d timed frames per pattern, %s %s, %d CPUs%n%n",
                WIDTH, HEIGHT, STRIDE, warmUp, frames, System.getProperty("java.vm.name"), Runtime.version(),
                Runtime.getRuntime().availableProcessors());
        System.out.println("| pattern | ms/frame mean | ms/frame p99 | max fps |");
        System.out.println("|---|---:|---:|---:|");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment frame = arena.allocate((long) STRIDE * HEIGHT, 4096);
            Overlay overlay = new Overlay();
            for (String name : names) {
                TestPattern pattern = name.equals("overlay")
                        ? (pixels, width, height, rowStride, sequence, nanos) -> overlay.draw(pixels, width, height, rowStride, sequence, nanos)
                        : PatternCatalog.create(name, PatternOptions.DEFAULTS);
                long sequence = 0;
                for (int i = 0; i < warmUp; i++) {
                    pattern.render(frame, WIDTH, HEIGHT, STRIDE, sequence++, System.nanoTime());
                }
                long[] times = new long[frames];
                for (int i = 0; i < frames; i++) {
                    long start = System.nanoTime();
                    pattern.render(frame, WIDTH, HEIGHT, STRIDE, sequence++, start);
                    times[i] = System.nanoTime() - start;
                }
                Arrays.sort(times);
                double mean = Arrays.stream(times).average().orElse(0) / 1e6;
                double p99 = times[(int) Math.ceil(frames * 0.99) - 1] / 1e6;
                System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %.0f |%n", name, mean, p99, 1000 / mean);
            }
        }
    }
}
