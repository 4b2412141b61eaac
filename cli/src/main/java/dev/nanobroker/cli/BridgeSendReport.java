package dev.nanobroker.cli;

import dev.nanobroker.bridge.BridgeSender;
import dev.nanobroker.bridge.BridgeRun;
import dev.nanobroker.bridge.HopLatency;

import java.util.Locale;

/**
 * What {@code bridge send --json} prints when it stops.
 *
 * @param to         the receivers as given (--to) or the channel URI
 * @param codec      what the frames were sent as, with its setting: raw, jpeg q80, h264 8.0 Mbit/s
 * @param skipped    frames of the source not sent by design: newer ones came while the link was busy, or no receiver was there
 * @param torn       frames overwritten in the source while copied (only under an overwrite producer): not sent
 * @param cut        frames whose sending stopped part-way because every receiver went away
 * @param megabytes  payload bytes sent (the frames after the codec, without the messages' headers), in MB (10^6)
 * @param bytesPerFrame payload bytes per frame sent
 * @param publishToSentNs from the source ring's publish to the start of sending, per frame sent (the encode included)
 * @param encodeNs   encoding one frame (jpeg, h264); all 0 for raw
 * @param probePort  the UDP port this sender took clock probes on
 * @param probesAnswered clock probes answered (receivers on other hosts send four a second)
 * @param keyframeRequests H.264 keyframes receivers asked for after a loss
 */
record BridgeSendReport(String name, String to, String codec, long sent, long skipped, long torn, long cut, double megabytes,
                        long bytesPerFrame, double seconds, double fps, double megabytesPerSecond, String stopped,
                        ReadReport.Latency publishToSentNs, ReadReport.Latency encodeNs, int probePort, long probesAnswered,
                        long keyframeRequests)
        implements BridgeOptions.Report {

    static BridgeSendReport of(String name, String to, String codec, BridgeSender sender, BridgeRun.Stop stopped, double seconds) {
        BridgeSender.Status total = sender.total(seconds);
        return new BridgeSendReport(name, to, codec, total.sent(), total.skipped(), total.torn(), total.cut(),
                round(total.bytes() / 1e6), total.bytesPerFrame(), round(seconds), round(total.framesPerSecond()),
                round(total.megabytesPerSecond()), stopped.words(), latency(sender.publishToSent()), latency(sender.encodeTime()),
                sender.probePort(), total.probesAnswered(), total.keyframeRequests());
    }

    /** A hop's percentiles over the run, in ns. */
    static ReadReport.Latency latency(HopLatency hop) {
        return new ReadReport.Latency(hop.percentile(50), hop.percentile(99), hop.percentile(99.9), hop.max());
    }

    static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    /** A status line, once a second while sending. */
    static String statusLine(String name, BridgeSender.Status status) {
        return String.format("send %s (%s): sent %d (%.1f fps, %.1f MB/s, %s/frame), skipped %d, torn %d, cut %d;"
                        + " publish→sent p50 %s%s; %s",
                name, status.codec(), status.sent(), status.framesPerSecond(), status.megabytesPerSecond(),
                bytes(status.bytesPerFrame()), status.skipped(), status.torn(), status.cut(), millis(status.publishToSentP50Nanos()),
                status.codec().equals("raw") ? "" : ", encode p50 " + millis(status.encodeP50Nanos()),
                (status.ringAttached() ? "" : "waiting for ring " + name + ", ")
                        + (status.receiverConnected() ? "receiver connected" : "no receiver")
                        + (status.probesAnswered() > 0 ? ", clock probes answered " + status.probesAnswered() : ""));
    }

    /** A payload size in words: 25.9 KB, 3686.4 KB (10^3 bytes, as the MB/s beside it). */
    static String bytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f KB", bytes / 1e3);
    }

    static String millis(long nanos) {
        return String.format("%.2f ms", nanos / 1e6);
    }

    @Override
    public String text() {
        String text = String.format("sent %d frames as %s (%s MB, %s/frame) in %s s (%s fps, %s MB/s), skipped %d, torn %d, cut %d"
                        + " (stopped: %s)%npublish→sent: p50 %s, p99 %s, max %s",
                sent, codec, megabytes, bytes(bytesPerFrame), seconds, fps, megabytesPerSecond, skipped, torn, cut, stopped,
                millis(publishToSentNs.p50()), millis(publishToSentNs.p99()), millis(publishToSentNs.max()));
        if (!codec.equals("raw")) {
            text += String.format("; encode (within it): p50 %s, p99 %s", millis(encodeNs.p50()), millis(encodeNs.p99()));
        }
        text += String.format("%nclock probes answered: %d (UDP port %d)", probesAnswered, probePort);
        return codec.startsWith("h264") ? text + String.format("; keyframes asked for by receivers: %d", keyframeRequests) : text;
    }
}
