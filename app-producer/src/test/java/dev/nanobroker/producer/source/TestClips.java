package dev.nanobroker.producer.source;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.file.Path;

/** Writes small video files for the tests, with FFmpeg itself: no camera and no stored clip needed. */
final class TestClips {

    /** How a clip is encoded. */
    enum Codec {
        /** Lossless FFV1 in Matroska, no alpha (like a camera: FFmpeg hands out bgr0). */
        FFV1_OPAQUE("matroska", avcodec.AV_CODEC_ID_FFV1, avutil.AV_PIX_FMT_BGR0),
        /** Lossless FFV1 in Matroska with a straight alpha channel. */
        FFV1_ALPHA("matroska", avcodec.AV_CODEC_ID_FFV1, avutil.AV_PIX_FMT_BGRA),
        /** Motion JPEG in AVI: what many webcams send, decoded from YUV 4:2:0. */
        MJPEG("avi", avcodec.AV_CODEC_ID_MJPEG, avutil.AV_PIX_FMT_YUVJ420P);

        final String format;
        final int codecId;
        final int pixelFormat;

        Codec(String format, int codecId, int pixelFormat) {
            this.format = format;
            this.codecId = codecId;
            this.pixelFormat = pixelFormat;
        }
    }

    /** Paints frame {@code index} of a clip: BGRA little-endian ints, straight alpha, into {@code pixels}. */
    @FunctionalInterface
    interface Painter {
        void paint(int index, int width, int height, int[] pixels);
    }

    private TestClips() {
    }

    /** Opaque flat colour of frame {@code index}: channels far apart from one frame to the next. */
    static int flatColour(int index) {
        int b = (index * 37 + 11) & 0xFF;
        int g = (index * 91 + 200) & 0xFF;
        int r = (index * 53 + 90) & 0xFF;
        return 0xFF00_0000 | r << 16 | g << 8 | b;
    }

    static Painter flat() {
        return (index, width, height, pixels) -> java.util.Arrays.fill(pixels, 0, width * height, flatColour(index));
    }

    /** A moving gradient with noise, so that a decoder has real work per frame. */
    static Painter busy() {
        return (index, width, height, pixels) -> {
            int seed = index * 0x9E3779B9;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    seed = seed * 1_103_515_245 + 12_345;
                    int noise = (seed >>> 24) & 0x1F;
                    int r = (x + index * 4) & 0xFF;
                    int g = (y + index * 2) & 0xFF;
                    int b = ((x ^ y) + noise) & 0xFF;
                    pixels[y * width + x] = 0xFF00_0000 | r << 16 | g << 8 | b;
                }
            }
        };
    }

    /** Writes {@code frames} frames at {@code fps} into {@code file}. */
    static Path write(Path file, Codec codec, int width, int height, int frames, double fps, Painter painter)
            throws Exception {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), width, height, 0);
             Frame frame = new Frame(width, height, Frame.DEPTH_UBYTE, 4)) {
            recorder.setFormat(codec.format);
            recorder.setVideoCodec(codec.codecId);
            recorder.setPixelFormat(codec.pixelFormat);
            recorder.setFrameRate(fps);
            if (codec == Codec.MJPEG) {
                recorder.setVideoQuality(3);
            }
            recorder.start();
            int[] pixels = new int[width * height];
            ByteBuffer buffer = ((ByteBuffer) frame.image[0]).order(ByteOrder.LITTLE_ENDIAN);
            int strideBytes = frame.imageStride;
            for (int i = 0; i < frames; i++) {
                painter.paint(i, width, height, pixels);
                for (int y = 0; y < height; y++) {
                    buffer.position(y * strideBytes);
                    buffer.asIntBuffer().put(pixels, y * width, width);
                }
                buffer.position(0);
                recorder.record(frame, avutil.AV_PIX_FMT_BGRA);
            }
            recorder.stop();
        }
        return file;
    }

    /** A Matroska file with one audio stream and no video. */
    static Path writeAudioOnly(Path file) throws Exception {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), 1)) {
            recorder.setFormat("matroska");
            recorder.setAudioCodec(avcodec.AV_CODEC_ID_PCM_S16LE);
            recorder.setSampleRate(8000);
            recorder.start();
            recorder.recordSamples(8000, 1, ShortBuffer.wrap(new short[8000]));
            recorder.stop();
        }
        return file;
    }
}
