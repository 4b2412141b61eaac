package dev.nanobroker.ring.testing;

import dev.nanobroker.ring.ProcessIdentity;

import java.io.FileInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges a token's liveness: {@code TOKEN [--exhaust-descriptors]}. With the option it first uses up
 * every file descriptor of this process, as a busy process out of descriptors (EMFILE) would, and
 * prints "EXHAUSTED n". Then prints "ALIVE true|false".
 */
public final class LivenessProbeMain {

    private LivenessProbeMain() {
    }

    public static void main(String[] args) {
        long token = Long.parseLong(args[0]);
        // Load every class the check uses while descriptors are left: loading one needs a descriptor.
        System.out.println("BEFORE " + ProcessIdentity.isAlive(token));
        List<FileInputStream> held = new ArrayList<>();
        boolean exhaust = args.length > 1 && args[1].equals("--exhaust-descriptors");
        try {
            while (exhaust) {
                held.add(new FileInputStream("/dev/null"));
            }
            System.out.println("LOOKING");
        } catch (IOException exhausted) {
            System.out.println("EXHAUSTED " + held.size() + " " + exhausted.getMessage());
        }
        boolean alive = ProcessIdentity.isAlive(token);
        for (FileInputStream each : held) {
            try {
                each.close();
            } catch (IOException ignored) {
                // closing /dev/null does not fail
            }
        }
        System.out.println("ALIVE " + alive);
    }
}
