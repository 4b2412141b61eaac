package dev.nanobroker.ring;

/**
 * A ring could not be created, opened or used. The message is one line meant for the user: it names
 * the ring and the problem, so tools print it as it is instead of a stack trace.
 */
public class RingException extends RuntimeException {

    public RingException(String message) {
        super(message);
    }

    public RingException(String message, Throwable cause) {
        super(message, cause);
    }
}
