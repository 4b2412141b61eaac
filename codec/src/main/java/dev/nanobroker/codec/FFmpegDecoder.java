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
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The JPEG and H.264 decoders: the payload is copied into a padded input buffer (FFmpeg's bitstream
 * readers may read up to 64 bytes past the end), libavcodec decodes it into its YUV frame, and
 * libswscale converts that into the target slot, opaque BGRA. For H.264 a keyframe gate sits in front
 * ({@link FrameDecoder}): payloads are skipped while {@link #needsKeyframe}, and a damaged one closes the
 * gate, because FFmpeg would otherwise show a frame patched over from missing references.
 */
final class FFmpegDecoder implements FrameDecoder {

    private final byte codecId;
    private final String subject;
    private final int width;
    private final int height;
    /** H.264: payloads depend on earlier ones. */
    private final boolean stream;
    private final AVCodecContext context;
    private final AVPacket packet;
    private final AVFrame frame;
    /** The padded copy of the payload that the packet points at; as large as a raw frame. */
    private final BytePointer input;
    private final MemorySegment inputView;
    private final PointerPointer<?> framePlanes;
    private final IntPointer frameStrides;
    /** The one plane pointer and stride of the target, passed to sws_scale; the address is set per frame. */
    private final PointerPointer<?> targetPlanes = new PointerPointer<>(1);
    private final MemorySegment targetPlaneSlot;
    private final IntPointer targetStrides = new IntPointer(1);

    /** YUV of the decoded frames to BGRA, made on the first frame, when the decoder says which YUV. */
    private SwsContext converter;
    private int converterFormat = avutil.AV_PIX_FMT_NONE;
    private boolean needsKeyframe;
    private boolean closed;

    static FFmpegDecoder jpeg(int width, int height) {
        return new FFmpegDecoder(FrameCodec.JPEG_ID, "jpeg decoder", avcodec.AV_CODEC_ID_MJPEG, false, width, height);
    }

    static FFmpegDecoder h264(int width, int height) {
        return new FFmpegDecoder(FrameCodec.H264_ID, "h264 decoder", avcodec.AV_CODEC_ID_H264, true, width, height);
    }

    private FFmpegDecoder(byte codecId, String subject, int codecIdInFFmpeg, boolean stream, int width, int height) {
        this.codecId = codecId;
        this.subject = subject;
        this.stream = stream;
        this.width = width;
        this.height = height;
        this.needsKeyframe = stream;
        FFmpeg.load(subject);
        AVCodec decoder = avcodec.avcodec_find_decoder(codecIdInFFmpeg);
        if (decoder == null) {
            throw new CodecException(subject + ": the bundled FFmpeg has no such decoder");
        }
        context = avcodec.avcodec_alloc_context3(decoder);
        packet = avcodec.av_packet_alloc();
        frame = avutil.av_frame_alloc();
        long inputBytes = (long) width * height * 4 + avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
        input = new BytePointer(inputBytes);
        if (context == null || packet == null || frame == null || input.isNull()) {
            FFmpeg.free(context, frame, packet, converter, input, targetPlanes, targetStrides);
            throw new CodecException(subject + ": out of memory");
        }
        try {
            // One frame out per packet in: slices in parallel, never frames; no reordering delay.
            context.thread_type(AVCodecContext.FF_THREAD_SLICE);
            context.thread_count(0);
            context.flags(context.flags() | avcodec.AV_CODEC_FLAG_LOW_DELAY);
            // Fail on damage instead of concealing it, so that H.264 waits for a keyframe.
            context.err_recognition(avcodec.AV_EF_EXPLODE);
            FFmpeg.check(avcodec.avcodec_open2(context, decoder, (PointerPointer<?>) null), subject, "cannot open the decoder");
        } catch (RuntimeException e) {
            FFmpeg.free(context, frame, packet, converter, input, targetPlanes, targetStrides);
            throw e;
        }
        inputView = FFmpeg.view(input, inputBytes);
        framePlanes = frame.data();
        frameStrides = frame.linesize();
        targetPlaneSlot = FFmpeg.view(targetPlanes, ValueLayout.ADDRESS.byteSize());
    }

    @Override
    public byte codecId() {
        return codecId;
    }

    @Override
    public boolean decode(MemorySegment payload, MemorySegment target, int rowStride) {
        if (closed) {
            throw new IllegalStateException(subject + " is closed");
        }
        Pixels.checkFrame(target, width, height, rowStride);
        FFmpeg.requireNative(target, "the decoder's target");
        if (needsKeyframe && !H264Stream.isKeyframe(payload)) {
            return false;
        }
        long size = payload.byteSize();
        if (size == 0 || size > inputView.byteSize() - avcodec.AV_INPUT_BUFFER_PADDING_SIZE) {
            throw failed("a payload of " + size + " bytes cannot be a " + width + "x" + height + " frame");
        }
        MemorySegment.copy(payload, 0, inputView, 0, size);
        for (long at = size; at < size + avcodec.AV_INPUT_BUFFER_PADDING_SIZE; at += Long.BYTES) {
            inputView.set(ValueLayout.JAVA_LONG_UNALIGNED, at, 0);
        }
        packet.data(input);
        packet.size((int) size);
        int sent = avcodec.avcodec_send_packet(context, packet);
        if (sent < 0) {
            throw failed(FFmpeg.errorText(sent));
        }
        int received = avcodec.avcodec_receive_frame(context, frame);
        if (received == AVERROR_EAGAIN()) {
            // H.264: a payload of parameter sets alone; a JPEG holds a picture or is damaged.
            if (stream) {
                return false;
            }
            throw failed("the payload holds no picture");
        }
        if (received < 0) {
            throw failed(FFmpeg.errorText(received));
        }
        try {
            if (frame.width() != width || frame.height() != height) {
                throw failed("the payload holds a " + frame.width() + "x" + frame.height() + " frame, not " + width + "x" + height);
            }
            convert(target, rowStride);
        } finally {
            avutil.av_frame_unref(frame);
        }
        needsKeyframe = false;
        return true;
    }

    private void convert(MemorySegment target, int rowStride) {
        if (frame.format() != converterFormat) {
            swscale.sws_freeContext(converter);
            converter = swscale.sws_getContext(width, height, frame.format(), width, height, avutil.AV_PIX_FMT_BGRA,
                    swscale.SWS_BILINEAR, null, null, (DoublePointer) null);
            if (converter == null) {
                converterFormat = avutil.AV_PIX_FMT_NONE;
                throw failed("libswscale cannot convert pixel format " + frame.format() + " to BGRA");
            }
            converterFormat = frame.format();
        }
        targetPlaneSlot.set(ValueLayout.JAVA_LONG, 0, target.address());
        targetStrides.put(0, rowStride);
        // From YUV without alpha, libswscale writes alpha 255: opaque, so premultiplied as it is.
        swscale.sws_scale(converter, framePlanes, frameStrides, 0, height, targetPlanes, targetStrides);
    }

    /** A decoding failure; H.264 then waits for a keyframe, since the pictures after it refer to this one. */
    private CodecException failed(String reason) {
        if (stream) {
            payloadLost();
        }
        return new CodecException(subject + ": " + reason);
    }

    @Override
    public boolean needsKeyframe() {
        return needsKeyframe;
    }

    @Override
    public void payloadLost() {
        if (stream && !closed) {
            needsKeyframe = true;
            // Drops the reference pictures and anything half-decoded: the next keyframe starts afresh.
            avcodec.avcodec_flush_buffers(context);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            FFmpeg.free(context, frame, packet, converter, input, targetPlanes, targetStrides);
        }
    }
}
