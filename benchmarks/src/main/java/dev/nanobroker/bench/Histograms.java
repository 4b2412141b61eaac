package dev.nanobroker.bench;

import org.HdrHistogram.Histogram;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;

/** Latency histograms (ns, 3 significant digits, up to 60 s) and their text form between JVMs. */
final class Histograms {

    static final long HIGHEST_NANOS = 60_000_000_000L;

    private Histograms() {
    }

    static Histogram create() {
        return new Histogram(HIGHEST_NANOS, 3);
    }

    /** Records one value, clamped into the trackable range (a negative one would be a clock bug). */
    static void record(Histogram histogram, long nanos) {
        histogram.recordValue(Math.max(0, Math.min(HIGHEST_NANOS, nanos)));
    }

    /** What a latency role reports: the count, the p50 and the whole histogram as text, in this order. */
    static Map<String, Object> summary(Histogram histogram) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("count", histogram.getTotalCount());
        result.put("p50", histogram.getValueAtPercentile(50));
        result.put("hist", encode(histogram));
        return result;
    }

    static String encode(Histogram histogram) {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        byte[] bytes = new byte[length];
        buffer.flip();
        buffer.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    static Histogram decode(String text) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(text)), HIGHEST_NANOS);
        } catch (DataFormatException e) {
            throw new IllegalStateException("bad histogram from a child: " + e.getMessage(), e);
        }
    }
}
