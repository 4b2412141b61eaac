package dev.nanobroker.bridge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Which {@code CLOCK_MONOTONIC} a time was read on: the kernel's boot id. Processes under one running
 * kernel share that clock, whatever their network namespace or address, so a receiver whose own id
 * equals the sender's takes the sender's times as they are (offset 0, exactly); any other sender's
 * clock is measured through probes ({@link ClockOffset}). A host whose boot id cannot be read gets a
 * random identity: its clock is then always measured, which is slower to settle but never wrong.
 * (A container in a time namespace shifts {@code CLOCK_MONOTONIC} under the same boot id; the bridge
 * does not detect that.)
 */
public record ClockIdentity(long high, long low) {

    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");
    private static final ClockIdentity THIS_HOST = readThisHost();

    public static ClockIdentity thisHost() {
        return THIS_HOST;
    }

    private static ClockIdentity readThisHost() {
        UUID id;
        try {
            id = UUID.fromString(Files.readString(BOOT_ID).trim());
        } catch (IOException | IllegalArgumentException e) {
            id = UUID.randomUUID();
        }
        return new ClockIdentity(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }

    /** Another clock's identity, made from this one (for a sender told to act as another host's). */
    ClockIdentity other() {
        return new ClockIdentity(~high, low);
    }
}
