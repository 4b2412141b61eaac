package dev.nanobroker.codec;

import static org.bytedeco.ffmpeg.presets.avutil.AVERROR_EAGAIN;

import dev.nanobroker.frame.Pixels;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.ShortPointer;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.Consumer;

/**
 * The JPEG and H.264 encoders: libswscale converts the BGRA frame, read in place, into the encoder's
 * YUV 4:2:0 frame, libavcodec encodes it into a packet, and the payload is a view of that packet,
 * which stays alive until the next frame. Every frame in gives one packet out at once: the encoders
 * are set up without frame threads, B-frames or look-ahead, which would hold frames back.
 */
final class FFmpegEncoder implements FrameEncoder {

    /**
     * FFmpeg's mjpeg encoder multiplies its matrix by {@code qscale / 8}; at 8 the matrix is written as
     * given, so {@link JpegTables} alone sets the quality.
     */
    private static final int MJPEG_UNSCALED_QSCALE = 8;
    /** The time base the encoders require; frames are numbered, and only H.264's rate control plans by time. */
    private static final int NOMINAL_FRAMES_PER_SECOND = 60;

    private final FrameCodec codec;
    private final String subject;
    private final int width;
    private final int height;
    private final int frameQuality;
    private final AVCodecContext context;
    private final AVFrame frame;
    private final AVPacket packet;
    /** Made last in the constructor; null until then, which {@link FFmpeg#free} allows for. */
    private SwsContext converter;
    /** The one plane pointer and stride of the BGRA source, passed to sws_scale; the address is set per frame. */
    private final PointerPointer<?> sourcePlanes = new PointerPointer<>(1);
    private final MemorySegment sourcePlaneSlot;
    private final IntPointer sourceStrides = new IntPointer(1);
    /** The YUV frame's plane pointers and strides, read by sws_scale from the AVFrame itself. */
    private final PointerPointer<?> framePlanes;
    private final IntPointer frameStrides;

    private long pts;
    private boolean keyframeRequested;
    private boolean lastWasKeyframe;
    /** Whether {@link #packet} holds the last payload, to be released before the next frame. */
    private boolean packetHeld;
    private boolean closed;

    static FFmpegEncoder jpeg(FrameCodec.Jpeg jpeg, int width, int height) {
        String subject = "jpeg encoder";
        FFmpeg.load(subject);
        AVCodec mjpeg = avcodec.avcodec_find_encoder(avcodec.AV_CODEC_ID_MJPEG);
        if (mjpeg == null) {
            throw new CodecException(subject + ": the bundled FFmpeg has no mjpeg encoder");
        }
        int quality = MJPEG_UNSCALED_QSCALE * avutil.FF_QP2LAMBDA;
        return new FFmpegEncoder(jpeg, subject, width, height, mjpeg, avutil.AV_PIX_FMT_YUVJ420P, quality, context -> {
            // One slice: FFmpeg's optimal Huffman tables need a single slice. With slice threads the 1080p
            // clock took 72 KB a frame (as with the standard tables), in one slice 42 KB, in about the
            // same time (CodecBench on a 2-vCPU VM).
            context.thread_count(1);
            context.flags(context.flags() | avcodec.AV_CODEC_FLAG_QSCALE);
            context.global_quality(quality);
            // avcodec_free_context frees both matrices with av_free, so they come from av_malloc.
            context.intra_matrix(matrix(JpegTables.luminance(jpeg.quality())));
            context.chroma_intra_matrix(matrix(JpegTables.chrominance(jpeg.quality())));
        });
    }

    static FFmpegEncoder h264(FrameCodec.H264 h264, int width, int height) {
        String subject = "h264 encoder";
        FFmpeg.load(subject);
        // The LGPL FFmpeg of JavaCPP's presets has libopenh264 (Cisco's, BSD-licensed) and no libx264,
        // which is GPL and comes only with the ffmpeg-gpl artifact; the hardware encoders it also lists
        // need a GPU and its driver. See docs/bridge-codecs.md.
        AVCodec openh264 = avcodec.avcodec_find_encoder_by_name("libopenh264");
        if (openh264 == null) {
            throw new CodecException(subject + ": the bundled FFmpeg has no software H.264 encoder (libopenh264); use jpeg or raw");
        }
        return new FFmpegEncoder(h264, subject, width, height, openh264, avutil.AV_PIX_FMT_YUV420P, 0, context -> {
            context.bit_rate(h264.bitsPerSecond());
            context.rc_max_rate(h264.bitsPerSecond());
            context.framerate(avutil.av_make_q(h264.framesPerSecond(), 1));
            context.time_base(avutil.av_make_q(1, h264.framesPerSecond()));
            context.gop_size(h264.framesPerSecond());
            context.max_b_frames(0);
            // Rate control by bitrate (its default aims at a quality); never skip a frame to save bits.
            setOption(context, subject, "rc_mode", "bitrate");
            setOption(context, subject, "allow_skip_frames", "0");
        });
    }

    private FFmpegEncoder(FrameCodec codec, String subject, int width, int height, AVCodec encoder, int yuvFormat,
                          int frameQuality, Consumer<AVCodecContext> settings) {
        this.codec = codec;
        this.subject = subject;
        this.width = width;
        this.height = height;
        this.frameQuality = frameQuality;
        context = avcodec.avcodec_alloc_context3(encoder);
        frame = avutil.av_frame_alloc();
        packet = avcodec.av_packet_alloc();
        if (context == null || frame == null || packet == null) {
            FFmpeg.free(context, frame, packet, converter, sourcePlanes, sourceStrides);
            throw new CodecException(subject + ": out of memory");
        }
        try {
            context.width(width);
            context.height(height);
            context.pix_fmt(yuvFormat);
            context.time_base(avutil.av_make_q(1, NOMINAL_FRAMES_PER_SECOND));
            // Slices in parallel, never frames: frame threads return each packet frames later.
            context.thread_type(AVCodecContext.FF_THREAD_SLICE);
            context.thread_count(0);
            settings.accept(context);
            FFmpeg.check(avcodec.avcodec_open2(context, encoder, (PointerPointer<?>) null), subject,
                    "cannot open " + encoder.name().getString() + " for " + width + "x" + height);
            frame.format(yuvFormat);
            frame.width(width);
            frame.height(height);
            FFmpeg.check(avutil.av_frame_get_buffer(frame, 0), subject, "cannot allocate a frame");
            converter = swscale.sws_getContext(width, height, avutil.AV_PIX_FMT_BGRA, width, height, yuvFormat,
                    swscale.SWS_BILINEAR, null, null, (DoublePointer) null);
            if (converter == null) {
                throw new CodecException(subject + ": libswscale cannot convert BGRA to the encoder's YUV");
            }
        } catch (RuntimeException e) {
            FFmpeg.free(context, frame, packet, converter, sourcePlanes, sourceStrides);
            throw e;
        }
        sourcePlaneSlot = FFmpeg.view(sourcePlanes, ValueLayout.ADDRESS.byteSize());
        framePlanes = frame.data();
        frameStrides = frame.linesize();
    }

    private static ShortPointer matrix(short[] values) {
        ShortPointer matrix = new ShortPointer(avutil.av_malloc(values.length * Short.BYTES));
        matrix.capacity(values.length);
        return matrix.put(values);
    }

    private static void setOption(AVCodecContext context, String subject, String name, String value) {
        FFmpeg.check(avutil.av_opt_set(context, name, value, avutil.AV_OPT_SEARCH_CHILDREN), subject, "option " + name + "=" + value);
    }

    @Override
    public FrameCodec codec() {
        return codec;
    }

    @Override
    public MemorySegment encode(MemorySegment pixels, int rowStride) {
        if (closed) {
            throw new IllegalStateException(subject + " is closed");
        }
        Pixels.checkFrame(pixels, width, height, rowStride);
        FFmpeg.requireNative(pixels, "the frame to encode");
        releasePacket();
        // The encoder may still reference the last frame's buffers; if so, this gives the frame new ones.
        FFmpeg.check(avutil.av_frame_make_writable(frame), subject, "cannot get a writable frame");
        sourcePlaneSlot.set(ValueLayout.JAVA_LONG, 0, pixels.address());
        sourceStrides.put(0, rowStride);
        swscale.sws_scale(converter, sourcePlanes, sourceStrides, 0, height, framePlanes, frameStrides);
        frame.pts(pts++);
        frame.quality(frameQuality);
        frame.pict_type(keyframeRequested ? avutil.AV_PICTURE_TYPE_I : avutil.AV_PICTURE_TYPE_NONE);
        keyframeRequested = false;
        FFmpeg.check(avcodec.avcodec_send_frame(context, frame), subject, "cannot encode a frame");
        int received = avcodec.avcodec_receive_packet(context, packet);
        if (received == AVERROR_EAGAIN()) {
            throw new CodecException(subject + ": the encoder held a frame back instead of returning its packet");
        }
        FFmpeg.check(received, subject, "cannot encode a frame");
        packetHeld = true;
        lastWasKeyframe = (packet.flags() & avcodec.AV_PKT_FLAG_KEY) != 0;
        return FFmpeg.view(packet.data(), packet.size());
    }

    @Override
    public boolean lastWasKeyframe() {
        return lastWasKeyframe;
    }

    @Override
    public void requestKeyframe() {
        keyframeRequested = true;
    }

    private void releasePacket() {
        if (packetHeld) {
            avcodec.av_packet_unref(packet);
            packetHeld = false;
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            FFmpeg.free(context, frame, packet, converter, sourcePlanes, sourceStrides);
        }
    }
}
