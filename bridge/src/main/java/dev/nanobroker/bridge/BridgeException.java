package dev.nanobroker.bridge;

/** A condition the bridge cannot work under, said in one line for the user (a port in use, no driver, a ring it may not write). */
public class BridgeException extends RuntimeException {

    public BridgeException(String message) {
        super(message);
    }

    public BridgeException(String message, Throwable cause) {
        super(message, cause);
    }
}
