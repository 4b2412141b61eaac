package dev.nanobroker.ring;

import java.nio.file.Path;

/** No ring of that name exists (yet): a reader may wait for it to appear. */
public final class RingNotFoundException extends RingException {

    RingNotFoundException(String name, Path path, Throwable cause) {
        super("ring " + name + " does not exist (no " + path + ")", cause);
    }
}
