package dev.nanobroker.producer.source;

import java.io.Serial;

/**
 * A capture source failed. The message is one line meant for the user as it is, naming the device
 * or file, e.g. {@code cannot open camera /dev/video0: no such device}; the cause, when there is
 * one, is for debugging only.
 */
public final class SourceException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    public SourceException(String message) {
        super(message);
    }

    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
