package dev.nanobroker.bench;

import dev.nanobroker.ring.Frame;
import dev.nanobroker.ring.FrameClaim;
import dev.nanobroker.ring.OverflowPolicy;
import dev.nanobroker.ring.ReadMode;
import dev.nanobroker.ring.RingGeometry;
import dev.nanobroker.ring.RingReader;
import dev.nanobroker.ring.RingWriter;
import dev.nanobroker.ring.SharedRing;
import dev.nanobroker.ring.WaitStrategy;
import org.HdrHistogram.Histogram;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Map;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The ring's publish-to-observe latency: one writer, one or four busy-spinning readers, each in its
 * own JVM, one frame in flight at a time ({@link Role}'s latency protocol).
 *
 * <pre>
 *  ring-writer JVM                    /dev/shm/RING                       ring-reader JVM (id 0, 1, ...)
 *  ---------------                    -------------                       ------------------------------
 *  creates the ring                                                       opens it, attaches a reader line
 *  waits for READY = readers  <-----  control file: READY  <------------  ready
 *  t0; claim; t0, seq in the  ----->  slot pixels, descriptor, HEAD  ---> poll; reads the first and last
 *  pixels; publish                                                        line; t1; release; t1 - t0
 *  waits for every ACK, a gap <-----  control file: ACK[id] = seq + 1 <-  ack
 *  (reports nothing)                                                      RESULT line to the bench
 * </pre>
 */
final class RingLatencyRoles {

    private RingLatencyRoles() {
    }

    /** Creates the ring and publishes {@code warmup + count} frames, one at a time, each once every reader acknowledged the last. */
    record Writer(String ring, int width, int height, int slots, int receivers, long warmup, long count, long gap) implements Role {
        @Override
        public Map<String, Object> run(RoleContext context) {
            long total = warmup + count;
            RingGeometry geometry = RingGeometry.of(width, height, slots);
            long last = geometry.frameLength() - 8;
            try (Control control = context.control();
                 SharedRing shared = SharedRing.create(ring, geometry);
                 RingWriter writer = shared.writer(OverflowPolicy.block(Duration.ofSeconds(5)))) {
                control.awaitReady(receivers, context.deadlineNanos());
                for (long seq = 0; seq < total; seq++) {
                    long t0 = System.nanoTime();
                    FrameClaim claim = writer.claim();
                    if (claim == null) {
                        throw new IllegalStateException("frame " + seq + " dropped: a reader held the ring for 5 s");
                    }
                    MemorySegment pixels = claim.pixels();
                    pixels.set(JAVA_LONG, 0, t0);
                    pixels.set(JAVA_LONG, 8, seq);
                    pixels.set(JAVA_LONG, last, seq);
                    claim.publish();
                    control.awaitAcks(receivers, seq + 1, context.deadlineNanos());
                    Control.spinFor(gap);
                }
                return Map.of("published", total, "producer_drops", writer.producerDrops());
            }
        }
    }

    /**
     * Busy-spins on the ring, records t1 - t0 of every frame after the warm-up, and where the time
     * goes, from the stamps that are there anyway: t0 to the ring's publish stamp (claim,
     * descriptor), publish stamp to the clock read right after the poll, that to the first and last line read.
     */
    record Reader(String ring, int id, long warmup, long count) implements Role {
        @Override
        public Map<String, Object> run(RoleContext context) {
            long total = warmup + count;
            Histogram histogram = Histograms.create();
            Histogram toStamp = Histograms.create();
            Histogram stampToPoll = Histograms.create();
            Histogram pollToTouched = Histograms.create();
            long mismatches = 0;
            WaitStrategy spin = WaitStrategy.busySpin();
            try (Control control = context.control(); SharedRing shared = context.openRing(ring);
                 RingReader reader = shared.attachReader(ReadMode.EVERY)) {
                long last = shared.geometry().frameLength() - 8;
                control.ready();
                int idle = 0;
                for (long seen = 0; seen < total; ) {
                    Frame frame = reader.poll();
                    if (frame == null) {
                        if ((++idle & 0xFFFFF) == 0) {
                            context.checkDeadline("waiting for frame " + seen);
                        }
                        spin.idle(idle);
                        continue;
                    }
                    long observed = frame.publishNanos() + frame.latencyNanos(); // the clock read right after the poll
                    MemorySegment pixels = frame.pixels();
                    long t0 = pixels.get(JAVA_LONG, 0);
                    long seq = pixels.get(JAVA_LONG, 8);
                    long lastLine = pixels.get(JAVA_LONG, last);
                    long t1 = System.nanoTime();
                    reader.release();
                    if (lastLine != seq) {
                        mismatches++;
                    }
                    if (seq >= warmup) {
                        Histograms.record(histogram, t1 - t0);
                        long published = frame.publishNanos();
                        Histograms.record(toStamp, published - t0);
                        Histograms.record(stampToPoll, observed - published);
                        Histograms.record(pollToTouched, t1 - observed);
                    }
                    seen = seq + 1;
                    control.ack(id, seen);
                }
                Map<String, Object> result = Histograms.summary(histogram);
                result.put("mismatches", mismatches);
                result.put("lost", reader.lost());
                result.put("t0_to_publish_stamp_p50", toStamp.getValueAtPercentile(50));
                result.put("publish_stamp_to_poll_p50", stampToPoll.getValueAtPercentile(50));
                result.put("poll_to_touched_p50", pollToTouched.getValueAtPercentile(50));
                return result;
            }
        }
    }
}
