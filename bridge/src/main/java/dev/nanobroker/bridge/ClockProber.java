package dev.nanobroker.bridge;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.exceptions.AeronException;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The receiver's side of the clock back channel: learns from a sender's frames which clock it reads
 * ({@link ClockIdentity}) and, when that is not this host's, probes it four times a second at its
 * probe port and keeps the {@link ClockOffset} estimate of its answers. Used by the receiver's one
 * thread: {@link #follow} when a sender's first frame part comes, {@link #tick} from its loop,
 * {@link #answered} for each reply.
 */
final class ClockProber implements AutoCloseable {

    /** Four round trips a second: 32 in the estimate's window, 128 bytes a second each way. */
    static final long PROBE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final Aeron aeron;
    private final int streamId;
    /** Whose probes these are: every receiver of a multicast or MDC stream sees every reply. */
    private final long receiver = ThreadLocalRandom.current().nextLong();
    private final UnsafeBuffer probeBuffer = new UnsafeBuffer(new byte[ClockProbe.LENGTH]);
    private final ClockOffset offsets = new ClockOffset();

    /** Where to probe the sender followed now ("HOST:PORT"), null when it shares this host's clock or takes no probes. */
    private String target;
    private ExclusivePublication probes;
    private long probesSent;
    private long nextProbeNanos;
    private ClockOffset.Estimate estimate;

    ClockProber(Aeron aeron, int streamId) {
        this.aeron = aeron;
        this.streamId = streamId;
    }

    /**
     * A sender's first frame part came, from {@code senderHost} (its address as this host sees it):
     * on this host's clock, its times are taken as they are; otherwise probing it starts afresh.
     */
    void follow(String senderHost, FramePart first) {
        closeProbes();
        offsets.clear();
        if (first.clock().equals(ClockIdentity.thisHost())) {
            target = null;
            estimate = ClockOffset.Estimate.SAME_CLOCK;
            return;
        }
        estimate = null;
        target = senderHost == null || first.probePort() == 0 ? null
                : (senderHost.contains(":") ? "[" + senderHost + "]" : senderHost) + ":" + first.probePort();
    }

    /** Sends a probe when one is due (the publication to the sender's probe port is made at the first). */
    void tick(long now) {
        if (target == null || now - nextProbeNanos < 0) {
            return;
        }
        nextProbeNanos = now + PROBE_INTERVAL_NANOS;
        if (probes == null) {
            try {
                probes = aeron.addExclusivePublication("aeron:udp?endpoint=" + target, streamId);
            } catch (AeronException | IllegalArgumentException | IllegalStateException e) {
                target = null; // an address Aeron will not send to: the sender's times stay unknown, as the status says
                return;
            }
        }
        new ClockProbe(receiver, probesSent, System.nanoTime()).encode(probeBuffer, 0);
        if (probes.offer(probeBuffer, 0, ClockProbe.LENGTH) > 0) { // not connected yet: the next tick tries again
            probesSent++;
        }
        estimate = offsets.estimate(now);
    }

    /** A reply on the frames' stream, taken at {@code now}: counted when it answers this receiver's probe. */
    void answered(ClockProbe.Reply reply, long now) {
        if (reply.receiver() != receiver || target == null) {
            return;
        }
        offsets.add(reply.receiverSentNanos(), reply.senderReceivedNanos(), reply.senderSentNanos(), now);
        estimate = offsets.estimate(now);
    }

    /** What is known of the followed sender's clock, or null while nothing is (no answer within the window yet). */
    ClockOffset.Estimate estimate() {
        return estimate;
    }

    /** Where probes go ("HOST:PORT"), or null when none do. */
    String target() {
        return target;
    }

    long probesSent() {
        return probesSent;
    }

    private void closeProbes() {
        if (probes != null) {
            probes.close();
            probes = null;
        }
        nextProbeNanos = System.nanoTime();
    }

    @Override
    public void close() {
        closeProbes();
    }
}
