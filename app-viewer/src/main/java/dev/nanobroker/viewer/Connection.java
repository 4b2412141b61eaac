package dev.nanobroker.viewer;

import dev.nanobroker.ring.DisplayReader;
import dev.nanobroker.ring.Frame;
import dev.nanobroker.ring.RingGeometry;
import dev.nanobroker.ring.SharedRing;
import javafx.geometry.Rectangle2D;
import javafx.scene.image.Image;
import javafx.scene.image.PixelBuffer;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One attachment to one ring file: the mapping, a {@code latest} reader line read by a
 * {@link DisplayReader}, and for every slot a
 * {@link PixelBuffer} wrapping that slot's memory and an image over it, made once. Showing a frame
 * copies nothing in Java: the slot's buffer is marked dirty and its image shown; JavaFX uploads the
 * texture from the shared memory when it renders. The ring must outlive the images: close this
 * only once none of its images is on screen and the renderer is done with them.
 */
final class Connection implements AutoCloseable {

    private final SharedRing ring;
    private final DisplayReader display;
    private final PixelBuffer<ByteBuffer>[] buffers;
    private final WritableImage[] images;
    private final Rectangle2D viewport;

    @SuppressWarnings("unchecked")
    Connection(String name, boolean allowOtherOwner) {
        ring = SharedRing.open(name, false, allowOtherOwner);
        try {
            display = ring.attachDisplayReader();
        } catch (RuntimeException e) {
            ring.close();
            throw e;
        }
        RingGeometry geometry = ring.geometry();
        int slots = geometry.slotCount();
        buffers = new PixelBuffer[slots];
        images = new WritableImage[slots];
        for (int slot = 0; slot < slots; slot++) {
            // A row stride wider than the frame shows as a wider image, cropped by the viewport.
            buffers[slot] = new PixelBuffer<>(geometry.rowStride() / 4, geometry.height(), unscopedBuffer(ring.slotPixels(slot)),
                    PixelFormat.getByteBgraPreInstance());
            images[slot] = new WritableImage(buffers[slot]);
        }
        viewport = new Rectangle2D(0, 0, geometry.width(), geometry.height());
    }

    /**
     * The slot's memory as a direct buffer outside the ring's arena. JavaFX's texture upload reads
     * the buffer a byte at a time, and through a buffer of the ring's shared arena every byte paid a
     * liveness check, which the JIT could not hoist out of that loop once the photo-mode clock's
     * plain buffer shared the call site: the upload doubled, and the frame reached the screen about
     * 20 ms later (publish → pixels p50 62 ms, against 40 ms like this). Safe because this class
     * unmaps only once no image of it can be rendered any more (see the class comment): the arena's
     * check could not have helped the render thread then either.
     */
    private static ByteBuffer unscopedBuffer(MemorySegment slot) {
        return MemorySegment.ofAddress(slot.address()).reinterpret(slot.byteSize()).asByteBuffer();
    }

    /** The newest frame, its slot's buffer marked for upload; null when nothing is newer. */
    Frame next() {
        Frame frame = display.poll();
        if (frame != null) {
            buffers[frame.slot()].updateBuffer(buffer -> null);
        }
        return frame;
    }

    WritableImage image(int slot) {
        return images[slot];
    }

    /** Whether {@code image} is one of this ring's slot images (so the renderer may read this mapping). */
    boolean owns(Image image) {
        return image != null && Arrays.asList(images).contains(image);
    }

    Rectangle2D viewport() {
        return viewport;
    }

    SharedRing ring() {
        return ring;
    }

    DisplayReader display() {
        return display;
    }

    @Override
    public void close() {
        ring.close();
    }
}
