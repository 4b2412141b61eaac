package dev.nanobroker.ring.testing;

import dev.nanobroker.ring.FrameClaim;
import dev.nanobroker.ring.OverflowPolicy;
import dev.nanobroker.ring.RingGeometry;
import dev.nanobroker.ring.RingWriter;
import dev.nanobroker.ring.SharedRing;

import java.time.Duration;

/**
 * A writer process that publishes {@code FRAMES} good frames, then claims the next and dies (when
 * killed) with the write lock held and the slot half written: {@code NAME WIDTH HEIGHT SLOTS FRAMES}.
 * Prints "HOLDING seq" once the lock is held mid-frame.
 */
public final class LockHoldingWriterMain {

    private LockHoldingWriterMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        RingGeometry geometry = RingGeometry.of(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        SharedRing ring = SharedRing.openForWriting(args[0], geometry);
        RingWriter writer = ring.writer(OverflowPolicy.block(Duration.ofSeconds(30)));
        int frames = Integer.parseInt(args[4]);
        for (int i = 0; i < frames; i++) {
            TestFrames.fill(writer.claim()).publish();
        }
        FrameClaim claim = writer.claim();
        claim.pixels().asSlice(0, claim.pixels().byteSize() / 2).fill((byte) 0x5A);
        System.out.println("HOLDING " + claim.sequence());
        Thread.sleep(Long.MAX_VALUE);
    }
}
