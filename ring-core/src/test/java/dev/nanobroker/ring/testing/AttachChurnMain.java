package dev.nanobroker.ring.testing;

import dev.nanobroker.ring.Frame;
import dev.nanobroker.ring.ReadMode;
import dev.nanobroker.ring.RingFullException;
import dev.nanobroker.ring.RingReader;
import dev.nanobroker.ring.SharedRing;
import dev.nanobroker.ring.WaitStrategy;

/**
 * A reader process that attaches, reads a few frames, and detaches, over and over for
 * {@code SECONDS}: {@code NAME SECONDS}. Prints "CHURNING" once attached the first time and
 * "DONE attaches=N full=M" at the end.
 */
public final class AttachChurnMain {

    private AttachChurnMain() {
    }

    public static void main(String[] args) {
        long end = System.nanoTime() + (long) (Double.parseDouble(args[1]) * 1e9);
        long attaches = 0;
        long full = 0;
        try (SharedRing ring = SharedRing.open(args[0])) {
            while (System.nanoTime() < end) {
                RingReader reader;
                try {
                    reader = ring.attachReader(attaches % 2 == 0 ? ReadMode.EVERY : ReadMode.LATEST);
                } catch (RingFullException e) {
                    full++;
                    Thread.onSpinWait();
                    continue;
                }
                if (attaches++ == 0) {
                    System.out.println("CHURNING");
                }
                for (int i = 0; i < 3; i++) {
                    Frame frame = reader.poll(2_000_000, WaitStrategy.defaultStrategy());
                    if (frame != null) {
                        reader.release();
                    }
                }
                reader.close();
            }
        }
        System.out.println("DONE attaches=" + attaches + " full=" + full);
    }
}
