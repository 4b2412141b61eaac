package dev.nanobroker.producer.ui;

import dev.nanobroker.ring.RingGeometry;
import dev.nanobroker.ring.SharedRing;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelBuffer;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.StackPane;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * A scaled live view of what the producer writes. It costs the ring nothing: it takes no reader
 * line and holds no frame, it copies the newest frame out of its slot a few times a second
 * ({@link SharedRing#copyFrame}) into its own buffer, which a {@link PixelBuffer} shows. A copy
 * that the writer overran is simply skipped, so the preview may show fewer frames than are written.
 */
public final class FramePreview extends StackPane {

    private static final long INTERVAL_NANOS = 66_000_000; // ~15 previews a second

    private final ImageView view = new ImageView();
    private RingGeometry geometry;
    private ByteBuffer buffer;
    private MemorySegment target;
    private PixelBuffer<ByteBuffer> pixels;
    private long lastShown = -1;
    private long lastCopyNanos;

    public FramePreview() {
        getStyleClass().add("preview");
        view.setPreserveRatio(true);
        view.setSmooth(true);
        view.fitWidthProperty().bind(widthProperty());
        view.fitHeightProperty().bind(heightProperty());
        setMinSize(160, 90);
        getChildren().add(view);
    }

    /** Called once per pulse: copies and shows the newest frame when it is time and there is one. */
    public void update(SharedRing ring, long nowNanos) {
        if (ring == null || nowNanos - lastCopyNanos < INTERVAL_NANOS) {
            return;
        }
        lastCopyNanos = nowNanos;
        long newest = ring.head() - 1;
        if (newest < 0 || newest == lastShown) {
            return;
        }
        ensureImage(ring.geometry());
        if (ring.copyFrame(newest, target)) {
            lastShown = newest;
            pixels.updateBuffer(ignored -> null);
        }
    }

    private void ensureImage(RingGeometry next) {
        if (next.equals(geometry)) {
            return;
        }
        geometry = next;
        buffer = ByteBuffer.allocateDirect(Math.toIntExact(next.frameLength()));
        target = MemorySegment.ofBuffer(buffer);
        // The row stride may exceed width * 4: show it as a wider buffer, cropped by the viewport.
        pixels = new PixelBuffer<>(next.rowStride() / 4, next.height(), buffer, PixelFormat.getByteBgraPreInstance());
        view.setImage(new WritableImage(pixels));
        view.setViewport(new javafx.geometry.Rectangle2D(0, 0, next.width(), next.height()));
        lastShown = -1;
    }

    public long lastShownSequence() {
        return lastShown;
    }
}
