package dev.nanobroker.ring.testing;

import dev.nanobroker.ring.Frame;
import dev.nanobroker.ring.ReadMode;
import dev.nanobroker.ring.RingReader;
import dev.nanobroker.ring.SharedRing;
import dev.nanobroker.ring.WaitStrategy;

/** A reader process that takes one frame and holds it until killed: {@code NAME}. Prints "HOLDING seq". */
public final class HoldingReaderMain {

    private HoldingReaderMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        SharedRing ring = SharedRing.open(args[0]);
        RingReader reader = ring.attachReader(ReadMode.EVERY);
        System.out.println("ATTACHED " + reader.line());
        Frame frame = null;
        while (frame == null) {
            frame = reader.poll(1_000_000_000L, WaitStrategy.defaultStrategy());
        }
        System.out.println("HOLDING " + frame.sequence());
        Thread.sleep(Long.MAX_VALUE);
    }
}
