package dev.nanobroker.bridge;

import dev.nanobroker.ring.BridgeNote;
import dev.nanobroker.ring.OverflowPolicy;
import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Image;
import io.aeron.Subscription;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code bridge receive}: subscribes to a ring's stream and writes each frame that arrives whole and
 * intact into a local ring ({@link FrameAssembly}), which local viewers, {@code read}, {@code stat}
 * and the Python module then read as any other. One thread polls Aeron and writes the ring.
 */
public final class BridgeReceiver {

    /** Fragments per poll: enough to keep up with a fast link, few enough to look at the clock often. */
    private static final int FRAGMENT_LIMIT = 64;

    /**
     * @param remoteName   the sender's ring (it names the stream)
     * @param localName    the ring to write here
     * @param slots        the local ring's slot count; 0 = the sender's
     * @param timeoutNanos stop when no sender was connected for this long (0: never)
     * @param runNanos     stop after this long (0: when stopped)
     */
    public record Settings(String remoteName, String localName, BridgeChannel channel, OverflowPolicy policy, int slots,
                           long timeoutNanos, long runNanos) {
    }

    /**
     * The counts so far, with the rates and medians of the last second (or, at the end, of the whole run).
     *
     * @param codec                  the codec of the frames coming ({@code raw}, {@code jpeg}, {@code h264}), null before the first
     * @param awaitingKeyframe       h264 frames that came whole but were not shown: the decoder waited for a keyframe
     * @param bytes                  payload bytes of the frames received (what the codec made of them)
     * @param sentToReceivedP50Nanos -1 while the sender's clock is not known (another host's, not yet estimated)
     * @param decodeP50Nanos         decoding one jpeg or h264 payload into its slot (part of received→republished); 0 for raw
     * @param clock                  what is known of the sender's clock: the same as this host's, or an estimate of its
     *                               offset; null while nothing is
     * @param probeTarget            where this receiver sends clock probes ("HOST:PORT"), null when it sends none
     * @param keyframeRequests       H.264 keyframes asked of the sender after a loss
     */
    public record Status(boolean senderConnected, String codec, long received, long lost, long incomplete, long corrupt,
                         long dropped, long awaitingKeyframe, long malformed, long bytes, double framesPerSecond,
                         double megabytesPerSecond, long publishToSentP50Nanos, long sentToReceivedP50Nanos,
                         long receivedToRepublishedP50Nanos, long decodeP50Nanos, ClockOffset.Estimate clock,
                         String probeTarget, long keyframeRequests) {

        /** Payload bytes per frame received, 0 before the first. */
        public long bytesPerFrame() {
            return received > 0 ? bytes / received : 0;
        }
    }

    private final Settings settings;
    private final IdleStrategy idle = new BackoffIdleStrategy();
    private FrameAssembly assembly;
    private BackChannel backChannel;
    /** The address the current sender sends from, null before the first. */
    private String senderHost;

    public BridgeReceiver(Settings settings) {
        this.settings = settings;
    }

    /** Receives until stopped, {@code runNanos} passed, or no sender came for {@code timeoutNanos}. */
    public BridgeRun.Stop run(Aeron aeron, BooleanSupplier stopRequested, BridgeRun.Listener<Status> listener) {
        long start = System.nanoTime();
        int streamId = BridgeSender.streamIdOf(settings.remoteName());
        try (Subscription subscription = settings.channel().subscribe(aeron, streamId);
             BackChannel back = new BackChannel(aeron, streamId);
             FrameAssembly frames = new FrameAssembly(new FrameAssembly.Settings(settings.localName(), settings.policy(),
                     settings.slots()), ReceiveFaults.fromSystemProperty(), senderLink(subscription, back))) {
            assembly = frames;
            backChannel = back;
            note(status(false, new BridgeRun.Rate(0, 0), 0, 0, 0, 0));
            listener.ready();
            FragmentAssembler parts = new FragmentAssembler((buffer, offset, length, header) -> {
                long now = System.nanoTime();
                if (BridgeMessage.isType(buffer, offset, length, BridgeMessage.TYPE_CLOCK_REPLY)) {
                    answered(back, buffer, offset, length, now);
                } else {
                    frames.accept(header.sessionId(), buffer, offset, length, now);
                }
            });
            BridgeRun.Seconds seconds = new BridgeRun.Seconds(start);
            BridgeRun.Limits limits = new BridgeRun.Limits(start, settings.runNanos(), settings.timeoutNanos());
            while (true) {
                int fragments = subscription.poll(parts, FRAGMENT_LIMIT);
                if (frames.failure() != null) {
                    throw frames.failure();
                }
                long now = System.nanoTime();
                back.tick(now);
                if (fragments == 0) {
                    frames.expire(now);
                    idle.idle();
                } else {
                    idle.reset();
                }
                boolean connected = subscription.isConnected();
                BridgeRun.Stop stop = limits.check(now, stopRequested.getAsBoolean(), connected);
                if (stop != null) {
                    return stop;
                }
                if (seconds.due(now)) {
                    Status status = status(connected, seconds.next(now, frames.received(), frames.bytes()),
                            frames.publishToSent().intervalMedianAndReset(), frames.sentToReceived().intervalMedianAndReset(),
                            frames.receivedToRepublished().intervalMedianAndReset(), frames.decodeTime().intervalMedianAndReset());
                    note(status);
                    listener.second(status);
                }
            }
        } finally {
            BridgeNote.remove(BridgeNote.Role.RECEIVE, settings.localName());
        }
    }

    /** What {@code stat} and viewers show of this receiver beside the ring it writes. */
    private void note(Status status) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("received", status.received());
        counts.put("lost", status.lost());
        counts.put("incomplete", status.incomplete());
        counts.put("corrupt", status.corrupt());
        counts.put("dropped", status.dropped());
        if ("h264".equals(status.codec())) {
            counts.put("awaiting keyframe", status.awaitingKeyframe());
        }
        String sender = senderHost == null ? "" : " from " + senderHost;
        BridgeNote.now(BridgeNote.Role.RECEIVE, settings.localName(), "ring " + settings.remoteName() + sender + " on "
                + settings.channel().description() + (status.senderConnected() ? "" : ", no sender"), counts,
                ClockOffset.Estimate.asNote(status.clock())).write();
    }

    /** The assembly's link to each sender: the back channel, told where the sender of a session sends from. */
    private FrameAssembly.SenderLink senderLink(Subscription subscription, BackChannel prober) {
        return new FrameAssembly.SenderLink() {
            @Override
            public void follow(int session, FramePart first) {
                senderHost = senderHost(subscription, session);
                prober.follow(senderHost, first);
            }

            @Override
            public ClockOffset.Estimate estimate() {
                return prober.estimate();
            }

            @Override
            public void requestKeyframe() {
                prober.requestKeyframe();
            }
        };
    }

    /** A clock reply, unless it is not one this version reads (another version's: nothing to learn from it). */
    private static void answered(BackChannel prober, DirectBuffer buffer, int offset, int length, long now) {
        try {
            prober.answered(ClockProbe.Reply.decode(buffer, offset, length), now);
        } catch (BridgeMessage.MalformedMessageException e) {
            // The frames of such a sender are refused and counted as malformed; its replies need no count of their own.
        }
    }

    /** The address the sender of {@code session} sends from, as this host sees it, or null when it has none (IPC, gone). */
    private static String senderHost(Subscription subscription, int session) {
        Image image = subscription.imageBySessionId(session);
        if (image == null) {
            return null;
        }
        String source = image.sourceIdentity(); // "HOST:PORT", "[IPV6]:PORT", or "aeron:ipc"
        int colon = source.lastIndexOf(':');
        if (colon <= 0 || source.startsWith("aeron:")) {
            return null;
        }
        String host = source.substring(0, colon);
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The counts so far, with {@code rate} and the hops' medians. */
    private Status status(boolean connected, BridgeRun.Rate rate, long publishToSent, long sentToReceived,
                          long receivedToRepublished, long decode) {
        ClockOffset.Estimate clock = assembly.clock();
        return new Status(connected, assembly.codecName(), assembly.received(), assembly.lost(), assembly.incomplete(),
                assembly.corrupt(), assembly.dropped(), assembly.awaitingKeyframe(), assembly.malformed(), assembly.bytes(),
                rate.framesPerSecond(), rate.megabytesPerSecond(), publishToSent, clock != null ? sentToReceived : -1,
                receivedToRepublished, decode, clock, backChannel.probeTarget(), backChannel.keyframeRequests());
    }

    /** After a run: its counts, and its rates over {@code seconds}. */
    public Status total(double seconds) {
        return status(false, BridgeRun.Rate.over(seconds, assembly.received(), assembly.bytes()),
                assembly.publishToSent().percentile(50), assembly.sentToReceived().percentile(50),
                assembly.receivedToRepublished().percentile(50), assembly.decodeTime().percentile(50));
    }

    /** Per hop, over the run: publish to sent (the sender's host), sent to received, received to republished, and publish to republished. */
    public HopLatency publishToSent() {
        return assembly.publishToSent();
    }

    /** Measured once the sender's clock is known (this host's, or its offset estimated); empty before. */
    public HopLatency sentToReceived() {
        return assembly.sentToReceived();
    }

    /** The last part's arrival to the publish into the local ring: the checksum, and for jpeg and h264 the decode. */
    public HopLatency receivedToRepublished() {
        return assembly.receivedToRepublished();
    }

    /** Decoding one jpeg or h264 payload into its slot, per payload decoded; empty for raw. */
    public HopLatency decodeTime() {
        return assembly.decodeTime();
    }

    /** End to end, the source ring's publish to this ring's; measured once the sender's clock is known. */
    public HopLatency publishToRepublished() {
        return assembly.publishToRepublished();
    }

    /** What is known of the last sender's clock, or null when nothing was. */
    public ClockOffset.Estimate clock() {
        return assembly.clock();
    }

    /** Faults injected by a test (zero unless enabled): parts dropped, and parts damaged. */
    public long injectedDrops() {
        return assembly.faults().drops();
    }

    public long injectedCorruptions() {
        return assembly.faults().corruptions();
    }

    public boolean faultsInjected() {
        return assembly.faults().active();
    }

    /** The local ring's geometry in words, or null before the first frame. */
    public String localGeometry() {
        return assembly.geometry() == null ? null : assembly.geometry().toString();
    }
}
