package dev.nanobroker.cli;

import dev.nanobroker.fx.WindowPlacement;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** Where a command's window opens: the demo tiles its windows with these. */
final class WindowOptions {

    @Option(names = "--x", defaultValue = "-1", paramLabel = "PX", description = "Window position, left edge.")
    double x;

    @Option(names = "--y", defaultValue = "-1", paramLabel = "PX", description = "Window position, top edge.")
    double y;

    @Option(names = "--width", defaultValue = "1200", paramLabel = "PX", description = "Window width (default: ${DEFAULT-VALUE}).")
    double width;

    @Option(names = "--height", defaultValue = "740", paramLabel = "PX", description = "Window height (default: ${DEFAULT-VALUE}).")
    double height;

    /** A size too small for a window is a usage error of {@code command}. */
    WindowPlacement placement(CommandLine command) {
        try {
            return new WindowPlacement(x, y, width, height);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(command, e.getMessage());
        }
    }
}
