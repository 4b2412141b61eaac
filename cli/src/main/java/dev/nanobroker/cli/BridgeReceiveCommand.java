package dev.nanobroker.cli;

import dev.nanobroker.bridge.BridgeChannel;
import dev.nanobroker.bridge.BridgeReceiver;
import dev.nanobroker.bridge.BridgeRun;
import dev.nanobroker.bridge.BridgeSender;
import dev.nanobroker.bridge.Endpoint;
import dev.nanobroker.ring.OverflowPolicy;
import dev.nanobroker.ring.RingGeometry;
import dev.nanobroker.ring.SharedRing;
import io.aeron.Aeron;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/** {@code nanobroker bridge receive NAME --from HOST:PORT}: a remote ring's frames into a local ring. */
@Command(name = "receive",
        description = {
                "Receives a ring's frames from 'bridge send' over Aeron UDP and writes them into a local ring.",
                "",
                "Listens on --from (this host's address and port, or a multicast group to join) for the ring NAME's frames",
                "and writes each into the local ring NAME (or --as), created with the sender's geometry at the first frame.",
                "A frame is published only when every part of it arrived and its checksum matches; frames lost, incomplete",
                "or corrupt are counted, never shown. JPEG and H.264 frames (the sender's --codec, which the messages name)",
                "are decoded into the slot; after a lost H.264 frame nothing is shown until the next keyframe, which it asks",
                "the sender for at once. Local viewers, read, stat and Python read the ring as any other; each frame keeps",
                "its source's sequence (Frame.sourceSequence) and, once the sender's clock is known, its original publish",
                "time, so their latency is end to end. A sender on another host's clock is probed four times a second at",
                "its probe port (UDP, named in its frames) to estimate the offset, NTP's way.",
                "Prints a status line a second on stderr, and a report when it stops (Ctrl-C, --seconds, or --timeout-s",
                "without a sender); stat shows its counts beside the local ring."
        })
final class BridgeReceiveCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The sender's ring; the local ring's name too, unless --as.")
    String name;

    @Option(names = "--from", paramLabel = "HOST:PORT",
            description = "Where to listen: an address of this host (0.0.0.0 for all) and a UDP port, the sender's --to;"
                    + " or a multicast group to join.")
    String from;

    @Option(names = "--channel", paramLabel = "URI", description = "An Aeron channel URI instead of --from.")
    String channelUri;

    @Option(names = "--as", paramLabel = "LOCALNAME", description = "Write the frames into the local ring LOCALNAME instead of NAME.")
    String localName;

    @Option(names = "--slots", defaultValue = "0", paramLabel = "K", description = "Slots of the local ring; 0 = as many as the sender's ring (default: ${DEFAULT-VALUE}).")
    int slots;

    @Mixin
    OverflowPolicyOptions overflow;

    @Mixin
    BridgeOptions bridge;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        bridge.check(spec.commandLine());
        BridgeChannel channel = channel();
        String ring = localName != null ? localName : name;
        SharedRing.pathOf(ring); // a bad name is an error now, not at the first frame
        if (slots < 0 || slots > RingGeometry.MAX_SLOTS) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--slots must be 0.." + RingGeometry.MAX_SLOTS);
        }
        OverflowPolicy policy;
        try {
            policy = overflow.policy();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        BridgeReceiver receiver = new BridgeReceiver(new BridgeReceiver.Settings(name, ring, channel, policy, slots,
                bridge.timeoutNanos(), bridge.runNanos()));
        return bridge.run(spec.commandLine(), json.on(), new BridgeOptions.End<BridgeReceiver.Status, BridgeReceiveReport>() {
            @Override
            public BridgeRun.Stop run(Aeron aeron, BooleanSupplier stopRequested, BridgeRun.Listener<BridgeReceiver.Status> listener) {
                return receiver.run(aeron, stopRequested, listener);
            }

            @Override
            public String readyLine(String driver) {
                return String.format("receiving %s into %s, listening on %s (stream %d, %s)", name, ring, channel.description(),
                        BridgeSender.streamIdOf(name), driver);
            }

            @Override
            public String statusLine(BridgeReceiver.Status status) {
                return BridgeReceiveReport.statusLine(ring, status);
            }

            @Override
            public String failure(BridgeRun.Stop stopped) {
                return stopped != BridgeRun.Stop.NO_PEER ? null : "no sender of " + name + " reached " + channel.description()
                        + " within " + bridge.timeoutSeconds + " s (is 'bridge send " + name + " --to' pointed here, and is the"
                        + " UDP port open?)";
            }

            @Override
            public BridgeReceiveReport report(BridgeRun.Stop stopped, double seconds) {
                return BridgeReceiveReport.of(name, ring, channel.description(), receiver, stopped, seconds);
            }
        });
    }

    private BridgeChannel channel() {
        if ((from == null) == (channelUri == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --from HOST:PORT or --channel URI, not both");
        }
        try {
            return channelUri != null ? BridgeChannel.of(channelUri) : BridgeChannel.receiveOn(Endpoint.parse(from));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
