package dev.nanobroker.cli;

import dev.nanobroker.ring.SharedRing;
import dev.nanobroker.viewer.Stall;
import dev.nanobroker.viewer.ViewerApp;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code nanobroker view [NAME]}: the zero-copy viewer window. */
@Command(name = "view",
        description = {
                "Shows a ring's frames in a window, with no copy in Java, and how every reader keeps up.",
                "Its overlay gives latency, display and producer fps, and in words whether it got every frame.",
                "",
                "Waits for the ring to appear, shows 'no signal' over the last frame when the",
                "producer is gone, and re-attaches by itself when a producer comes back.",
                "Without NAME it lists the rings to pick from.",
                "",
                "Keys:",
                "  O  overlay on / off           1  one-to-one / fit       F  full screen",
                "  S  save the frame as PNG      P  pick another ring",
                "  Z  stall: take no frames for --stall-ms, as a GC pause or a slow consumer",
                "     would; the producer's policy shows what that costs (block: it waits;",
                "     drop: it drops; overwrite: this viewer loses frames)",
                "  L  measure the age of the frame on screen from screen captures",
                ""
        })
final class ViewCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Ring name: the file /dev/shm/NAME.")
    String name;

    @Option(names = "--overlay", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Show the overlay at start (fps, latency, every reader's lag, skipped and lost frames, plot). Default: on.")
    boolean overlay;

    @Mixin
    OtherOwnerOption otherOwner;

    @Option(names = "--stall-ms", defaultValue = "3000", paramLabel = "MS",
            description = "How long a stall (key Z, --stall-every) stops this viewer taking frames (default: ${DEFAULT-VALUE}).")
    long stallMillis;

    @Option(names = "--stall-every", defaultValue = "0", paramLabel = "S",
            description = "Stall by itself every S seconds; 0 = only on key Z (default: ${DEFAULT-VALUE}).")
    double stallEverySeconds;

    @Option(names = "--screen-latency", description = "Measure the age of the frame on screen from screen captures (4 a second;"
            + " needs --pattern clock at the producer): shown in the overlay, printed at the end. Key L toggles it.")
    boolean screenLatency;

    @CommandLine.Mixin
    WindowOptions window;

    @Override
    public Integer call() throws InterruptedException {
        if (name != null) {
            SharedRing.pathOf(name);
        }
        if (stallMillis <= 0 || stallEverySeconds < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--stall-ms must be positive and --stall-every not negative");
        }
        CommandException.requireDisplay("'nanobroker read NAME' reads a ring without a window");
        Stall stall = new Stall(Duration.ofMillis(stallMillis), Duration.ofNanos((long) (stallEverySeconds * 1e9)));
        ViewerApp.run(name, overlay, otherOwner.allowed(), stall, screenLatency, window.placement(spec.commandLine()));
        return 0;
    }
}
