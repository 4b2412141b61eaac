package dev.nanobroker.ring.testing;

import dev.nanobroker.ring.Frame;
import dev.nanobroker.ring.FrameChecksum;
import dev.nanobroker.ring.FrameClaim;

import java.lang.foreign.ValueLayout;

/** Frames whose content follows their sequence number, with a checksum: a torn frame cannot pass. */
public final class TestFrames {

    private TestFrames() {
    }

    public static FrameClaim fill(FrameClaim claim) {
        claim.pixels().fill((byte) (claim.sequence() * 7 + 1));
        claim.pixels().set(ValueLayout.JAVA_LONG_UNALIGNED, 0, claim.sequence());
        return claim.checksum(FrameChecksum.of(claim.pixels()));
    }

    public static boolean intact(Frame frame) {
        long last = frame.pixels().byteSize() - 1;
        return frame.pixels().get(ValueLayout.JAVA_LONG_UNALIGNED, 0) == frame.sequence()
                && frame.pixels().get(ValueLayout.JAVA_BYTE, last) == (byte) (frame.sequence() * 7 + 1)
                && FrameChecksum.of(frame.pixels()) == frame.checksum();
    }
}
