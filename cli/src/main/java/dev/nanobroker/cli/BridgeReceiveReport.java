package dev.nanobroker.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.nanobroker.bridge.BridgeReceiver;
import dev.nanobroker.bridge.BridgeRun;

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
 * @param faults     faults a test injected; left out of the JSON when none was
 */
record BridgeReceiveReport(String name, String ring, String from, String codec, String geometry, long received, long lost,
                           long incomplete, long corrupt, long dropped, long awaitingKeyframe, long malformed, double megabytes,
                           long bytesPerFrame, double seconds, double fps, double megabytesPerSecond, String stopped, Hops hopsNs,
                           ReadReport.Latency decodeNs,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Faults faults) implements BridgeOptions.Report {

    /**
     * @param publishToSent         on the sender's host: the source ring's publish to the start of sending
     * @param sentToReceived        the start of sending to the last part's arrival; null when the sender is on another host
     *                              (its clock is not this one's)
     * @param receivedToRepublished the last part's arrival to the publish into the local ring (checksum and decode included)
     * @param publishToRepublished  end to end; null when the sender is on another host
     */
    record Hops(ReadReport.Latency publishToSent, @JsonInclude(JsonInclude.Include.NON_NULL) ReadReport.Latency sentToReceived,
                ReadReport.Latency receivedToRepublished,
                @JsonInclude(JsonInclude.Include.NON_NULL) ReadReport.Latency publishToRepublished) {
    }

    /** Faults injected by a test: parts dropped, parts damaged. */
    record Faults(long droppedParts, long corruptedParts) {
    }

    static BridgeReceiveReport of(String name, String ring, String from, BridgeReceiver receiver, BridgeRun.Stop stopped,
                                  double seconds) {
        BridgeReceiver.Status total = receiver.total(seconds);
        boolean oneClock = receiver.sentToReceived().count() > 0;
        Hops hops = new Hops(latency(receiver.publishToSent()), oneClock ? latency(receiver.sentToReceived()) : null,
                latency(receiver.receivedToRepublished()), oneClock ? latency(receiver.publishToRepublished()) : null);
        return new BridgeReceiveReport(name, ring, from, total.codec(), receiver.localGeometry(), total.received(), total.lost(),
                total.incomplete(), total.corrupt(), total.dropped(), total.awaitingKeyframe(), total.malformed(),
                round(total.bytes() / 1e6), total.bytesPerFrame(), round(seconds), round(total.framesPerSecond()),
                round(total.megabytesPerSecond()), stopped.words(), hops, latency(receiver.decodeTime()),
                receiver.faultsInjected() ? new Faults(receiver.injectedDrops(), receiver.injectedCorruptions()) : null);
    }

    /** A status line, once a second while receiving. */
    static String statusLine(String ring, BridgeReceiver.Status status) {
        boolean decoded = status.codec() != null && !status.codec().equals("raw");
        return String.format("receive into %s (%s): received %d (%.1f fps, %.1f MB/s, %s/frame), lost %d, incomplete %d, corrupt %d,"
                        + " dropped %d%s; p50 publish→sent %s, sent→received %s, received→republished %s%s; %s",
                ring, status.codec() == null ? "no frame yet" : status.codec(), status.received(), status.framesPerSecond(),
                status.megabytesPerSecond(), bytes(status.bytesPerFrame()), status.lost(), status.incomplete(), status.corrupt(),
                status.dropped(), "h264".equals(status.codec()) ? ", awaiting keyframe " + status.awaitingKeyframe() : "",
                millis(status.publishToSentP50Nanos()),
                status.sentToReceivedP50Nanos() < 0 ? "n/a (other host)" : millis(status.sentToReceivedP50Nanos()),
                millis(status.receivedToRepublishedP50Nanos()), decoded ? " (decode " + millis(status.decodeP50Nanos()) + ")" : "",
                status.senderConnected() ? "sender connected" : "no sender");
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
        if (hopsNs.sentToReceived() == null) {
            return text + String.format("%nsent→received and end to end: not measured (the sender is on another host, its clock is not this one's)");
        }
        return text + String.format("%nsent→received p50 %s, p99 %s; end to end (publish→republished) p50 %s, p99 %s",
                millis(hopsNs.sentToReceived().p50()), millis(hopsNs.sentToReceived().p99()),
                millis(hopsNs.publishToRepublished().p50()), millis(hopsNs.publishToRepublished().p99()));
    }
}
