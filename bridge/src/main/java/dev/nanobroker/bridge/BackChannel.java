package dev.nanobroker.bridge;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.exceptions.AeronException;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The receiver's way back to the sender it follows: a publication to the sender's probe port (named in
 * its frames), made when its first frame part comes. It carries clock probes, four a second, when the
 * sender's clock is not this host's ({@link ClockIdentity}), and keeps the {@link ClockOffset}
 * estimate of the answers; and a keyframe request when an H.264 decoder here lost a frame, so that
 * the next picture comes after a round trip rather than at the sender's next periodic keyframe. Used
 * by the receiver's one thread: {@link #follow} when a sender's first frame part comes, {@link #tick}
 * from its loop, {@link #answered} for each reply, {@link #requestKeyframe} from the reassembly.
 */
final class BackChannel implements AutoCloseable {

    /** Four round trips a second: 32 in the estimate's window, 128 bytes a second each way. */
    static final long PROBE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** At most one keyframe request in this time: losses in a burst need one keyframe. */
    static final long KEYFRAME_REQUEST_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Aeron aeron;
    private final int streamId;
    /** Whose messages these are: every receiver of a multicast or MDC stream sees every reply. */
    private final long receiver = ThreadLocalRandom.current().nextLong();
    private final UnsafeBuffer messageBuffer = new UnsafeBuffer(new byte[ClockProbe.LENGTH]);
    private final ClockOffset offsets = new ClockOffset();

    /** The followed sender's probe port ("HOST:PORT"), null when it takes no messages or none was followed. */
    private String target;
    /** Whether the followed sender reads another clock than this host's: then it is probed. */
    private boolean probing;
    private ExclusivePublication messages;
    /** Probes sent so far, and so the next one's number. */
    private long probesSent;
    private long nextProbeNanos;
    private boolean keyframeWanted;
    private long lastKeyframeRequestNanos;
    private long keyframeRequests;
    private ClockOffset.Estimate estimate;

    BackChannel(Aeron aeron, int streamId) {
        this.aeron = aeron;
        this.streamId = streamId;
    }

    /**
     * A sender's first frame part came, from {@code senderHost} (its address as this host sees it):
     * on this host's clock, its times are taken as they are; otherwise probing it starts afresh.
     */
    void follow(String senderHost, FramePart first) {
        closeMessages();
        offsets.clear();
        keyframeWanted = false;
        probing = !first.clock().equals(ClockIdentity.thisHost());
        estimate = probing ? null : ClockOffset.Estimate.SAME_CLOCK;
        target = senderHost == null || first.probePort() == 0 ? null
                : (senderHost.contains(":") ? "[" + senderHost + "]" : senderHost) + ":" + first.probePort();
    }

    /** Sends a probe when one is due, and a keyframe request when one is wanted (the publication is made at the first tick). */
    void tick(long now) {
        if (target == null) {
            return;
        }
        if (messages == null) {
            try {
                messages = aeron.addExclusivePublication("aeron:udp?endpoint=" + target, streamId);
            } catch (AeronException | IllegalArgumentException | IllegalStateException e) {
                target = null; // an address Aeron will not send to: the sender's times stay unknown, as the status says
                return;
            }
        }
        if (keyframeWanted && now - lastKeyframeRequestNanos >= KEYFRAME_REQUEST_INTERVAL_NANOS) {
            new KeyframeRequest(receiver).encode(messageBuffer, 0);
            if (messages.offer(messageBuffer, 0, KeyframeRequest.LENGTH) > 0) {
                keyframeWanted = false;
                lastKeyframeRequestNanos = now;
                keyframeRequests++;
            }
        }
        if (!probing || now - nextProbeNanos < 0) {
            return;
        }
        nextProbeNanos = now + PROBE_INTERVAL_NANOS;
        new ClockProbe(receiver, probesSent, System.nanoTime()).encode(messageBuffer, 0);
        if (messages.offer(messageBuffer, 0, ClockProbe.LENGTH) > 0) { // not connected yet: the next tick tries again
            probesSent++;
        }
        estimate = offsets.estimate(now);
    }

    /** A reply on the frames' stream, taken at {@code now}: counted when it answers this receiver's probe. */
    void answered(ClockProbe.Reply reply, long now) {
        if (reply.receiver() != receiver || !probing) {
            return;
        }
        offsets.add(reply.receiverSentNanos(), reply.senderReceivedNanos(), reply.senderSentNanos(), now);
        estimate = offsets.estimate(now);
    }

    /** Asks the sender for a keyframe at the next tick (an H.264 decoder here waits for one). */
    void requestKeyframe() {
        keyframeWanted = true;
    }

    /** What is known of the followed sender's clock, or null while nothing is (no answer within the window yet). */
    ClockOffset.Estimate estimate() {
        return estimate;
    }

    /** Where probes go ("HOST:PORT"), or null when none do (the sender reads this host's clock, or takes no probes). */
    String probeTarget() {
        return probing ? target : null;
    }

    /** Keyframe requests sent to the sender. */
    long keyframeRequests() {
        return keyframeRequests;
    }

    private void closeMessages() {
        if (messages != null) {
            messages.close();
            messages = null;
        }
        nextProbeNanos = System.nanoTime();
    }

    @Override
    public void close() {
        closeMessages();
    }
}
