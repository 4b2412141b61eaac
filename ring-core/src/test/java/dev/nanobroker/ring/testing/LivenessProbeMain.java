package dev.nanobroker.ring.testing;

import dev.nanobroker.ring.ProcessIdentity;

import java.io.FileInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges a token's liveness after using up every file descriptor of this process, as a busy
 * process out of descriptors (EMFILE) would: {@code TOKEN}. Prints "EXHAUSTED n" once no descriptor
 * is left, then "ALIVE true|false".
 */
public final class LivenessProbeMain {

    private LivenessProbeMain() {
    }

    public static void main(String[] args) {
        long token = Long.parseLong(args[0]);
        // Load every class the check uses while descriptors are left: loading one needs a descriptor.
        System.out.println("BEFORE " + ProcessIdentity.isAlive(token));
        List<FileInputStream> held = new ArrayList<>();
        try {
            while (true) {
                held.add(new FileInputStream("/dev/null"));
            }
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
