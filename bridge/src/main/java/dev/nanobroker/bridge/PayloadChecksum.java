package dev.nanobroker.bridge;

import dev.nanobroker.ring.FrameChecksum;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The checksum of a compressed payload (jpeg, h264), which a receiver checks before it decodes: a cut
 * or damaged payload would otherwise decode, silently, into a wrong picture. It is the ring's
 * {@link FrameChecksum} (FNV-1a 64 over little-endian 64-bit words) extended to any length: the last
 * 1 to 7 bytes count as one more word, zero-padded. For a length that is a multiple of 4, a frame's,
 * it equals {@link FrameChecksum#of}; {@code FrameChecksum} itself leaves 1 to 3 trailing bytes out,
 * which frames never have and payloads do.
 */
final class PayloadChecksum {

    private PayloadChecksum() {
    }

    static long of(MemorySegment payload) {
        long length = payload.byteSize();
        long words = length & ~7L;
        long hash = FrameChecksum.of(payload.asSlice(0, words));
        if (words == length) {
            return hash;
        }
        long tail = 0;
        for (long at = length - 1; at >= words; at--) {
            tail = tail << 8 | (payload.get(ValueLayout.JAVA_BYTE, at) & 0xFF);
        }
        return (hash ^ tail) * FrameChecksum.PRIME;
    }
}
