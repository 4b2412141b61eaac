package dev.nanobroker.bridge;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static dev.nanobroker.bridge.BridgeMessage.ORDER;

/**
 * A receiver's question to a sender on another clock, "what time is it?", sent to the sender's probe
 * port (docs/bridge.md, "The clock offset"); the sender answers with a {@link Reply} on the frames'
 * stream. Little-endian, after the 8-byte {@link BridgeMessage} start:
 *
 * <pre>
 *  8  i64  receiver  a number the receiver drew at its start: whose probe it is (every receiver sees every reply)
 * 16  i64  number    the receiver's probe count
 * 24  i64  receiverSentNanos  t1: when the receiver sent it, its own CLOCK_MONOTONIC
 * 32
 * </pre>
 */
record ClockProbe(long receiver, long number, long receiverSentNanos) {

    static final int LENGTH = 32;

    void encode(MutableDirectBuffer buffer, int offset) {
        BridgeMessage.writeStart(buffer, offset, BridgeMessage.TYPE_CLOCK_PROBE);
        buffer.putShort(offset + 6, (short) 0);
        buffer.putLong(offset + 8, receiver, ORDER);
        buffer.putLong(offset + 16, number, ORDER);
        buffer.putLong(offset + 24, receiverSentNanos, ORDER);
    }

    /** @throws BridgeMessage.MalformedMessageException when it is not a probe */
    static ClockProbe decode(DirectBuffer buffer, int offset, int length) {
        BridgeMessage.check(buffer, offset, length, BridgeMessage.TYPE_CLOCK_PROBE, LENGTH);
        return new ClockProbe(buffer.getLong(offset + 8, ORDER), buffer.getLong(offset + 16, ORDER), buffer.getLong(offset + 24, ORDER));
    }

    /** The sender's answer, given when it took the probe ({@code t2}) and when it sends the answer ({@code t3}), on its clock. */
    Reply reply(long senderReceivedNanos, long senderSentNanos) {
        return new Reply(receiver, number, receiverSentNanos, senderReceivedNanos, senderSentNanos);
    }

    /**
     * The sender's answer to a probe, with the probe's own fields and then:
     *
     * <pre>
     * 32  i64  senderReceivedNanos  t2: when the sender took the probe, the sender's CLOCK_MONOTONIC
     * 40  i64  senderSentNanos      t3: when it sent this reply, the same clock
     * 48
     * </pre>
     */
    record Reply(long receiver, long number, long receiverSentNanos, long senderReceivedNanos, long senderSentNanos) {

        static final int LENGTH = 48;

        void encode(MutableDirectBuffer buffer, int offset) {
            BridgeMessage.writeStart(buffer, offset, BridgeMessage.TYPE_CLOCK_REPLY);
            buffer.putShort(offset + 6, (short) 0);
            buffer.putLong(offset + 8, receiver, ORDER);
            buffer.putLong(offset + 16, number, ORDER);
            buffer.putLong(offset + 24, receiverSentNanos, ORDER);
            buffer.putLong(offset + 32, senderReceivedNanos, ORDER);
            buffer.putLong(offset + 40, senderSentNanos, ORDER);
        }

        /** @throws BridgeMessage.MalformedMessageException when it is not a reply */
        static Reply decode(DirectBuffer buffer, int offset, int length) {
            BridgeMessage.check(buffer, offset, length, BridgeMessage.TYPE_CLOCK_REPLY, LENGTH);
            return new Reply(buffer.getLong(offset + 8, ORDER), buffer.getLong(offset + 16, ORDER), buffer.getLong(offset + 24, ORDER),
                    buffer.getLong(offset + 32, ORDER), buffer.getLong(offset + 40, ORDER));
        }
    }
}
