package dev.nanobroker.cli;

import dev.nanobroker.bridge.BridgeSender;
import dev.nanobroker.bridge.BridgeRun;
import dev.nanobroker.bridge.HopLatency;

/**
 * What {@code bridge send --json} prints when it stops.
 *
 * @param to         the receivers as given (--to) or the channel URI
 * @param skipped    frames of the source not sent by design: newer ones came while the link was busy, or no receiver was there
 * @param torn       frames overwritten in the source while copied (only under an overwrite producer): not sent
 * @param cut        frames whose sending stopped part-way because every receiver went away
 * @param megabytes  frame bytes sent, in MB (10^6)
 * @param publishToSentNs from the source ring's publish to the start of sending, per frame sent
 */
record BridgeSendReport(String name, String to, long sent, long skipped, long torn, long cut, double megabytes, double seconds,
                        double fps, double megabytesPerSecond, String stopped, ReadReport.Latency publishToSentNs) implements BridgeOptions.Report {

    static BridgeSendReport of(String name, String to, BridgeSender sender, BridgeRun.Stop stopped, double seconds) {
        BridgeSender.Status total = sender.total(seconds);
        return new BridgeSendReport(name, to, total.sent(), total.skipped(), total.torn(), total.cut(), round(total.bytes() / 1e6),
                round(seconds), round(total.framesPerSecond()), round(total.megabytesPerSecond()), stopped.words(),
                latency(sender.publishToSent()));
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
        return String.format("send %s: sent %d (%.1f fps, %.1f MB/s), skipped %d, torn %d, cut %d; publish→sent p50 %s; %s",
                name, status.sent(), status.framesPerSecond(), status.megabytesPerSecond(), status.skipped(), status.torn(),
                status.cut(), millis(status.publishToSentP50Nanos()),
                !status.ringAttached() ? "waiting for ring " + name : status.receiverConnected() ? "receiver connected" : "no receiver");
    }

    static String millis(long nanos) {
        return String.format("%.2f ms", nanos / 1e6);
    }

    @Override
    public String text() {
        return String.format("sent %d frames (%s MB) in %s s (%s fps, %s MB/s), skipped %d, torn %d, cut %d (stopped: %s)%n"
                        + "publish→sent: p50 %s, p99 %s, max %s",
                sent, megabytes, seconds, fps, megabytesPerSecond, skipped, torn, cut, stopped, millis(publishToSentNs.p50()),
                millis(publishToSentNs.p99()), millis(publishToSentNs.max()));
    }
}
