package dev.nanobroker.ring;

/**
 * The shape of a ring: frame size, bytes per row and number of slots. Pixels are always 32-bit BGRA
 * with premultiplied alpha. The constructor refuses shapes no ring can take, with a message that says
 * why, so that tools can show it to the user as it is.
 */
public record RingGeometry(int width, int height, int rowStride, int slotCount) {

    public static final int MAX_DIMENSION = 16_384;
    public static final int MAX_SLOTS = 4_096;

    public RingGeometry {
        if (width < 1 || width > MAX_DIMENSION || height < 1 || height > MAX_DIMENSION) {
            throw new IllegalArgumentException("frame size " + width + "x" + height
                    + " is out of range: width and height must be 1.." + MAX_DIMENSION);
        }
        if (rowStride % RingLayout.BYTES_PER_PIXEL != 0) {
            throw new IllegalArgumentException("row stride " + rowStride
                    + " is not a multiple of " + RingLayout.BYTES_PER_PIXEL + " bytes (one BGRA pixel)");
        }
        if (rowStride < width * RingLayout.BYTES_PER_PIXEL || rowStride > MAX_DIMENSION * 2 * RingLayout.BYTES_PER_PIXEL) {
            throw new IllegalArgumentException("row stride " + rowStride + " does not fit width " + width
                    + ": it must be " + width * RingLayout.BYTES_PER_PIXEL + ".." + MAX_DIMENSION * 2 * RingLayout.BYTES_PER_PIXEL + " bytes");
        }
        if (slotCount < 1 || slotCount > MAX_SLOTS) {
            throw new IllegalArgumentException("slot count " + slotCount + " is out of range 1.." + MAX_SLOTS);
        }
    }

    /** A ring of tightly packed rows. */
    public static RingGeometry of(int width, int height, int slotCount) {
        if (width < 1 || width > MAX_DIMENSION) {
            // Let the canonical constructor word the error; avoid an int overflow in the stride first.
            return new RingGeometry(width, height, RingLayout.BYTES_PER_PIXEL, slotCount);
        }
        return new RingGeometry(width, height, width * RingLayout.BYTES_PER_PIXEL, slotCount);
    }

    public long frameLength() {
        return (long) rowStride * height;
    }

    public long slotStride() {
        return RingLayout.slotStride(rowStride, height);
    }

    public long headerLength() {
        return RingLayout.headerLength(slotCount);
    }

    public long fileLength() {
        return RingLayout.fileLength(slotCount, rowStride, height);
    }

    @Override
    public String toString() {
        return width + "x" + height + " stride " + rowStride + " x" + slotCount + " slots";
    }
}
