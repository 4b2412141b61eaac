package dev.nanobroker.cli;

import dev.nanobroker.bridge.BridgeChannel;
import dev.nanobroker.bridge.BridgeRun;
import dev.nanobroker.bridge.BridgeSender;
import dev.nanobroker.bridge.Endpoint;
import dev.nanobroker.ring.SharedRing;
import io.aeron.Aeron;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/** {@code nanobroker bridge send NAME --to HOST:PORT}: a ring's frames out over Aeron UDP. */
@Command(name = "send",
        description = {
                "Sends a ring's frames over Aeron UDP to 'bridge receive' on other hosts.",
                "",
                "Attaches to the ring NAME as a latest reader (waiting for it to appear, following producer restarts) and",
                "sends each frame as messages of up to 1 MiB, with its sequence, publish time, geometry and checksum.",
                "When the link or a receiver is slower than the source, it finishes the frame in flight and then sends the",
                "newest: the frames in between are skipped and counted, and the producer never waits for the network.",
                "Prints a status line a second on stderr, and a report when it stops (Ctrl-C, --seconds, or --timeout-s",
                "without a receiver)."
        })
final class BridgeSendCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The ring to send: /dev/shm/NAME on this host.")
    String name;

    @Option(names = "--to", paramLabel = "HOST:PORT",
            description = "Where a receiver listens (its --from). Repeat for several receivers (Aeron multi-destination"
                    + " unicast: each datagram goes to each), or give one multicast group (239.1.2.3:40456).")
    List<String> to;

    @Option(names = "--channel", paramLabel = "URI",
            description = "An Aeron channel URI instead of --to, for what the flags do not say"
                    + " (aeron:udp?endpoint=HOST:PORT|mtu=8192).")
    String channelUri;

    @Mixin
    BridgeOptions bridge;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        bridge.check(spec.commandLine());
        BridgeChannel channel = channel();
        SharedRing.pathOf(name); // a bad name is an error now, not after the timeout
        BridgeSender sender = new BridgeSender(new BridgeSender.Settings(name, channel, bridge.timeoutNanos(), bridge.runNanos()));
        return bridge.run(spec.commandLine(), json.on(), new BridgeOptions.End<BridgeSender.Status, BridgeSendReport>() {
            @Override
            public BridgeRun.Stop run(Aeron aeron, BooleanSupplier stopRequested, BridgeRun.Listener<BridgeSender.Status> listener) {
                return sender.run(aeron, stopRequested, listener);
            }

            @Override
            public String readyLine(String driver) {
                return String.format("sending %s to %s (stream %d, %s)", name, channel.description(), BridgeSender.streamIdOf(name), driver);
            }

            @Override
            public String statusLine(BridgeSender.Status status) {
                return BridgeSendReport.statusLine(name, status);
            }

            @Override
            public String failure(BridgeRun.Stop stopped) {
                return switch (stopped) {
                    case NO_PEER -> "no receiver connected to " + channel.description() + " within " + bridge.timeoutSeconds
                            + " s (is 'bridge receive' running there, for ring " + name + ", and is its UDP port open?)";
                    case NO_RING -> "ring " + name + " did not appear within " + bridge.timeoutSeconds + " s";
                    default -> null;
                };
            }

            @Override
            public BridgeSendReport report(BridgeRun.Stop stopped, double seconds) {
                return BridgeSendReport.of(name, channel.description(), sender, stopped, seconds);
            }
        });
    }

    private BridgeChannel channel() {
        if ((to == null) == (channelUri == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --to HOST:PORT (one or more) or --channel URI, not both");
        }
        try {
            return to == null ? BridgeChannel.of(channelUri) : BridgeChannel.sendTo(to.stream().map(Endpoint::parse).toList());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
