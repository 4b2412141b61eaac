package dev.nanobroker.cli;

import dev.nanobroker.ring.StaleRings;

/**
 * A dead ring creator's temporary file ({@code .NAME.creating-PID-...}), as {@code ls --json} lists
 * it and {@code rm --dead --json} reports it removed.
 *
 * @param file the file's name in /dev/shm
 * @param name the ring it was to become
 */
record DeadTemporary(String file, String name, int creatorPid, long bytes) {

    static DeadTemporary of(StaleRings.Temporary temporary) {
        return new DeadTemporary(temporary.path().getFileName().toString(), temporary.ringName(), temporary.creatorPid(),
                temporary.bytes());
    }
}
