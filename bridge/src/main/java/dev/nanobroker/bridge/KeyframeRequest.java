package dev.nanobroker.bridge;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static dev.nanobroker.bridge.BridgeMessage.ORDER;

/**
 * A receiver's request for an H.264 keyframe, sent to the sender's probe port when its decoder lost a
 * frame and shows nothing until the next keyframe (docs/bridge.md, "Codecs"). Little-endian, after
 * the 8-byte {@link BridgeMessage} start:
 *
 * <pre>
 *  8  i64  receiver  the number the receiver drew at its start
 * 16
 * </pre>
 */
record KeyframeRequest(long receiver) {

    static final int LENGTH = 16;

    void encode(MutableDirectBuffer buffer, int offset) {
        BridgeMessage.writeStart(buffer, offset, BridgeMessage.TYPE_KEYFRAME_REQUEST);
        buffer.putShort(offset + 6, (short) 0);
        buffer.putLong(offset + 8, receiver, ORDER);
    }

    /** @throws BridgeMessage.MalformedMessageException when it is not a keyframe request */
    static KeyframeRequest decode(DirectBuffer buffer, int offset, int length) {
        BridgeMessage.check(buffer, offset, length, BridgeMessage.TYPE_KEYFRAME_REQUEST, LENGTH);
        return new KeyframeRequest(buffer.getLong(offset + 8, ORDER));
    }
}
