package dev.nanobroker.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code nanobroker bridge}: the two ends of a ring carried to other hosts over Aeron UDP. */
@Command(name = "bridge",
        description = {
                "Carries a ring to other hosts over Aeron UDP: 'bridge send' on the producer's host,",
                "'bridge receive' on each host that wants the frames, into a local ring of the same name (or --as).",
                "Local viewers, read, stat and the Python module then work unchanged on the receiving host.",
                "See docs/bridge.md."
        },
        subcommands = {BridgeSendCommand.class, BridgeReceiveCommand.class})
final class BridgeCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
