package dev.nanobroker.bridge;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * What every bridge message starts with (docs/bridge.md, "The message format"): 8 bytes, little-endian,
 * then the body its type says.
 *
 * <pre>
 *  0  u32  magic    "NBBF" (0x4642424E read little-endian)
 *  4  u8   version  2; a receiver refuses any other
 *  5  u8   type     1 = frame part ({@link FramePart}), sender to receivers, on the frames' stream;
 *                   2 = clock probe ({@link ClockProbe}), receiver to sender, on the sender's probe port;
 *                   3 = clock reply ({@link ClockProbe.Reply}), sender to receivers, on the frames' stream
 *  6       the type's own bytes
 * </pre>
 */
final class BridgeMessage {

    static final int MAGIC = 0x4642424E;
    /** 2: frame parts name the sender's clock and probe port, and the clock messages exist. */
    static final int VERSION = 2;
    static final int TYPE_FRAME_PART = 1;
    static final int TYPE_CLOCK_PROBE = 2;
    static final int TYPE_CLOCK_REPLY = 3;
    static final int TYPE_KEYFRAME_REQUEST = 4;
    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private static final int TYPE_OFFSET = 5;

    private BridgeMessage() {
    }

    /** Writes the magic, the version and {@code type} at {@code offset}. */
    static void writeStart(MutableDirectBuffer buffer, int offset, int type) {
        buffer.putInt(offset, MAGIC, ORDER);
        buffer.putByte(offset + 4, (byte) VERSION);
        buffer.putByte(offset + TYPE_OFFSET, (byte) type);
    }

    /**
     * Checks the message of {@code length} bytes at {@code offset} is a bridge message of this version
     * and of {@code type}, at least {@code bodyEnd} bytes long.
     *
     * @throws MalformedMessageException when it is not
     */
    static void check(DirectBuffer buffer, int offset, int length, int type, int bodyEnd) {
        if (length < bodyEnd) {
            throw new MalformedMessageException("a message of " + length + " bytes is shorter than the " + bodyEnd + "-byte header");
        }
        if (buffer.getInt(offset, ORDER) != MAGIC) {
            throw new MalformedMessageException("not a NanoBroker bridge message (magic " + Integer.toHexString(buffer.getInt(offset, ORDER)) + ")");
        }
        int version = buffer.getByte(offset + 4) & 0xFF;
        if (version != VERSION) {
            throw new MalformedMessageException("message version " + version + " (this bridge speaks version " + VERSION
                    + ": run the same nanobroker on both hosts)");
        }
        int actual = buffer.getByte(offset + TYPE_OFFSET) & 0xFF;
        if (actual != type) {
            throw new MalformedMessageException("message type " + actual + " where type " + type + " belongs");
        }
    }

    /** Whether the message at {@code offset} says it is of {@code type} (its header is checked when it is decoded). */
    static boolean isType(DirectBuffer buffer, int offset, int length, int type) {
        return length > TYPE_OFFSET && (buffer.getByte(offset + TYPE_OFFSET) & 0xFF) == type;
    }

    /** A message this bridge cannot take; counted and dropped by the receiver. */
    static final class MalformedMessageException extends RuntimeException {
        MalformedMessageException(String message) {
            super(message, null, false, false); // no stack trace: it is a count, not a bug
        }
    }
}
