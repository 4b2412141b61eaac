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
import org.agrona.IoUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.broadcast.BroadcastBufferDescriptor;
import org.agrona.concurrent.broadcast.BroadcastReceiver;
import org.agrona.concurrent.broadcast.BroadcastTransmitter;
import org.agrona.concurrent.broadcast.CopyBroadcastReceiver;

import java.io.File;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.time.Duration;
import java.util.Map;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Ping-pong through a transport's public API, two JVMs, one way = round trip / 2: the initiator
 * sends a sequence one way, the responder sends it back the other way, and only the initiator's
 * clock is read, so neither the clocks of two processes nor a control-file acknowledgement is in the
 * number. Each direction is its own ring (or Agrona broadcast buffer) with one busy-spinning reader.
 * The floor of the same group is {@link FloorRoles}: one cache line instead of a transport.
 *
 * <pre>
 *  initiator JVM (measures)           /dev/shm                           responder JVM
 *  ------------------------           --------                           -------------
 *  creates ring A, attaches to B                                         creates ring B, attaches to A
 *  ready; waits for 2 ready   <-----  control file: READY  ------------> ready; waits for 2 ready
 *  t0; claim; 8 B: i;         ----->  ring A: slot, descriptor, HEAD --> poll; reads the first and last
 *  publish(t0)                                                           line; release; claim; 8 B: i;
 *  poll; reads the first and  <-----  ring B: slot, descriptor, HEAD <-- publish(the frame's t0)
 *  last line; release; t1; checks i; (t1 - t0) / 2
 *  RESULT line to the bench                                              (reports nothing)
 * </pre>
 *
 * Each message carries its round trip's start time, t0: a ring frame as its publish time (given to
 * {@link FrameClaim#publish(long)}, which then reads no clock; the responder relays the time of the
 * frame it answers, as a relay should), an Agrona message in its second 8 bytes. So neither side reads
 * a clock beyond the initiator's t0 and t1, and both carry the same 16 bytes of content.
 *
 * <p>Agrona the same way, with a {@link BroadcastTransmitter} and a {@link CopyBroadcastReceiver} per
 * direction, each over a 64 KiB buffer in a mapped /dev/shm file, 64-byte messages of which the first
 * 8 bytes carry the sequence and the next 8 the time. Every reader also reads the last word of what it got, which nobody
 * writes: their sum must stay 0, and it keeps the compiler from dropping the read.
 */
final class PingPongRoles {

    private static final int AGRONA_CAPACITY = 1 << 16;
    private static final int AGRONA_MESSAGE = 64;
    private static final int AGRONA_TYPE = 1;

    private PingPongRoles() {
    }

    /** Sends {@code warmup + count} round trips through the ring pair and records (t1 - t0) / 2 of the last {@code count}. */
    record RingInitiator(String ring, String replyRing, int width, int height, int slots, long warmup, long count) implements Role {
        @Override
        public Map<String, Object> run(RoleContext context) {
            try (RingEnd end = new RingEnd(ring, replyRing, RingGeometry.of(width, height, slots), context)) {
                return initiate(end, warmup, count, context);
            }
        }
    }

    /** Sends every sequence that arrives on {@code ring} back on {@code replyRing}. */
    record RingResponder(String ring, String replyRing, int width, int height, int slots, long warmup, long count) implements Role {
        @Override
        public Map<String, Object> run(RoleContext context) {
            try (RingEnd end = new RingEnd(replyRing, ring, RingGeometry.of(width, height, slots), context)) {
                return respond(end, warmup + count, context);
            }
        }
    }

    /** The same as {@link RingInitiator} through two Agrona broadcast buffers. */
    record AgronaInitiator(String file, String replyFile, long warmup, long count) implements Role {
        @Override
        public Map<String, Object> run(RoleContext context) {
            try (AgronaEnd end = new AgronaEnd(file, replyFile, context)) {
                return initiate(end, warmup, count, context);
            }
        }
    }

    /** The same as {@link RingResponder} through two Agrona broadcast buffers. */
    record AgronaResponder(String file, String replyFile, long warmup, long count) implements Role {
        @Override
        public Map<String, Object> run(RoleContext context) {
            try (AgronaEnd end = new AgronaEnd(replyFile, file, context)) {
                return respond(end, warmup + count, context);
            }
        }
    }

    /** One process's side of a ping-pong: it sends one way and receives the other. */
    private interface End extends AutoCloseable {

        /** Hands {@code sequence} to the other process, with the time the round trip began. */
        void send(long sequence, long sentNanos);

        /** Busy-spins until a message arrives, reads it and gives it back to the transport; its sequence. */
        long receive();

        /** The time the last message received carries: when its round trip began. */
        long receivedSentNanos();

        /** The sum of the last word of everything received: 0, as nobody writes it. */
        long untouchedSum();

        @Override
        void close();
    }

    private static Map<String, Object> initiate(End end, long warmup, long count, RoleContext context) {
        Histogram histogram = Histograms.create();
        for (long i = 0; i < warmup + count; i++) {
            long t0 = System.nanoTime();
            end.send(i, t0);
            long back = end.receive();
            long roundTrip = System.nanoTime() - t0;
            if (back != i) {
                throw new IllegalStateException("round trip " + i + " came back as " + back);
            }
            if (i >= warmup) {
                Histograms.record(histogram, roundTrip / 2);
            }
            if ((i & 0xFFFF) == 0) {
                context.checkDeadline("at round trip " + i);
            }
        }
        requireUntouched(end);
        return Histograms.summary(histogram);
    }

    private static Map<String, Object> respond(End end, long total, RoleContext context) {
        for (long i = 0; i < total; i++) {
            long sequence = end.receive();
            end.send(sequence, end.receivedSentNanos());
            if ((i & 0xFFFF) == 0) {
                context.checkDeadline("at round trip " + i);
            }
        }
        requireUntouched(end);
        return Map.of();
    }

    private static void requireUntouched(End end) {
        if (end.untouchedSum() != 0) {
            throw new IllegalStateException("the last word of a message, which nobody writes, was not 0");
        }
    }

    /** Counts this process ready and waits until {@code readyCount} have (two per step: both processes). */
    private static void meet(Control control, int readyCount, RoleContext context) {
        control.ready();
        control.awaitReady(readyCount, context.deadlineNanos());
    }

    /** Writes ring {@code out} (which it creates) and reads ring {@code in} (which the other process creates). */
    private static final class RingEnd implements End {

        private final Control control;
        private final SharedRing outRing;
        private final RingWriter writer;
        private final SharedRing inRing;
        private final RingReader reader;
        private final WaitStrategy spin = WaitStrategy.busySpin();
        private final RoleContext context;
        private final long lastWord;
        private long receivedSentNanos;
        private long untouched;

        RingEnd(String out, String in, RingGeometry geometry, RoleContext context) {
            this.context = context;
            this.lastWord = geometry.frameLength() - 8;
            control = context.control();
            outRing = SharedRing.create(out, geometry);
            writer = outRing.writer(OverflowPolicy.block(Duration.ofSeconds(5)));
            inRing = context.openRing(in);
            reader = inRing.attachReader(ReadMode.EVERY);
            meet(control, 2, context);
        }

        @Override
        public void send(long sequence, long sentNanos) {
            FrameClaim claim = writer.claim();
            if (claim == null) {
                throw new IllegalStateException("sequence " + sequence + " dropped: the other process held the ring for 5 s");
            }
            claim.pixels().set(JAVA_LONG, 0, sequence);
            claim.publish(sentNanos); // the frame's time is when its round trip began: no clock read here
        }

        @Override
        public long receivedSentNanos() {
            return receivedSentNanos;
        }

        @Override
        public long receive() {
            Frame frame;
            for (long idle = 1; (frame = reader.poll()) == null; idle++) {
                if ((idle & 0xFFFFF) == 0) {
                    context.checkDeadline("waiting for frame " + reader.tail());
                }
                spin.idle(idle);
            }
            MemorySegment pixels = frame.pixels();
            long sequence = pixels.get(JAVA_LONG, 0);
            receivedSentNanos = frame.publishNanos();
            untouched += pixels.get(JAVA_LONG, lastWord);
            reader.release();
            return sequence;
        }

        @Override
        public long untouchedSum() {
            return untouched;
        }

        @Override
        public void close() {
            reader.close();
            inRing.close();
            writer.close();
            outRing.close();
            control.close();
        }
    }

    /** Transmits into broadcast buffer {@code out} (which it creates) and receives from {@code in}. */
    private static final class AgronaEnd implements End {

        private final Control control;
        private final MappedByteBuffer outMapped;
        private final MappedByteBuffer inMapped;
        private final BroadcastTransmitter transmitter;
        private final CopyBroadcastReceiver receiver;
        private final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(AGRONA_MESSAGE));
        private final MessageHandler handler = this::onMessage;
        private final RoleContext context;
        private long received;
        private long receivedSentNanos;
        private long untouched;

        AgronaEnd(String out, String in, RoleContext context) {
            this.context = context;
            control = context.control();
            outMapped = IoUtil.mapNewFile(new File(out), AGRONA_CAPACITY + BroadcastBufferDescriptor.TRAILER_LENGTH);
            transmitter = new BroadcastTransmitter(new UnsafeBuffer(outMapped));
            // Mapping a new file is not atomic: open the other's only once it said its buffer is there,
            // and transmit only once both receivers are made (a receiver starts at the buffer's tail).
            meet(control, 2, context);
            inMapped = IoUtil.mapExistingFile(new File(in), "agrona broadcast buffer");
            receiver = new CopyBroadcastReceiver(new BroadcastReceiver(new UnsafeBuffer(inMapped)));
            meet(control, 4, context);
        }

        @Override
        public void send(long sequence, long sentNanos) {
            message.putLong(0, sequence);
            message.putLong(8, sentNanos);
            transmitter.transmit(AGRONA_TYPE, message, 0, AGRONA_MESSAGE);
        }

        @Override
        public long receive() {
            for (long idle = 1; receiver.receive(handler) == 0; idle++) {
                if ((idle & 0xFFFFF) == 0) {
                    context.checkDeadline("waiting for a message");
                }
                Thread.onSpinWait();
            }
            return received;
        }

        @Override
        public long receivedSentNanos() {
            return receivedSentNanos;
        }

        private void onMessage(int type, MutableDirectBuffer buffer, int index, int length) {
            received = buffer.getLong(index);
            receivedSentNanos = buffer.getLong(index + 8);
            untouched += buffer.getLong(index + length - 8);
        }

        @Override
        public long untouchedSum() {
            return untouched;
        }

        @Override
        public void close() {
            IoUtil.unmap(inMapped);
            IoUtil.unmap(outMapped);
            control.close();
        }
    }
}
