package dev.nanobroker.producer.pattern;

/**
 * The knobs patterns take: set from the command line or the window.
 *
 * @param cellSize    checkerboard cell edge in pixels
 * @param colour      solid colour as 0xAARRGGBB (opaque unless the user asks otherwise)
 * @param speed       pixels per frame for moving patterns
 */
public record PatternOptions(int cellSize, int colour, int speed) {

    public static final PatternOptions DEFAULTS = new PatternOptions(64, 0xFF20_80C0, 8);

    public PatternOptions {
        if (cellSize < 1 || cellSize > 4096) {
            throw new IllegalArgumentException("cell size " + cellSize + " is out of range 1..4096");
        }
        if (speed < 0 || speed > 1000) {
            throw new IllegalArgumentException("speed " + speed + " is out of range 0..1000 pixels per frame");
        }
    }

    /**
     * Reads a colour as the command line writes it: {@code #RRGGBB} (opaque) or {@code #AARRGGBB},
     * the {@code #} optional.
     *
     * @return 0xAARRGGBB
     * @throws IllegalArgumentException for any other text
     */
    public static int parseColour(String text) {
        String hex = text.startsWith("#") ? text.substring(1) : text;
        try {
            if (hex.length() == 6) {
                return 0xFF00_0000 | Integer.parseUnsignedInt(hex, 16);
            }
            if (hex.length() == 8) {
                return Integer.parseUnsignedInt(hex, 16);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("colour '" + text + "' is not #RRGGBB or #AARRGGBB");
    }

    public PatternOptions withCellSize(int cellSize) {
        return new PatternOptions(cellSize, colour, speed);
    }

    public PatternOptions withColour(int colour) {
        return new PatternOptions(cellSize, colour, speed);
    }

    public PatternOptions withSpeed(int speed) {
        return new PatternOptions(cellSize, colour, speed);
    }
}
