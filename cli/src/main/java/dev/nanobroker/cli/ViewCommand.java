package dev.nanobroker.cli;

import dev.nanobroker.producer.ui.WindowPlacement;
import dev.nanobroker.ring.SharedRing;
import dev.nanobroker.viewer.ViewerApp;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code nanobroker view [NAME]}: the zero-copy viewer window. */
@Command(name = "view",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        description = {
                "Shows a ring's frames in a window, with no copy in Java, and how every reader keeps up.",
                "",
                "Waits for the ring to appear, shows 'no signal' over the last frame when the producer is gone,",
                "and re-attaches by itself when a producer comes back. Without NAME it lists the rings to pick from.",
                "Keys: O overlay, 1 one-to-one / fit, F full screen, S save the frame as PNG, P pick another ring."
        })
final class ViewCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Ring name: the file /dev/shm/NAME.")
    String name;

    @Option(names = "--overlay", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Show the overlay at start (fps, latency, every reader's lag and drops, plot). Default: on.")
    boolean overlay;

    @Option(names = "--x", defaultValue = "-1", paramLabel = "PX", description = "Window position, left edge.")
    double x;

    @Option(names = "--y", defaultValue = "-1", paramLabel = "PX", description = "Window position, top edge.")
    double y;

    @Option(names = "--width", defaultValue = "1280", paramLabel = "PX", description = "Window width (default: ${DEFAULT-VALUE}).")
    double width;

    @Option(names = "--height", defaultValue = "760", paramLabel = "PX", description = "Window height (default: ${DEFAULT-VALUE}).")
    double height;

    @Override
    public Integer call() throws InterruptedException {
        if (name != null) {
            SharedRing.pathOf(name);
        }
        WindowPlacement placement;
        try {
            placement = new WindowPlacement(x, y, width, height);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        ViewerApp.run(name, overlay, placement);
        return 0;
    }
}
