package dev.nanobroker.codec;

import java.io.Serial;

/**
 * A codec could not be made or could not code a frame. The message is one line for the user as it is,
 * e.g. {@code jpeg decoder: invalid data found when processing input}; the cause, when there is one,
 * is for debugging only.
 */
public final class CodecException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    public CodecException(String message) {
        super(message);
    }

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
