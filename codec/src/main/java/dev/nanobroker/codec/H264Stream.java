package dev.nanobroker.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * What a decoder needs to know of an H.264 payload (Annex B: NAL units after 00 00 01 start codes)
 * without decoding it: whether it is a keyframe. With libopenh264 a keyframe is an IDR picture,
 * preceded in the same payload by the sequence and picture parameter sets it needs, so a decoder can
 * start there; any other picture refers to the ones before it.
 */
final class H264Stream {

    /** nal_unit_type of a slice of a non-IDR picture. */
    private static final int NON_IDR_SLICE = 1;
    /** nal_unit_type of a slice of an IDR picture: a keyframe. */
    private static final int IDR_SLICE = 5;

    private H264Stream() {
    }

    /**
     * Whether the payload's first picture is an IDR picture. Reads the NAL headers up to the first
     * slice (after a few dozen bytes of parameter sets at most), not the whole payload.
     */
    static boolean isKeyframe(MemorySegment payload) {
        long size = payload.byteSize();
        int zeros = 0;
        for (long i = 0; i + 1 < size; i++) {
            byte b = payload.get(ValueLayout.JAVA_BYTE, i);
            if (b == 1 && zeros >= 2) {
                int nalType = payload.get(ValueLayout.JAVA_BYTE, i + 1) & 0x1F;
                if (nalType == IDR_SLICE) {
                    return true;
                }
                if (nalType == NON_IDR_SLICE) {
                    return false;
                }
            }
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return false;
    }
}
