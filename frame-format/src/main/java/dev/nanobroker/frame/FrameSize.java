package dev.nanobroker.frame;

import java.util.Locale;

/**
 * A frame size as people write it, {@code WIDTHxHEIGHT}, e.g. {@code 1920x1080}: the command line's
 * {@code --size} and {@code --screen} and the producer window's size field read it through
 * {@link #parse}. Whether a ring can take the size is the ring geometry's to say, not this type's.
 */
public record FrameSize(int width, int height) {

    /**
     * Reads {@code WIDTHxHEIGHT} ({@code X} too, blanks around either number allowed).
     *
     * @throws IllegalArgumentException when the text is not two whole numbers around an x
     */
    public static FrameSize parse(String text) {
        String[] parts = text.toLowerCase(Locale.ROOT).split("x", -1);
        try {
            if (parts.length == 2) {
                return new FrameSize(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            }
        } catch (NumberFormatException ignored) {
            // reported below with the expected form
        }
        throw new IllegalArgumentException("'" + text + "' is not a frame size: use WIDTHxHEIGHT, e.g. 1280x720");
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }
}
