package dev.nanobroker.ring;

/** All {@value RingLayout#MAX_READERS} reader lines of a ring are taken by live readers. */
public final class RingFullException extends RingException {

    public RingFullException(String message) {
        super(message);
    }
}
