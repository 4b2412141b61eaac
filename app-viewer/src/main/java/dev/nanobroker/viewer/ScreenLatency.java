package dev.nanobroker.viewer;

import dev.nanobroker.frame.ClockReading;
import dev.nanobroker.frame.LatencyClock;
import javafx.geometry.Bounds;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.robot.Robot;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Locale;

/**
 * The age of the frame actually on screen: a few times a second, the window's pixels as the screen
 * holds them are captured ({@link Robot#getScreenCapture}: under X, the server's own copy), the
 * latency clock's box row is decoded from them, and the frame's render time (in the pixels) and its
 * publish time (remembered when the viewer took that frame) are subtracted from now. Only frames of
 * the {@code clock} pattern can be read; each capture costs the FX thread a few ms, so it runs only
 * when asked for ({@code view --screen-latency}, key L).
 */
final class ScreenLatency {

    /** Captures per second: enough for percentiles over a run, cheap enough to leave the fps alone. */
    static final long INTERVAL_NANOS = 250_000_000L;
    private static final int KEPT = 2_400;
    private static final int REMEMBERED = 256;

    private final long[] publishedSequence = new long[REMEMBERED];
    private final long[] publishedNanos = new long[REMEMBERED];
    private final long[] publishToScreen = new long[KEPT];
    private final long[] renderToScreen = new long[KEPT];
    private int samples;
    private long unreadable;
    private long nextCapture;
    private Robot robot;

    ScreenLatency() {
        Arrays.fill(publishedSequence, -1);
    }

    /** The viewer took frame {@code sequence}, published at {@code publishNanos}. */
    void shown(long sequence, long publishNanos) {
        int at = (int) Math.floorMod(sequence, (long) REMEMBERED);
        publishedSequence[at] = sequence;
        publishedNanos[at] = publishNanos;
    }

    /**
     * On the FX thread, once per pulse: captures the picture on screen when a capture is due.
     *
     * @return whether it captured (and {@link #describe} may say something new)
     */
    boolean pulse(ImageView picture, long now) {
        if (now - nextCapture < 0 || picture.getImage() == null || picture.getScene() == null) {
            return false;
        }
        nextCapture = now + INTERVAL_NANOS;
        Bounds onScreen = picture.localToScreen(picture.getBoundsInLocal());
        int width = (int) Math.floor(onScreen.getWidth());
        int height = (int) Math.floor(onScreen.getHeight());
        if (width < 80 || height < 24) {
            return false;
        }
        if (robot == null) {
            robot = new Robot();
        }
        long before = System.nanoTime();
        WritableImage shot = robot.getScreenCapture(null, Math.ceil(onScreen.getMinX()), Math.ceil(onScreen.getMinY()), width, height, false);
        // The capture takes a few ms; the pixels were on screen somewhere in it: take its middle.
        long seen = before + (System.nanoTime() - before) / 2;
        byte[] bgra = new byte[width * height * 4];
        shot.getPixelReader().getPixels(0, 0, width, height, PixelFormat.getByteBgraPreInstance(), bgra, 0, width * 4);
        ClockReading reading = LatencyClock.decode(MemorySegment.ofArray(bgra), width, height, width * 4);
        int at = reading == null ? -1 : (int) Math.floorMod(reading.sequence(), (long) REMEMBERED);
        if (at < 0 || publishedSequence[at] != reading.sequence()) {
            unreadable++;
            return true;
        }
        publishToScreen[samples % KEPT] = seen - publishedNanos[at];
        renderToScreen[samples % KEPT] = seen - reading.nanos();
        samples++;
        return true;
    }

    /** One line: p50 and p99 of both ages over the kept samples, or why there are none. */
    String describe() {
        int n = Math.min(samples, KEPT);
        if (n == 0) {
            return unreadable == 0 ? "on screen: measuring…" : "on screen: no latency clock readable on screen (use --pattern clock)";
        }
        return String.format(Locale.ROOT, "on screen (captured): publish → pixels p50 %.1f ms, p99 %.1f ms;"
                        + " render → pixels p50 %.1f ms, p99 %.1f ms (%d captures)",
                percentile(publishToScreen, n, 50), percentile(publishToScreen, n, 99),
                percentile(renderToScreen, n, 50), percentile(renderToScreen, n, 99), n);
    }

    /** The median age of the frame on screen since publish, in ms; NaN before the first readable capture. */
    double publishToScreenP50() {
        int n = Math.min(samples, KEPT);
        return n == 0 ? Double.NaN : percentile(publishToScreen, n, 50);
    }

    private static double percentile(long[] values, int n, double p) {
        long[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        int index = (int) Math.min(n - 1, Math.ceil(p / 100 * n) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    int samples() {
        return samples;
    }
}
