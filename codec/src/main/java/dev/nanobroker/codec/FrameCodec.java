package dev.nanobroker.codec;

import java.util.Locale;

/**
 * How the bridge puts one frame on the wire: a codec with its settings, named on the command line
 * ({@link #name}) and in each message ({@link #id}). It makes the two halves that do the work: a
 * {@link FrameEncoder} on the sending host and a {@link FrameDecoder} on the receiving one, each for
 * one frame size. A receiver needs only the id ({@link #decoderFor}): what the settings change is in
 * the payload itself.
 *
 * <p>Frames are the ring's: 32-bit BGRA, premultiplied alpha. {@link Raw} carries them exactly;
 * {@link Jpeg} and {@link H264} carry colour only, so a decoded frame is opaque and shows the
 * premultiplied colours, i.e. the frame as if drawn over black (the producer's frames are opaque).
 *
 * <p>What each costs, and what a lost payload does to each: docs/bridge-codecs.md.
 */
public sealed interface FrameCodec {

    /** The wire id of {@link Raw}. */
    byte RAW_ID = 0;
    /** The wire id of {@link Jpeg}. */
    byte JPEG_ID = 1;
    /** The wire id of {@link H264}. */
    byte H264_ID = 2;

    /** What the command line calls it: {@code raw}, {@code jpeg}, {@code h264}. */
    String name();

    /** What a message carries to say which codec made its payload. */
    byte id();

    /** An encoder for frames of this size; see {@link FrameEncoder} for what it holds. */
    FrameEncoder newEncoder(int width, int height);

    /** A decoder for frames of this size. */
    default FrameDecoder newDecoder(int width, int height) {
        return decoderFor(id(), width, height);
    }

    /** A decoder for payloads made by the codec with this wire id. */
    static FrameDecoder decoderFor(byte id, int width, int height) {
        checkSize(width, height);
        return switch (id) {
            case RAW_ID -> new RawDecoder(width, height);
            case JPEG_ID -> FFmpegDecoder.jpeg(width, height);
            case H264_ID -> FFmpegDecoder.h264(width, height);
            default -> throw new IllegalArgumentException("unknown codec id " + id + ": raw is 0, jpeg 1, h264 2");
        };
    }

    /**
     * A codec by its name with its default settings.
     *
     * @throws IllegalArgumentException for another name
     */
    static FrameCodec named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "raw" -> new Raw();
            case "jpeg" -> new Jpeg(Jpeg.DEFAULT_QUALITY);
            case "h264" -> new H264(H264.DEFAULT_BITS_PER_SECOND, H264.DEFAULT_FRAMES_PER_SECOND);
            default -> throw new IllegalArgumentException("unknown codec '" + name + "': use raw, jpeg or h264");
        };
    }

    private static void checkSize(int width, int height) {
        // H.264 and JPEG with 4:2:0 chroma want even sizes; every ring size the producer offers is even.
        if (width < 2 || height < 2 || width % 2 != 0 || height % 2 != 0 || (long) width * height * 4 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("frame size " + width + "x" + height
                    + " cannot be coded: width and height must be even, at least 2, and the frame under 2 GiB");
        }
    }

    /**
     * The pixels as they are: {@code width * height * 4} bytes, rows packed. Exact, and as large as the
     * frame (1080p: 8.3 MB, about 4 Gbit/s at 60 fps). The bridge may send a slot without it; it is here
     * so that every codec has the same shape.
     */
    record Raw() implements FrameCodec {
        @Override
        public String name() {
            return "raw";
        }

        @Override
        public byte id() {
            return RAW_ID;
        }

        @Override
        public FrameEncoder newEncoder(int width, int height) {
            checkSize(width, height);
            return new RawEncoder(this, width, height);
        }
    }

    /**
     * Each frame a JPEG (FFmpeg's mjpeg encoder, 4:2:0), on its own: a lost payload costs that frame
     * only.
     *
     * @param quality 1 to 100, as libjpeg, ImageIO and most tools mean it: the standard tables of the
     *                JPEG specification (Annex K) scaled by {@code 5000 / quality} percent below 50 and
     *                {@code 200 - 2 quality} percent from 50; 100 is the finest
     */
    record Jpeg(int quality) implements FrameCodec {

        /**
         * Fine enough for text (the clock's digits, an overlay) to stay clean; the clock's box rows
         * decode at every quality tried, down to 1 (docs/bridge-codecs.md). The clock at 1080p is
         * then about 42 KB a frame.
         */
        public static final int DEFAULT_QUALITY = 80;

        public Jpeg {
            if (quality < 1 || quality > 100) {
                throw new IllegalArgumentException("JPEG quality " + quality + " is out of range: use 1 to 100");
            }
        }

        @Override
        public String name() {
            return "jpeg";
        }

        @Override
        public byte id() {
            return JPEG_ID;
        }

        @Override
        public FrameEncoder newEncoder(int width, int height) {
            checkSize(width, height);
            return FFmpegEncoder.jpeg(this, width, height);
        }
    }

    /**
     * An H.264 stream (the bundled FFmpeg's libopenh264 encoder; FFmpeg's own decoder), tuned for
     * latency: no B-frames, no look-ahead, one packet out per frame in, a keyframe every second and
     * whenever {@link FrameEncoder#requestKeyframe} asks. A stream codec: each payload depends on the
     * ones before, so after a loss the decoder waits for the next keyframe ({@link FrameDecoder}).
     *
     * @param bitsPerSecond   the rate the encoder aims at, 100 kbit/s to 240 Mbit/s (H.264 level 5.2's
     *                        ceiling)
     * @param framesPerSecond the frame rate the rate control plans for, 1 to 240: each frame gets about
     *                        {@code bitsPerSecond / framesPerSecond} bits, so a slower source uses less
     *                        than the set rate; also the keyframe interval in frames
     */
    record H264(long bitsPerSecond, int framesPerSecond) implements FrameCodec {

        /**
         * A tenth of 1 GbE, and a usual rate for live 1080p video. The clock needs far less (about
         * 1.5 Mbit/s at 1080p60); busier content, a camera or a screen, uses more of it.
         */
        public static final long DEFAULT_BITS_PER_SECOND = 8_000_000;
        public static final int DEFAULT_FRAMES_PER_SECOND = 60;
        static final long MIN_BITS_PER_SECOND = 100_000;
        static final long MAX_BITS_PER_SECOND = 240_000_000;

        public H264 {
            if (bitsPerSecond < MIN_BITS_PER_SECOND || bitsPerSecond > MAX_BITS_PER_SECOND) {
                throw new IllegalArgumentException("H.264 bitrate " + bitsPerSecond
                        + " bit/s is out of range: use 100000 (100 kbit/s) to 240000000 (240 Mbit/s)");
            }
            if (framesPerSecond < 1 || framesPerSecond > 240) {
                throw new IllegalArgumentException("H.264 frame rate " + framesPerSecond + " is out of range: use 1 to 240");
            }
        }

        @Override
        public String name() {
            return "h264";
        }

        @Override
        public byte id() {
            return H264_ID;
        }

        @Override
        public FrameEncoder newEncoder(int width, int height) {
            checkSize(width, height);
            return FFmpegEncoder.h264(this, width, height);
        }
    }
}
