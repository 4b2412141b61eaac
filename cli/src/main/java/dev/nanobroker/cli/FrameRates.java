package dev.nanobroker.cli;

import dev.nanobroker.ring.RingStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Frames per second between two looks at a ring's header: the producer's (published frames) and
 * each reader line's distinct frames taken (its frame counter), which for a viewer is the frames it
 * showed. The figure the demo reports: what a viewer really displayed, not how often it was painted.
 *
 * @param producerFps frames published per second
 * @param readers     each reader line attached at both looks, by line
 */
record FrameRates(double seconds, double producerFps, List<Line> readers) {

    /** One reader line's rate. */
    record Line(int line, int pid, double fps) {
    }

    static FrameRates between(RingStatus before, RingStatus after, long nanos) {
        double seconds = nanos / 1e9;
        List<Line> lines = new ArrayList<>();
        for (RingStatus.Reader now : after.readers()) {
            RingStatus.Reader then = before.readers().get(now.line());
            if (now.attached() && then.ownerToken() == now.ownerToken()) {
                lines.add(new Line(now.line(), now.pid(), (now.frames() - then.frames()) / seconds));
            }
        }
        return new FrameRates(seconds, (after.head() - before.head()) / seconds, lines);
    }

    /** These rates without the lines of process {@code pid}. */
    FrameRates without(long pid) {
        return new FrameRates(seconds, producerFps, readers.stream().filter(line -> line.pid() != pid).toList());
    }

    /** "over 10.0 s: producer 60.0 fps; readers (distinct frames per second): #0 55.1, #1 54.8". */
    String describe() {
        return String.format(Locale.ROOT, "over %.1f s: producer %.1f fps; viewers (distinct frames shown per second): %s", seconds,
                producerFps, readers.isEmpty() ? "none" : readers.stream()
                        .map(line -> String.format(Locale.ROOT, "line %d %.1f", line.line(), line.fps()))
                        .collect(Collectors.joining(", ")));
    }
}
