package dev.nanobroker.bench;

import dev.nanobroker.ring.RingNotFoundException;
import dev.nanobroker.ring.SharedRing;

import java.nio.file.Path;

/**
 * What every role gets besides its own arguments: the measurement's control file, and the deadline
 * by which the child gives up ({@code timeout} seconds after it started), so that no wait of a role
 * is endless.
 */
record RoleContext(Path controlFile, long deadlineNanos) {

    /** Maps the control file; the role closes it. */
    Control control() {
        return new Control(controlFile);
    }

    /** Fails the role once the deadline has passed. */
    void checkDeadline(String doing) {
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new IllegalStateException("timed out " + doing);
        }
    }

    /** Opens the ring that another child of the measurement creates, waiting for it until the deadline. */
    SharedRing openRing(String name) {
        while (true) {
            try {
                return SharedRing.open(name);
            } catch (RingNotFoundException e) {
                checkDeadline("waiting for ring " + name);
                Control.sleepMicros(200);
            }
        }
    }
}
