package dev.nanobroker.bench;

import org.HdrHistogram.Histogram;
import org.agrona.IoUtil;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.broadcast.BroadcastBufferDescriptor;
import org.agrona.concurrent.broadcast.BroadcastReceiver;
import org.agrona.concurrent.broadcast.BroadcastTransmitter;
import org.agrona.concurrent.broadcast.CopyBroadcastReceiver;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.util.Map;

/**
 * Agrona's broadcast buffer, the nearest thing to the ring in a well-known library: one transmitter,
 * one or four receivers (each a {@link CopyBroadcastReceiver}), 64-byte messages through a buffer
 * mapped from a file in /dev/shm, one message in flight at a time ({@link Role}'s latency protocol).
 *
 * <pre>
 *  agrona-tx JVM                        /dev/shm/..agrona-N                agrona-rx JVM (id 0, 1, ...)
 *  -------------                        -------------------                ----------------------------
 *  maps a new broadcast buffer;
 *  FLAG = 1                  ------->  control file: FLAG  ------------>  maps the buffer; ready
 *  waits for READY           <-------  control file: READY  <-----------
 *  t0, seq in 64 B; transmit ------->  broadcast buffer  -------------->  receive: copies it; t1; t1 - t0
 *  waits for every ACK, a gap <------  control file: ACK[id] = seq + 1 <-  ack
 *  (reports nothing)                                                      RESULT line to the bench
 * </pre>
 */
final class AgronaRoles {

    private static final int CAPACITY = 1 << 16;
    private static final int MESSAGE = 64;

    private AgronaRoles() {
    }

    /** Maps a new broadcast buffer in {@code file} and transmits {@code warmup + count} messages, one at a time. */
    record Transmitter(String file, int receivers, long warmup, long count, long gap) implements Role {
        @Override
        public Map<String, Object> run(RoleContext context) {
            long total = warmup + count;
            MappedByteBuffer mapped = IoUtil.mapNewFile(new File(file), CAPACITY + BroadcastBufferDescriptor.TRAILER_LENGTH);
            try (Control control = context.control()) {
                BroadcastTransmitter transmitter = new BroadcastTransmitter(new UnsafeBuffer(mapped));
                UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(MESSAGE));
                control.setFlag(1);
                control.awaitReady(receivers, context.deadlineNanos());
                for (long seq = 0; seq < total; seq++) {
                    long t0 = System.nanoTime();
                    message.putLong(0, t0);
                    message.putLong(8, seq);
                    message.putLong(MESSAGE - 8, seq);
                    transmitter.transmit(1, message, 0, MESSAGE);
                    control.awaitAcks(receivers, seq + 1, context.deadlineNanos());
                    Control.spinFor(gap);
                }
            } finally {
                IoUtil.unmap(mapped);
            }
            return Map.of("sent", total);
        }
    }

    /** Busy-spins on the buffer and records t1 - t0 of every message after the warm-up. */
    record Receiver(String file, int id, long warmup, long count) implements Role {
        @Override
        public Map<String, Object> run(RoleContext context) {
            long total = warmup + count;
            Histogram histogram = Histograms.create();
            long[] state = new long[2]; // seen, mismatches
            try (Control control = context.control()) {
                control.awaitFlag(1, context.deadlineNanos());
                MappedByteBuffer mapped = IoUtil.mapExistingFile(new File(file), "agrona broadcast buffer");
                try {
                    CopyBroadcastReceiver receiver = new CopyBroadcastReceiver(new BroadcastReceiver(new UnsafeBuffer(mapped)));
                    MessageHandler handler = (type, buffer, index, length) -> {
                        long t0 = buffer.getLong(index);
                        long seq = buffer.getLong(index + 8);
                        long lastLine = buffer.getLong(index + length - 8);
                        long t1 = System.nanoTime();
                        if (lastLine != seq) {
                            state[1]++;
                        }
                        if (seq >= warmup) {
                            Histograms.record(histogram, t1 - t0);
                        }
                        state[0] = seq + 1;
                        control.ack(id, seq + 1);
                    };
                    control.ready();
                    int idle = 0;
                    while (state[0] < total) {
                        if (receiver.receive(handler) == 0) {
                            if ((++idle & 0xFFFFF) == 0) {
                                context.checkDeadline("waiting for message " + state[0]);
                            }
                            Thread.onSpinWait();
                        }
                    }
                } finally {
                    IoUtil.unmap(mapped);
                }
            }
            Map<String, Object> result = Histograms.summary(histogram);
            result.put("mismatches", state[1]);
            return result;
        }
    }
}
