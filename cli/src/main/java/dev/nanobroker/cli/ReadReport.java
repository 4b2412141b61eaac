package dev.nanobroker.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.nanobroker.ring.Delivery;
import org.HdrHistogram.Histogram;

/**
 * What {@code read --json} prints when it stops; the keys are listed in the README.
 *
 * @param skipped frames passed over by design (latest mode)
 * @param lost frames lapped or torn
 * @param delivery the verdict in words ({@link Delivery#describe()})
 * @param unchecked frames not checked against a checksum
 * @param stopped why it stopped, in words ({@link HeadlessReader.Stop#words()})
 * @param latencyNs publish-to-observe latency
 * @param clock the latency clock's check, only with --decode-clock (left out of the JSON otherwise)
 */
record ReadReport(String name, long frames, long skipped, long lost, long torn, long outOfOrder, String delivery,
                  long checksumFailures, long unchecked, long reattachments, String stopped, Latency latencyNs,
                  @JsonInclude(JsonInclude.Include.NON_NULL) Clock clock) {

    /** Percentiles in nanoseconds, 0 when no frame was read. */
    record Latency(long p50, long p99, long p999, long max) {
    }

    /**
     * @param decoded frames whose pixels named their own sequence and a time not after their publish
     * @param mismatches frames whose pixels named another frame or a later time
     * @param unreadable frames without a readable clock
     */
    record Clock(long decoded, long mismatches, long unreadable, long renderToPublishP50Ns) {
    }

    static ReadReport of(String name, HeadlessReader reader, HeadlessReader.Stop stopped, boolean decodeClock) {
        Histogram latency = reader.latency();
        boolean any = latency.getTotalCount() > 0;
        Latency percentiles = new Latency(any ? latency.getValueAtPercentile(50) : 0, any ? latency.getValueAtPercentile(99) : 0,
                any ? latency.getValueAtPercentile(99.9) : 0, any ? latency.getMaxValue() : 0);
        Clock clock = !decodeClock ? null : new Clock(reader.clockDecoded(), reader.clockMismatches(), reader.clockUnreadable(),
                reader.clockDecoded() > 0 ? reader.renderToPublish().getValueAtPercentile(50) : 0);
        Delivery delivery = new Delivery(reader.frames(), reader.skipped(), reader.lost(), reader.torn(), reader.outOfOrder());
        return new ReadReport(name, reader.frames(), reader.skipped(), reader.lost(), reader.torn(), reader.outOfOrder(),
                delivery.describe(), reader.checksumFailures(), reader.unchecked(), reader.reattachments(), stopped.words(),
                percentiles, clock);
    }

    /** The report as text: the counts and the latency, then the clock's check when there is one. */
    String text() {
        String text = String.format("read %s frames: %s; checksum failures %s (stopped: %s)%n"
                        + "publish-to-observe latency: p50 %s, p99 %s, p99.9 %s, max %s",
                frames, delivery, checksumFailures, stopped, RingTable.micros(latencyNs.p50()), RingTable.micros(latencyNs.p99()),
                RingTable.micros(latencyNs.p999()), RingTable.micros(latencyNs.max()));
        if (clock == null) {
            return text;
        }
        return text + String.format("%nlatency clock: %s frames decoded and matching, %s mismatches, %s unreadable;"
                        + " render to publish p50 %s", clock.decoded(), clock.mismatches(), clock.unreadable(),
                RingTable.micros(clock.renderToPublishP50Ns()));
    }
}
