package dev.nanobroker.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.nanobroker.bridge.BridgeReceiver;
import dev.nanobroker.bridge.BridgeRun;

import static dev.nanobroker.cli.BridgeSendReport.latency;
import static dev.nanobroker.cli.BridgeSendReport.millis;
import static dev.nanobroker.cli.BridgeSendReport.round;

/**
 * What {@code bridge receive --json} prints when it stops. Every frame the sender numbered counts once:
 * received (published into the local ring), lost (none of it came), incomplete (some of its parts
 * never came), corrupt (its checksum did not match) or dropped (the local ring's overflow policy).
 *
 * @param ring       the local ring written
 * @param geometry   the local ring's geometry, null before the first frame
 * @param malformed  messages that were not frame parts this bridge can read (another version, say)
 * @param hopsNs     the latency of each hop
 * @param faults     faults a test injected; left out of the JSON when none was
 */
record BridgeReceiveReport(String name, String ring, String from, String geometry, long received, long lost, long incomplete,
                           long corrupt, long dropped, long malformed, double megabytes, double seconds, double fps,
                           double megabytesPerSecond, String stopped, Hops hopsNs,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Faults faults) implements BridgeOptions.Report {

    /**
     * @param publishToSent         on the sender's host: the source ring's publish to the start of sending
     * @param sentToReceived        the start of sending to the last part's arrival; null when the sender is on another host
     *                              (its clock is not this one's)
     * @param receivedToRepublished the last part's arrival to the publish into the local ring (checksum included)
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
        return new BridgeReceiveReport(name, ring, from, receiver.localGeometry(), total.received(), total.lost(), total.incomplete(),
                total.corrupt(), total.dropped(), total.malformed(), round(total.bytes() / 1e6), round(seconds),
                round(total.framesPerSecond()), round(total.megabytesPerSecond()), stopped.words(), hops,
                receiver.faultsInjected() ? new Faults(receiver.injectedDrops(), receiver.injectedCorruptions()) : null);
    }

    /** A status line, once a second while receiving. */
    static String statusLine(String ring, BridgeReceiver.Status status) {
        return String.format("receive into %s: received %d (%.1f fps, %.1f MB/s), lost %d, incomplete %d, corrupt %d, dropped %d;"
                        + " p50 publish→sent %s, sent→received %s, received→republished %s; %s",
                ring, status.received(), status.framesPerSecond(), status.megabytesPerSecond(), status.lost(), status.incomplete(),
                status.corrupt(), status.dropped(), millis(status.publishToSentP50Nanos()),
                status.sentToReceivedP50Nanos() < 0 ? "n/a (other host)" : millis(status.sentToReceivedP50Nanos()),
                millis(status.receivedToRepublishedP50Nanos()), status.senderConnected() ? "sender connected" : "no sender");
    }

    @Override
    public String text() {
        String text = String.format("received %d frames (%s MB) into %s (%s) in %s s (%s fps, %s MB/s): lost %d, incomplete %d,"
                        + " corrupt %d, dropped %d, malformed %d (stopped: %s)%n"
                        + "publish→sent p50 %s, p99 %s; received→republished p50 %s, p99 %s",
                received, megabytes, ring, geometry, seconds, fps, megabytesPerSecond, lost, incomplete, corrupt, dropped,
                malformed, stopped, millis(hopsNs.publishToSent().p50()), millis(hopsNs.publishToSent().p99()),
                millis(hopsNs.receivedToRepublished().p50()), millis(hopsNs.receivedToRepublished().p99()));
        if (hopsNs.sentToReceived() == null) {
            return text + String.format("%nsent→received and end to end: not measured (the sender is on another host, its clock is not this one's)");
        }
        return text + String.format("%nsent→received p50 %s, p99 %s; end to end (publish→republished) p50 %s, p99 %s",
                millis(hopsNs.sentToReceived().p50()), millis(hopsNs.sentToReceived().p99()),
                millis(hopsNs.publishToRepublished().p50()), millis(hopsNs.publishToRepublished().p99()));
    }
}
