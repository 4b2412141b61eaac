package dev.nanobroker.cli;

import dev.nanobroker.frame.FrameSize;
import picocli.CommandLine;

/** Reads {@code --size} and {@code --screen} with {@link FrameSize#parse}, its message as picocli's. */
final class FrameSizeConverter implements CommandLine.ITypeConverter<FrameSize> {

    @Override
    public FrameSize convert(String text) {
        try {
            return FrameSize.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
