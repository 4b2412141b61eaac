package dev.nanobroker.bench;

import javafx.animation.AnimationTimer;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.geometry.Rectangle2D;
import javafx.scene.Group;
import javafx.scene.Scene;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelBuffer;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * The viewer's baseline: the least a JavaFX app can do to show a new WIDTHxHEIGHT BGRA frame every
 * pulse. One {@link PixelBuffer} over a direct buffer in one {@link ImageView}, 1:1 in a window of
 * that size; each pulse changes one row and marks the whole buffer dirty, so JavaFX uploads and
 * draws the whole frame, as it does for a viewer. No ring, no overlay, no other node.
 * {@code PixelBufferBaseline width=W height=H warmup_ms=MS measure_ms=MS} (its {@link Settings});
 * prints {@code RESULT {"fps":...}}.
 */
public final class PixelBufferBaseline extends Application {

    /** The window's size, and how long to show frames before and while counting them. */
    record Settings(int width, int height, long warmupMs, long measureMs) {
    }

    @Override
    public void start(Stage stage) {
        Settings settings = RoleArguments.parse(Settings.class, RoleArguments.split(getParameters().getRaw()));
        int width = settings.width();
        int height = settings.height();
        long warmupNanos = settings.warmupMs() * 1_000_000L;
        long measureNanos = settings.measureMs() * 1_000_000L;
        // Opaque like a producer's frames (blending transparent pixels would cost the renderer more);
        // little-endian so that an int 0xAARRGGBB lands as the bytes B, G, R, A.
        ByteBuffer pixels = ByteBuffer.allocateDirect(width * height * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at < pixels.capacity(); at += 4) {
            pixels.putInt(at, 0xFF202020);
        }
        PixelBuffer<ByteBuffer> buffer = new PixelBuffer<>(width, height, pixels, PixelFormat.getByteBgraPreInstance());
        Rectangle2D whole = new Rectangle2D(0, 0, width, height);
        stage.setScene(new Scene(new Group(new ImageView(new WritableImage(buffer))), width, height));
        stage.setTitle("PixelBuffer baseline " + width + "x" + height);
        stage.show();
        new AnimationTimer() {
            private long started = -1;
            private long frames;
            private int row;

            @Override
            public void handle(long now) {
                if (started < 0) {
                    started = now + warmupNanos;
                }
                int offset = row * width * 4;
                for (int i = 0; i < width * 4; i += 4) {
                    pixels.putInt(offset + i, 0xFF000000 | ((row & 0xFF) * 0x010101));
                }
                row = (row + 1) % height;
                buffer.updateBuffer(b -> whole);
                if (now >= started) {
                    frames++;
                }
                if (now - started >= measureNanos) {
                    stop();
                    System.out.println(BenchResults.resultLine(Map.of("fps", frames * 1e9 / (now - started))));
                    System.out.flush();
                    Platform.exit();
                }
            }
        }.start();
    }

    public static void main(String[] args) {
        launch(args);
    }
}
