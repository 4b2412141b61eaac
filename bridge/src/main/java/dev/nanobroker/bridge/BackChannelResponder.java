package dev.nanobroker.bridge;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.exceptions.AeronException;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * The sender's end of the receivers' {@link BackChannel}: takes their messages on a UDP port of its own
 * (the probe port). A {@link ClockProbe} is answered at once on the frames' stream, which reaches
 * every receiver (the probe names whose it is); a {@link KeyframeRequest} is noted for the sender's
 * thread ({@link #takeKeyframeRequest}). On a thread of its own, so that an answer never waits for
 * the sender's thread, which may be asleep until the source's next frame or waiting on a slow link;
 * it idles as Aeron's driver does (spinning, then yielding, then sleeping up to 1 ms), which is the
 * answer's worst delay and costs well under 1 % of a core.
 */
final class BackChannelResponder implements AutoCloseable {

    private static final int MESSAGES_PER_POLL = 16;

    private final Subscription probes;
    private final Publication replies;
    private final LongSupplier clock;
    private final UnsafeBuffer replyBuffer = new UnsafeBuffer(new byte[ClockProbe.Reply.LENGTH]);
    private final Thread thread;
    private volatile boolean stopping;
    /** Written by the responder's thread only. */
    private volatile long answered;
    private volatile long keyframeRequests;
    private final AtomicBoolean keyframeRequested = new AtomicBoolean();

    /**
     * Binds the probe port now (a port in use fails here, in one line) and starts answering.
     *
     * @param port    the UDP port to take probes on; 0: any free one ({@link #port} says which)
     * @param replies the frames' publication (a concurrent one: the sender's thread offers frames on it)
     * @param clock   the sender's clock, as its frames' times are read
     */
    BackChannelResponder(Aeron aeron, int port, int streamId, Publication replies, LongSupplier clock) {
        this.replies = replies;
        this.clock = clock;
        try {
            probes = aeron.addSubscription("aeron:udp?endpoint=0.0.0.0:" + port, streamId);
        } catch (AeronException | IllegalArgumentException | IllegalStateException e) {
            String reason = String.valueOf(e.getMessage()).contains("Address already in use")
                    ? "the UDP port is in use" : String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new BridgeException("cannot take clock probes on UDP port " + port + ": " + reason + " (name another with --probe-port)", e);
        }
        thread = Thread.ofPlatform().name("nanobroker-clock-probes").daemon().start(this::answerUntilClosed);
    }

    /** The UDP port probes come to (the one given, or the one the system chose for 0). */
    int port() {
        List<String> addresses = probes.localSocketAddresses();
        if (addresses.isEmpty()) {
            return 0;
        }
        String address = addresses.getFirst();
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    /** Probes answered so far. */
    long answered() {
        return answered;
    }

    private void answerUntilClosed() {
        IdleStrategy idle = new BackoffIdleStrategy();
        while (!stopping) {
            idle.idle(probes.poll((buffer, offset, length, header) -> {
                try {
                    if (BridgeMessage.isType(buffer, offset, length, BridgeMessage.TYPE_KEYFRAME_REQUEST)) {
                        KeyframeRequest.decode(buffer, offset, length);
                        keyframeRequests++;
                        keyframeRequested.set(true);
                    } else {
                        answer(ClockProbe.decode(buffer, offset, length));
                    }
                } catch (BridgeMessage.MalformedMessageException e) {
                    // Not a message of this version (a stray datagram, another nanobroker): nothing to do.
                }
            }, MESSAGES_PER_POLL));
        }
    }

    private void answer(ClockProbe probe) {
        long taken = clock.getAsLong();
        // One try: a reply that waits for room would misstate its own send time; the receiver probes again.
        probe.reply(taken, clock.getAsLong()).encode(replyBuffer, 0);
        if (replies.offer(replyBuffer, 0, ClockProbe.Reply.LENGTH) > 0) {
            answered++;
        }
    }

    /** Whether a receiver asked for a keyframe since the last call (the sender's thread asks its encoder for one). */
    boolean takeKeyframeRequest() {
        return keyframeRequested.getAndSet(false);
    }

    /** Keyframe requests taken so far. */
    long keyframeRequests() {
        return keyframeRequests;
    }

    @Override
    public void close() {
        stopping = true;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        probes.close();
    }
}
