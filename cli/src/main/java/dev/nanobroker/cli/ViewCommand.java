package dev.nanobroker.cli;

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
            description = "Show the overlay at start (fps, latency, every reader's lag, skipped and lost frames, plot). Default: on.")
    boolean overlay;

    @Option(names = "--allow-other-owner", description = "Show a ring that another user created (refused by default).")
    boolean allowOtherOwner;

    @CommandLine.Mixin
    WindowOptions window;

    @Override
    public Integer call() throws InterruptedException {
        if (name != null) {
            SharedRing.pathOf(name);
        }
        CommandException.requireDisplay("'nanobroker read NAME' reads a ring without a window");
        ViewerApp.run(name, overlay, allowOtherOwner, window.placement(spec.commandLine()));
        return 0;
    }
}
