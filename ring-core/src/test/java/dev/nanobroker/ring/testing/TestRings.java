package dev.nanobroker.ring.testing;

import dev.nanobroker.ring.SharedRing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Unique ring names for a test, and removal of their files afterwards: no test leaves /dev/shm dirty. */
public final class TestRings implements AutoCloseable {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final List<String> names = new ArrayList<>();

    public String newName(String purpose) {
        String name = "nbtest-" + purpose + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        names.add(name);
        return name;
    }

    public Path pathOf(String name) {
        return SharedRing.DIRECTORY.resolve(name);
    }

    @Override
    public void close() throws IOException {
        for (String name : names) {
            Files.deleteIfExists(SharedRing.DIRECTORY.resolve(name));
        }
        try (var leftovers = Files.newDirectoryStream(SharedRing.DIRECTORY, ".nbtest-*")) {
            for (Path temporary : leftovers) {
                Files.deleteIfExists(temporary);
            }
        }
    }
}
