package dev.nanobroker.codec;

import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;

import java.lang.foreign.MemorySegment;

/**
 * What the FFmpeg codecs share: loading the libraries, FFmpeg's error codes in words, and handing
 * addresses between the FFM API (the ring's slots are {@code MemorySegment}s) and JavaCPP (FFmpeg's
 * structures are {@code Pointer}s) without copying.
 */
final class FFmpeg {

    private FFmpeg() {
    }

    /** Loads libavcodec and libswscale (once), quietening FFmpeg's log: our exceptions say what failed. */
    static void load(String subject) {
        try {
            Loader.load(avcodec.class);
            Loader.load(swscale.class);
            avutil.av_log_set_level(System.getenv("NANOBROKER_DEBUG") != null ? avutil.AV_LOG_INFO : avutil.AV_LOG_QUIET);
        } catch (RuntimeException | LinkageError e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new CodecException(subject + ": FFmpeg's native libraries did not load: " + root, e);
        }
    }

    /** Throws a one-line {@link CodecException} for a negative FFmpeg result; returns a non-negative one. */
    static int check(int result, String subject, String doing) {
        if (result < 0) {
            throw new CodecException(subject + ": " + doing + ": " + errorText(result));
        }
        return result;
    }

    /** FFmpeg's words for an error code, lower case first, e.g. "invalid data found when processing input". */
    static String errorText(int error) {
        try (BytePointer text = new BytePointer(avutil.AV_ERROR_MAX_STRING_SIZE)) {
            avutil.av_strerror(error, text, avutil.AV_ERROR_MAX_STRING_SIZE);
            // Up to the terminating NUL: BytePointer.getString() would read all of the buffer.
            String words = view(text, avutil.AV_ERROR_MAX_STRING_SIZE).getString(0);
            return words.isEmpty() ? "error " + error : Character.toLowerCase(words.charAt(0)) + words.substring(1);
        }
    }

    /** {@code bytes} bytes of native memory at the address a JavaCPP pointer holds, as a segment. */
    static MemorySegment view(Pointer pointer, long bytes) {
        return MemorySegment.ofAddress(pointer.address() + pointer.position()).reinterpret(bytes);
    }

    /**
     * Frees what an encoder or decoder holds of FFmpeg's, any of which may be null (not made yet), and
     * the native buffers it allocated through JavaCPP.
     */
    static void free(AVCodecContext context, AVFrame frame, AVPacket packet, SwsContext converter, Pointer... buffers) {
        swscale.sws_freeContext(converter);
        if (packet != null) {
            avcodec.av_packet_free(packet);
        }
        if (frame != null) {
            avutil.av_frame_free(frame);
        }
        if (context != null) {
            avcodec.avcodec_free_context(context);
        }
        for (Pointer buffer : buffers) {
            buffer.close();
        }
    }

    /** Native memory is what FFmpeg can be given; a heap segment has no address outside the JVM. */
    static void requireNative(MemorySegment frame, String what) {
        if (!frame.isNative()) {
            throw new IllegalArgumentException(what + " must be native memory (a ring slot or an Arena's), not a heap segment");
        }
    }
}
