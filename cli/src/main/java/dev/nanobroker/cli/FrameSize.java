package dev.nanobroker.cli;

import picocli.CommandLine;

/** A frame size given as {@code WIDTHxHEIGHT}, e.g. {@code 1920x1080}. */
record FrameSize(int width, int height) {

    @Override
    public String toString() {
        return width + "x" + height;
    }

    static final class Converter implements CommandLine.ITypeConverter<FrameSize> {
        @Override
        public FrameSize convert(String text) {
            String[] parts = text.toLowerCase(java.util.Locale.ROOT).split("x", -1);
            try {
                if (parts.length == 2) {
                    return new FrameSize(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
                }
            } catch (NumberFormatException ignored) {
                // reported below with the expected form
            }
            throw new CommandLine.TypeConversionException("'" + text + "' is not a frame size: use WIDTHxHEIGHT, e.g. 1280x720");
        }
    }
}
