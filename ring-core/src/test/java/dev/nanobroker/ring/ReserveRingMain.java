package dev.nanobroker.ring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Builds a ring past the free-space check, as a creator does when /dev/shm fills up between that
 * check and its page reservation: {@code NAME WIDTH HEIGHT SLOTS}. Prints the error, then "LEFT"
 * and the files left in /dev/shm. Run it over a small private /dev/shm.
 */
final class ReserveRingMain {

    private ReserveRingMain() {
    }

    public static void main(String[] args) throws IOException {
        RingGeometry geometry = RingGeometry.of(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        try (SharedRing ring = new SharedRing(RingFiles.build(args[0], geometry, RingAccess.OWNER_ONLY, false))) {
            System.out.println("CREATED " + ring.geometry());
        } catch (RingException e) {
            System.out.println("REFUSED " + e.getMessage());
        }
        try (var files = Files.list(SharedRing.DIRECTORY)) {
            List<String> left = files.map(Path::getFileName).map(Path::toString).sorted().toList();
            System.out.println("LEFT " + String.join(" ", left));
        }
    }
}
