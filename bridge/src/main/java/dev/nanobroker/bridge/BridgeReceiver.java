package dev.nanobroker.bridge;

import dev.nanobroker.ring.OverflowPolicy;
import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Image;
import io.aeron.Subscription;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

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
     * @param sentToReceivedP50Nanos -1 when the sender is on another host (its clock is not this one's)
     * @param decodeP50Nanos         decoding one jpeg or h264 payload into its slot (part of received→republished); 0 for raw
     */
    public record Status(boolean senderConnected, String codec, long received, long lost, long incomplete, long corrupt,
                         long dropped, long awaitingKeyframe, long malformed, long bytes, double framesPerSecond,
                         double megabytesPerSecond, long publishToSentP50Nanos, long sentToReceivedP50Nanos,
                         long receivedToRepublishedP50Nanos, long decodeP50Nanos) {

        /** Payload bytes per frame received, 0 before the first. */
        public long bytesPerFrame() {
            return received > 0 ? bytes / received : 0;
        }
    }

    private final Settings settings;
    private final IdleStrategy idle = new BackoffIdleStrategy();
    private FrameAssembly assembly;

    public BridgeReceiver(Settings settings) {
        this.settings = settings;
    }

    /** Receives until stopped, {@code runNanos} passed, or no sender came for {@code timeoutNanos}. */
    public BridgeRun.Stop run(Aeron aeron, BooleanSupplier stopRequested, BridgeRun.Listener<Status> listener) {
        long start = System.nanoTime();
        try (Subscription subscription = settings.channel().subscribe(aeron, BridgeSender.streamIdOf(settings.remoteName()));
             FrameAssembly frames = new FrameAssembly(new FrameAssembly.Settings(settings.localName(), settings.policy(),
                     settings.slots()), ReceiveFaults.fromSystemProperty(), session -> senderOnThisHost(subscription, session))) {
            assembly = frames;
            listener.ready();
            FragmentAssembler parts = new FragmentAssembler(
                    (buffer, offset, length, header) -> frames.accept(header.sessionId(), buffer, offset, length, System.nanoTime()));
            BridgeRun.Seconds seconds = new BridgeRun.Seconds(start);
            BridgeRun.Limits limits = new BridgeRun.Limits(start, settings.runNanos(), settings.timeoutNanos());
            while (true) {
                int fragments = subscription.poll(parts, FRAGMENT_LIMIT);
                if (frames.failure() != null) {
                    throw frames.failure();
                }
                long now = System.nanoTime();
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
                    listener.second(status(connected, seconds.next(now, frames.received(), frames.bytes()),
                            frames.publishToSent().intervalMedianAndReset(), frames.sentToReceived().intervalMedianAndReset(),
                            frames.receivedToRepublished().intervalMedianAndReset(), frames.decodeTime().intervalMedianAndReset()));
                }
            }
        }
    }

    /** Whether the sender of {@code session} sends from an address of this host (its image's source). */
    private static boolean senderOnThisHost(Subscription subscription, int session) {
        Image image = subscription.imageBySessionId(session);
        if (image == null) {
            return false;
        }
        String source = image.sourceIdentity(); // "HOST:PORT", "[IPV6]:PORT", or "aeron:ipc"
        int colon = source.lastIndexOf(':');
        try {
            return colon > 0 && new Endpoint(source.substring(0, colon), Integer.parseInt(source.substring(colon + 1))).isThisHost();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The counts so far, with {@code rate} and the hops' medians. */
    private Status status(boolean connected, BridgeRun.Rate rate, long publishToSent, long sentToReceived,
                          long receivedToRepublished, long decode) {
        return new Status(connected, assembly.codecName(), assembly.received(), assembly.lost(), assembly.incomplete(),
                assembly.corrupt(), assembly.dropped(), assembly.awaitingKeyframe(), assembly.malformed(), assembly.bytes(),
                rate.framesPerSecond(), rate.megabytesPerSecond(), publishToSent, assembly.clocksComparable() ? sentToReceived : -1,
                receivedToRepublished, decode);
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

    /** Measured only while the sender is on this host (one clock); empty otherwise. */
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

    /** Measured only while the sender is on this host: end to end, the source ring's publish to this ring's. */
    public HopLatency publishToRepublished() {
        return assembly.publishToRepublished();
    }

    /** Whether the last sender shares this host's clock (its hops across both hosts were measured). */
    public boolean clocksComparable() {
        return assembly.clocksComparable();
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
