package dev.nanobroker.cli;

import dev.nanobroker.bridge.BridgeChannel;
import dev.nanobroker.bridge.BridgeRun;
import dev.nanobroker.bridge.BridgeSender;
import dev.nanobroker.bridge.Endpoint;
import dev.nanobroker.codec.FrameCodec;
import dev.nanobroker.ring.SharedRing;
import io.aeron.Aeron;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/** {@code nanobroker bridge send NAME --to HOST:PORT}: a ring's frames out over Aeron UDP. */
@Command(name = "send",
        description = {
                "Sends a ring's frames over Aeron UDP to 'bridge receive' on other hosts.",
                "",
                "Attaches to the ring NAME as a latest reader (waiting for it to appear, following producer restarts) and",
                "sends each frame as messages of up to 1 MiB, with its sequence, publish time, geometry and checksum:",
                "raw (the pixels as they are, the default), or compressed with --codec jpeg or h264 for slower links.",
                "When the link or a receiver is slower than the source, it finishes the frame in flight and then sends the",
                "newest: the frames in between are skipped and counted, and the producer never waits for the network.",
                "Several receivers (repeated --to, or a multicast group) are paced by the slowest; one silent for 2 s no",
                "longer holds the others back. Receivers send clock probes and keyframe requests to --probe-port.",
                "Prints a status line a second on stderr, and a report when it stops (Ctrl-C, --seconds, or --timeout-s",
                "without a receiver); stat shows its counts beside the ring."
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

    @Option(names = "--mtu", defaultValue = "0", paramLabel = "BYTES",
            description = "The datagrams' size: 8192 on a network of 9000-byte jumbo frames, for fewer datagrams a frame (raw 1080p at"
                    + " 60 fps needs it); every host and switch on the way must pass it. 0 = Aeron's 1408, for a 1500-byte network"
                    + " MTU (default: ${DEFAULT-VALUE}).")
    int mtu;

    @Option(names = "--channel", paramLabel = "URI",
            description = "An Aeron channel URI instead of --to, for what the flags do not say"
                    + " (aeron:udp?endpoint=HOST:PORT|interface=10.0.0.1).")
    String channelUri;

    @Option(names = "--codec", defaultValue = "raw", paramLabel = "CODEC",
            description = "How frames travel: raw (the pixels, exact; 1280x720 at 30 fps is 110 MB/s), jpeg (each frame a"
                    + " JPEG) or h264 (a stream; after a loss the receiver shows nothing until the next keyframe, at most"
                    + " a second away). The receiver learns it from the messages (default: ${DEFAULT-VALUE}).")
    String codecName;

    @Option(names = "--quality", paramLabel = "Q",
            description = "jpeg: the quality, 1 to 100, as libjpeg and most tools mean it (default: "
                    + FrameCodec.Jpeg.DEFAULT_QUALITY + ").")
    Integer quality;

    @Option(names = "--bitrate", paramLabel = "RATE",
            description = "h264: the bit rate aimed at, bit/s with an optional k or M: 500k, 8M; 100k to 240M (default: 8M).")
    String bitrate;

    @Option(names = "--probe-port", defaultValue = "0", paramLabel = "PORT",
            description = "The UDP port receivers on other hosts send clock probes to, to measure how far this host's clock"
                    + " is from theirs (latency across hosts); open it in a firewall. 0 = any free port, printed at the"
                    + " start (default: ${DEFAULT-VALUE}).")
    int probePort;

    @Mixin
    BridgeOptions bridge;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        bridge.check(spec.commandLine());
        BridgeChannel channel = channel();
        FrameCodec codec = codec();
        SharedRing.pathOf(name); // a bad name is an error now, not after the timeout
        if (probePort < 0 || probePort > 65_535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--probe-port " + probePort + " is not a UDP port (0 to 65535)");
        }
        BridgeSender sender = new BridgeSender(new BridgeSender.Settings(name, channel, codec, probePort, bridge.timeoutNanos(),
                bridge.runNanos()));
        return bridge.run(spec.commandLine(), json.on(), new BridgeOptions.End<BridgeSender.Status, BridgeSendReport>() {
            @Override
            public BridgeRun.Stop run(Aeron aeron, BooleanSupplier stopRequested, BridgeRun.Listener<BridgeSender.Status> listener) {
                return sender.run(aeron, stopRequested, listener);
            }

            @Override
            public String readyLine(String driver) {
                return String.format("sending %s to %s (%s, stream %d, clock probes on UDP port %d, %s)", name,
                        channel.description(), describe(codec), BridgeSender.streamIdOf(name), sender.probePort(), driver);
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
                return BridgeSendReport.of(name, channel.description(), describe(codec), sender, stopped, seconds);
            }
        });
    }

    /** The codec and its settings from --codec, --quality and --bitrate; a setting of another codec is a usage error. */
    private FrameCodec codec() {
        CommandLine commandLine = spec.commandLine();
        try {
            FrameCodec codec = FrameCodec.named(codecName);
            if (quality != null && !(codec instanceof FrameCodec.Jpeg)) {
                throw new CommandLine.ParameterException(commandLine, "--quality is for --codec jpeg, not " + codec.name());
            }
            if (bitrate != null && !(codec instanceof FrameCodec.H264)) {
                throw new CommandLine.ParameterException(commandLine, "--bitrate is for --codec h264, not " + codec.name());
            }
            return switch (codec) {
                case FrameCodec.Jpeg jpeg when quality != null -> new FrameCodec.Jpeg(quality);
                case FrameCodec.H264 h264 when bitrate != null -> new FrameCodec.H264(bitsPerSecond(bitrate), h264.framesPerSecond());
                default -> codec;
            };
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
    }

    /** {@code 8M}, {@code 500k} or {@code 8000000} as bit/s (k and M are 10^3 and 10^6, as bit rates count). */
    static long bitsPerSecond(String rate) {
        String text = rate.trim().toLowerCase(Locale.ROOT);
        long unit = text.endsWith("m") ? 1_000_000 : text.endsWith("k") ? 1_000 : 1;
        String number = unit == 1 ? text : text.substring(0, text.length() - 1);
        try {
            return Math.round(Double.parseDouble(number) * unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--bitrate '" + rate + "' is not a bit rate: give bit/s with an optional k or M (8M, 500k)");
        }
    }

    /** The codec with its setting, as the ready line and the report say it: raw, jpeg q80, h264 8 Mbit/s. */
    static String describe(FrameCodec codec) {
        return switch (codec) {
            case FrameCodec.Raw raw -> "raw";
            case FrameCodec.Jpeg jpeg -> "jpeg q" + jpeg.quality();
            case FrameCodec.H264 h264 -> String.format(Locale.ROOT, "h264 %s Mbit/s", BridgeSendReport.round(h264.bitsPerSecond() / 1e6));
        };
    }

    private BridgeChannel channel() {
        if ((to == null) == (channelUri == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --to HOST:PORT (one or more) or --channel URI, not both");
        }
        try {
            if (to == null && mtu != 0) {
                throw new IllegalArgumentException("--mtu goes with --to; with --channel, write mtu= in the URI");
            }
            return to == null ? BridgeChannel.of(channelUri) : BridgeChannel.sendTo(to.stream().map(Endpoint::parse).toList(), mtu);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
