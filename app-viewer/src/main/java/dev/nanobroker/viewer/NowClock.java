package dev.nanobroker.viewer;

import dev.nanobroker.frame.BitmapFont;
import dev.nanobroker.frame.Pixels;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelBuffer;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Photo mode: the time now, drawn every pulse in the latency clock's own font and format
 * ({@code NOW 12345.678 MS}: {@link System#nanoTime()} in ms, the clock the producer burns into the
 * frame as it renders it). One photo of the screen then shows the frame's time and this time side by
 * side, and their difference is the glass-to-glass latency, camera included.
 */
final class NowClock extends ImageView {

    private static final String LABEL = "NOW ";
    private static final String UNIT = " MS";
    /** Room for up to 12 digits of milliseconds (about 30 years of uptime). */
    private static final int CHARS = LABEL.length() + 12 + 4 + UNIT.length();
    private static final int SCALE = 4;
    private static final int MARGIN = 2 * SCALE;
    private static final int WIDTH = BitmapFont.textWidth(CHARS, SCALE) + 2 * MARGIN;
    private static final int HEIGHT = BitmapFont.textHeight(SCALE) + 2 * MARGIN;
    private static final int ROW_STRIDE = WIDTH * 4;
    /** White digits on nothing: the panel's own background (from the style sheet) shows through. */
    private static final int TEXT = Pixels.WHITE;

    private final MemorySegment pixels;
    private final PixelBuffer<ByteBuffer> buffer;

    NowClock() {
        ByteBuffer bytes = ByteBuffer.allocateDirect(ROW_STRIDE * HEIGHT);
        pixels = MemorySegment.ofBuffer(bytes);
        buffer = new PixelBuffer<>(WIDTH, HEIGHT, bytes, PixelFormat.getByteBgraPreInstance());
        setImage(new WritableImage(buffer));
        setPreserveRatio(true);
        setSmooth(false);
        setId("now-clock");
    }

    /** Draws {@code nanos} (from {@link System#nanoTime()}); on the FX thread, once per pulse. */
    void show(long nanos) {
        buffer.updateBuffer(unused -> {
            pixels.fill((byte) 0);
            int x = BitmapFont.drawString(pixels, WIDTH, HEIGHT, ROW_STRIDE, MARGIN, MARGIN, SCALE, LABEL, TEXT);
            x = BitmapFont.drawMillis(pixels, WIDTH, HEIGHT, ROW_STRIDE, x, MARGIN, SCALE, nanos, TEXT);
            BitmapFont.drawString(pixels, WIDTH, HEIGHT, ROW_STRIDE, x, MARGIN, SCALE, UNIT, TEXT);
            return null;
        });
    }
}
