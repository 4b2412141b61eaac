package dev.nanobroker.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.nanobroker.bridge.BridgeReceiver;
import dev.nanobroker.bridge.BridgeRun;
import dev.nanobroker.bridge.ClockOffset;
import dev.nanobroker.ring.BridgeNote;

import static dev.nanobroker.cli.BridgeSendReport.bytes;
import static dev.nanobroker.cli.BridgeSendReport.latency;
import static dev.nanobroker.cli.BridgeSendReport.millis;
import static dev.nanobroker.cli.BridgeSendReport.round;

/**
 * What {@code bridge receive --json} prints when it stops. Every frame the sender numbered counts once:
 * received (published into the local ring), lost (none of it came), incomplete (some of its parts
 * never came), corrupt (its checksum did not match, or it did not decode), dropped (the local ring's
 * overflow policy) or awaiting keyframe (h264: whole, but after a frame that was not, so not shown).
 *
 * @param ring       the local ring written
 * @param codec      the codec of the last frames received (raw, jpeg, h264), null before the first
 * @param geometry   the local ring's geometry, null before the first frame
 * @param bytesPerFrame payload bytes per frame received (after the codec)
 * @param malformed  messages that were not frame parts this bridge can read (another version, say)
 * @param hopsNs     the latency of each hop
 * @param decodeNs   decoding one jpeg or h264 payload into its slot (within received→republished); all 0 for raw
 * @param keyframeRequests H.264 keyframes asked of the sender after a loss (over the back channel)
 * @param clock      what was known of the sender's clock at the end
 * @param faults     faults a test injected; left out of the JSON when none was
 */
record BridgeReceiveReport(String name, String ring, String from, String codec, String geometry, long received, long lost,
                           long incomplete, long corrupt, long dropped, long awaitingKeyframe, long malformed, double megabytes,
                           long bytesPerFrame, double seconds, double fps, double megabytesPerSecond, String stopped, Hops hopsNs,
                           ReadReport.Latency decodeNs, long keyframeRequests, Clock clock,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Faults faults) implements BridgeOptions.Report {

    /**
     * @param publishToSent         on the sender's host: the source ring's publish to the start of sending
     * @param sentToReceived        the start of sending to the last part's arrival; null when the sender's clock was never
     *                              known (another host's, and no clock probe was answered)
     * @param receivedToRepublished the last part's arrival to the publish into the local ring (checksum and decode included)
     * @param publishToRepublished  end to end; null when the sender's clock was never known
     */
    record Hops(ReadReport.Latency publishToSent, @JsonInclude(JsonInclude.Include.NON_NULL) ReadReport.Latency sentToReceived,
                ReadReport.Latency receivedToRepublished,
                @JsonInclude(JsonInclude.Include.NON_NULL) ReadReport.Latency publishToRepublished) {
    }

    /**
     * The sender's clock against this host's.
     *
     * @param known        {@code same host} (the same kernel clock: offset 0), {@code estimated} (from clock probes) or
     *                     {@code unknown} (another host's, and no probe was answered)
     * @param offsetMs     the sender's clock minus this host's; null when unknown
     * @param accuracyMs   the offset is within ± this; null when unknown
     * @param roundTrips   the probe round trips the estimate chose from (the last 8 s)
     * @param probesSentTo where probes went, null when none did
     */
    record Clock(String known, @JsonInclude(JsonInclude.Include.NON_NULL) Double offsetMs,
                 @JsonInclude(JsonInclude.Include.NON_NULL) Double accuracyMs, int roundTrips,
                 @JsonInclude(JsonInclude.Include.NON_NULL) String probesSentTo) {

        static Clock of(ClockOffset.Estimate estimate, String probeTarget) {
            BridgeNote.Clock note = ClockOffset.Estimate.asNote(estimate);
            if (note.known() == BridgeNote.Clock.Known.UNKNOWN) {
                return new Clock(note.known().word(), null, null, 0, probeTarget);
            }
            return new Clock(note.known().word(), note.offsetNanos() / 1e6, note.accuracyNanos() / 1e6, estimate.roundTrips(),
                    probeTarget);
        }

        /** In words: "this host's", "+5000.012 ms ± 0.412 ms", or why it is not known. */
        String words() {
            return switch (BridgeNote.Clock.Known.ofWord(known)) {
                case SAME_HOST -> "this host's (the same kernel clock)";
                case ESTIMATED -> String.format("%+.3f ms from this host's, ± %.3f ms (best of %d probe round trips)",
                        offsetMs, accuracyMs, roundTrips);
                case UNKNOWN -> probesSentTo == null ? "not known (no frame came from the sender, or it takes no clock probes)"
                        : "not known: no answer to the clock probes sent to " + probesSentTo
                                + " (is that UDP port open on the sender's host?)";
            };
        }
    }

    /** Faults injected by a test: parts dropped, parts damaged. */
    record Faults(long droppedParts, long corruptedParts) {
    }

    static BridgeReceiveReport of(String name, String ring, String from, BridgeReceiver receiver, BridgeRun.Stop stopped,
                                  double seconds) {
        BridgeReceiver.Status total = receiver.total(seconds);
        boolean acrossTimed = receiver.sentToReceived().count() > 0;
        Hops hops = new Hops(latency(receiver.publishToSent()), acrossTimed ? latency(receiver.sentToReceived()) : null,
                latency(receiver.receivedToRepublished()), acrossTimed ? latency(receiver.publishToRepublished()) : null);
        return new BridgeReceiveReport(name, ring, from, total.codec(), receiver.localGeometry(), total.received(), total.lost(),
                total.incomplete(), total.corrupt(), total.dropped(), total.awaitingKeyframe(), total.malformed(),
                round(total.bytes() / 1e6), total.bytesPerFrame(), round(seconds), round(total.framesPerSecond()),
                round(total.megabytesPerSecond()), stopped.words(), hops, latency(receiver.decodeTime()),
                total.keyframeRequests(), Clock.of(total.clock(), total.probeTarget()), receiver.faultsInjected() ? new Faults(receiver.injectedDrops(), receiver.injectedCorruptions()) : null);
    }

    /** A status line, once a second while receiving. */
    static String statusLine(String ring, BridgeReceiver.Status status) {
        boolean decoded = status.codec() != null && !status.codec().equals("raw");
        return String.format("receive into %s (%s): received %d (%.1f fps, %.1f MB/s, %s/frame), lost %d, incomplete %d, corrupt %d,"
                        + " dropped %d%s; p50 publish→sent %s, sent→received %s, received→republished %s%s; %s; %s",
                ring, status.codec() == null ? "no frame yet" : status.codec(), status.received(), status.framesPerSecond(),
                status.megabytesPerSecond(), bytes(status.bytesPerFrame()), status.lost(), status.incomplete(), status.corrupt(),
                status.dropped(), "h264".equals(status.codec()) ? ", awaiting keyframe " + status.awaitingKeyframe()
                        + " (keyframes asked " + status.keyframeRequests() + ")" : "",
                millis(status.publishToSentP50Nanos()),
                status.sentToReceivedP50Nanos() < 0 ? "n/a (clock not known)" : millis(status.sentToReceivedP50Nanos()),
                millis(status.receivedToRepublishedP50Nanos()), decoded ? " (decode " + millis(status.decodeP50Nanos()) + ")" : "",
                clockStatus(status.clock(), status.probeTarget()), status.senderConnected() ? "sender connected" : "no sender");
    }

    /** The clock in a status line: "clock: same host", "clock: +5000.012 ms ± 0.412", "clock: probing HOST:PORT". */
    private static String clockStatus(ClockOffset.Estimate clock, String probeTarget) {
        if (clock == null) {
            return probeTarget == null ? "clock: not known" : "clock: probing " + probeTarget + ", no answer yet";
        }
        return clock.sameClock() ? "clock: same host"
                : String.format("clock: %+.3f ms ± %.3f", clock.offsetNanos() / 1e6, clock.accuracyNanos() / 1e6);
    }

    @Override
    public String text() {
        boolean decoded = codec != null && !codec.equals("raw");
        String text = String.format("received %d frames as %s (%s MB, %s/frame) into %s (%s) in %s s (%s fps, %s MB/s): lost %d,"
                        + " incomplete %d, corrupt %d, dropped %d, awaiting keyframe %d, malformed %d (stopped: %s)%n"
                        + "publish→sent p50 %s, p99 %s; received→republished p50 %s, p99 %s%s",
                received, codec, megabytes, bytes(bytesPerFrame), ring, geometry, seconds, fps, megabytesPerSecond, lost, incomplete,
                corrupt, dropped, awaitingKeyframe, malformed, stopped, millis(hopsNs.publishToSent().p50()),
                millis(hopsNs.publishToSent().p99()), millis(hopsNs.receivedToRepublished().p50()),
                millis(hopsNs.receivedToRepublished().p99()),
                decoded ? String.format(" (decode within it: p50 %s, p99 %s)", millis(decodeNs.p50()), millis(decodeNs.p99())) : "");
        text += String.format("%nthe sender's clock: %s", clock.words());
        if (hopsNs.sentToReceived() == null) {
            return text + String.format("%nsent→received and end to end: not measured (the sender's clock was never known)");
        }
        return text + String.format("%nsent→received p50 %s, p99 %s; end to end (publish→republished) p50 %s, p99 %s",
                millis(hopsNs.sentToReceived().p50()), millis(hopsNs.sentToReceived().p99()),
                millis(hopsNs.publishToRepublished().p50()), millis(hopsNs.publishToRepublished().p99()));
    }
}
