package dev.nanobroker.ring.testing;

import dev.nanobroker.ring.FrameChecksum;
import dev.nanobroker.ring.FrameClaim;
import dev.nanobroker.ring.OverflowPolicy;
import dev.nanobroker.ring.RingGeometry;
import dev.nanobroker.ring.RingWriter;
import dev.nanobroker.ring.SharedRing;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import static dev.nanobroker.ring.RingLayout.*;

/**
 * A writer process that publishes {@code FRAMES} good frames, then claims the next and dies (when
 * killed) with the write lock held and the slot half written: {@code NAME WIDTH HEIGHT SLOTS FRAMES}.
 * With a sixth argument {@code sequence-stored} it writes the whole frame and its descriptor up to
 * the slot's sequence, as a writer killed between that store and the head store would leave them.
 * Prints "HOLDING seq" once the lock is held mid-frame.
 */
public final class LockHoldingWriterMain {

    private LockHoldingWriterMain() {
    }

    public static void main(String[] args) throws InterruptedException, IOException {
        RingGeometry geometry = RingGeometry.of(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        SharedRing ring = SharedRing.openForWriting(args[0], geometry);
        RingWriter writer = ring.writer(OverflowPolicy.block(Duration.ofSeconds(30)));
        int frames = Integer.parseInt(args[4]);
        for (int i = 0; i < frames; i++) {
            TestFrames.fill(writer.claim()).publish();
        }
        FrameClaim claim = writer.claim();
        if (args.length > 5 && args[5].equals("sequence-stored")) {
            storeSequenceButNotHead(args[0], geometry, TestFrames.fill(claim));
        } else {
            claim.pixels().asSlice(0, claim.pixels().byteSize() / 2).fill((byte) 0x5A);
        }
        System.out.println("HOLDING " + claim.sequence());
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Steps 9 and 10 of publishing (docs/ring-layout.md, section 8), through a mapping of our own. */
    private static void storeSequenceButNotHead(String name, RingGeometry geometry, FrameClaim claim) throws IOException {
        try (FileChannel channel = FileChannel.open(Path.of("/dev/shm", name), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MemorySegment header = channel.map(FileChannel.MapMode.READ_WRITE, 0, headerLength(geometry.slotCount()), Arena.global());
            long descriptor = descriptorOffset((int) (claim.sequence() % geometry.slotCount()));
            header.set(ValueLayout.JAVA_INT, descriptor + DESCRIPTOR_WIDTH_OFFSET, geometry.width());
            header.set(ValueLayout.JAVA_INT, descriptor + DESCRIPTOR_HEIGHT_OFFSET, geometry.height());
            header.set(ValueLayout.JAVA_INT, descriptor + DESCRIPTOR_ROW_STRIDE_OFFSET, geometry.rowStride());
            header.set(ValueLayout.JAVA_LONG, descriptor + DESCRIPTOR_CHECKSUM_OFFSET, FrameChecksum.of(claim.pixels()));
            header.set(ValueLayout.JAVA_LONG, descriptor + DESCRIPTOR_PUBLISH_NANOS_OFFSET, System.nanoTime());
            ValueLayout.JAVA_LONG.varHandle().setRelease(header, descriptor + DESCRIPTOR_SEQUENCE_OFFSET, claim.sequence());
        }
    }
}
