package dev.nanobroker.producer.source;

import dev.nanobroker.frame.Pixels;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVPixFmtDescriptor;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A camera or a video file, read through FFmpeg (JavaCV's {@link FFmpegFrameGrabber}). FFmpeg
 * decodes and converts every frame to BGRA in its own buffer; {@link #next} copies that buffer into
 * the ring slot row by row.
 *
 * <p>Specs: {@code webcam} (the first camera: {@code /dev/video0} on Linux), {@code webcam:DEVICE}
 * (e.g. {@code webcam:/dev/video2}; on macOS an AVFoundation index or name, on Windows a DirectShow
 * name), {@code file:PATH}. A camera is asked for the requested size and rate and delivers what it
 * negotiated ({@link #width()}, {@link #height()}, {@link #nativeFps()} tell); a file delivers its own
 * size and rate, ignores the requested ones, and starts over at its end. Pacing is the caller's: a
 * file is decoded as fast as {@link #next} is called. How cameras are named per operating system is
 * {@link CameraPlatform}; FFmpeg's failures in words, {@link FFmpegFailures}; alpha, {@code Pixels}.
 */
public final class CaptureSource implements FrameSource {

    private enum Kind { CAMERA, FILE }

    private final FFmpegFrameGrabber grabber;
    private final Kind kind;
    private final String name;
    private final String subject;
    private final int width;
    private final int height;
    private final double fps;
    private final boolean sourceHasAlpha;

    /** The last frame buffer seen and its segment: JavaCV reuses its buffer, so this is wrapped once. */
    private ByteBuffer lastBuffer;
    private MemorySegment lastSegment;
    private boolean closed;
    /** Frames whose alpha this source had to set or premultiply itself: for tests and measurements. */
    private long alphaPasses;

    private CaptureSource(FFmpegFrameGrabber grabber, Kind kind, String name, String subject,
                          int width, int height, double fps, boolean sourceHasAlpha) {
        this.grabber = grabber;
        this.kind = kind;
        this.name = name;
        this.subject = subject;
        this.width = width;
        this.height = height;
        this.fps = fps;
        this.sourceHasAlpha = sourceHasAlpha;
    }

    /**
     * Opens a camera or a video file.
     *
     * @param requestedWidth  the size to ask a camera for; 0 or less for its default (files ignore it)
     * @param requestedHeight see {@code requestedWidth}
     * @param requestedFps    the rate to ask a camera for; 0 or less for its default (files ignore it)
     * @throws SourceException when the device or file cannot be opened
     * @throws IllegalArgumentException for {@link SourceSpec#PATTERN}, which is drawn, not captured
     */
    public static CaptureSource open(SourceSpec spec, int requestedWidth, int requestedHeight, double requestedFps) {
        return switch (spec) {
            case SourceSpec.Camera camera -> openCamera(camera.device() == null ? CameraPlatform.current().defaultCamera() : camera.device(),
                    requestedWidth, requestedHeight, requestedFps);
            case SourceSpec.VideoFile file -> openFile(file.path());
            case SourceSpec.Pattern pattern -> throw new IllegalArgumentException("a test pattern is drawn, not captured");
        };
    }

    private static CaptureSource openCamera(String device, int requestedWidth, int requestedHeight, double requestedFps) {
        CameraPlatform platform = CameraPlatform.current();
        String subject = "camera " + device;
        if (platform == CameraPlatform.LINUX) {
            // FFmpeg would say the same, after loading itself and logging; this is quicker and clearer.
            if (!Files.exists(Path.of(device))) {
                throw new SourceException("cannot open " + subject + ": no such device");
            }
        }
        FFmpegFailures.loadFFmpeg(subject);
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(platform.deviceInput(device));
        grabber.setFormat(platform.cameraFormat);
        // Options of the capture device, not the grabber's image size: setImageWidth/Height would make
        // FFmpeg scale whatever the camera delivers, hiding what it negotiated.
        if (requestedWidth > 0 && requestedHeight > 0) {
            grabber.setOption("video_size", requestedWidth + "x" + requestedHeight);
        }
        if (requestedFps > 0) {
            grabber.setOption("framerate", formatRate(requestedFps));
        }
        return start(grabber, Kind.CAMERA, device, subject);
    }

    private static CaptureSource openFile(String path) {
        String subject = "video file " + path;
        Path file = Path.of(path);
        if (!Files.exists(file)) {
            throw new SourceException("cannot open " + subject + ": no such file");
        }
        if (Files.isDirectory(file)) {
            throw new SourceException("cannot open " + subject + ": it is a directory");
        }
        if (!Files.isReadable(file)) {
            throw new SourceException("cannot open " + subject + ": permission denied");
        }
        FFmpegFailures.loadFFmpeg(subject);
        return start(new FFmpegFrameGrabber(path), Kind.FILE, path, subject);
    }

    private static CaptureSource start(FFmpegFrameGrabber grabber, Kind kind, String name, String subject) {
        // FFmpeg converts to BGRA (swscale) in its own buffer; BGRA in memory is the ring's byte order.
        grabber.setPixelFormat(avutil.AV_PIX_FMT_BGRA);
        grabber.setImageMode(FrameGrabber.ImageMode.COLOR);
        try {
            grabber.start();
        } catch (FrameGrabber.Exception | RuntimeException | LinkageError e) {
            releaseQuietly(grabber);
            throw new SourceException("cannot open " + subject + ": " + FFmpegFailures.reasonOf(e, kind == Kind.CAMERA), e);
        }
        try {
            int width = grabber.getImageWidth();
            int height = grabber.getImageHeight();
            if (!grabber.hasVideo() || width <= 0 || height <= 0) {
                throw new SourceException("cannot open " + subject + ": it has no video stream");
            }
            double rate = grabber.getFrameRate();
            double fps = Double.isFinite(rate) && rate > 0 && rate < 10_000 ? rate : 0;
            return new CaptureSource(grabber, kind, name, subject, width, height, fps, hasAlpha(grabber));
        } catch (RuntimeException e) {
            releaseQuietly(grabber);
            throw e;
        }
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public double nativeFps() {
        return fps;
    }

    @Override
    public void next(MemorySegment pixels, int rowStride, long sequence, long nanos) {
        if (closed) {
            throw new IllegalStateException(subject + " is closed");
        }
        long rowBytes = (long) width * 4;
        if (rowStride < rowBytes || pixels.byteSize() < (long) rowStride * (height - 1) + rowBytes) {
            throw new IllegalArgumentException("slot of " + pixels.byteSize() + " bytes, rows " + rowStride
                    + " bytes apart, cannot hold a " + width + "x" + height + " frame");
        }
        Frame frame = grab();
        if (frame.imageWidth != width || frame.imageHeight != height) {
            throw new SourceException(subject + " changed its frame size from " + width + "x" + height
                    + " to " + frame.imageWidth + "x" + frame.imageHeight);
        }
        if (frame.imageChannels != 4 || Frame.pixelSize(frame.imageDepth) != 1
                || !(frame.image[0] instanceof ByteBuffer buffer)) {
            throw new SourceException(subject + ": FFmpeg delivered no BGRA frame (channels "
                    + frame.imageChannels + ", depth " + frame.imageDepth + ")");
        }
        if (buffer != lastBuffer) {
            lastBuffer = buffer;
            lastSegment = MemorySegment.ofBuffer(buffer);
        }
        long sourceStride = (long) frame.imageStride * Frame.pixelSize(frame.imageDepth);
        // The one copy left: FFmpeg decodes (and swscale converts) into buffers it owns and reuses, and
        // cannot be handed the slot as its destination through JavaCV. Copying them into the slot,
        // straight from native memory to shared memory, is a memcpy per row and no Java array.
        if (sourceStride == rowStride) {
            MemorySegment.copy(lastSegment, 0, pixels, 0, rowStride * (long) (height - 1) + rowBytes);
        } else {
            for (int y = 0; y < height; y++) {
                MemorySegment.copy(lastSegment, y * sourceStride, pixels, (long) y * rowStride, rowBytes);
            }
        }
        if (sourceHasAlpha) {
            Pixels.premultiplyAll(pixels, width, height, rowStride);
            alphaPasses++;
        } else if (Pixels.get(pixels, rowStride, 0, 0) >>> 24 != 0xFF) {
            // The source has no alpha, so the frame is opaque; FFmpeg left alpha unset (0 for bgr0/rgb0).
            Pixels.makeOpaque(pixels, width, height, rowStride);
            alphaPasses++;
        }
    }

    /** The next video frame; a file starts over at its end. */
    private Frame grab() {
        Frame frame = grabImage();
        if (frame == null && kind == Kind.FILE) {
            rewind();
            frame = grabImage();
            if (frame == null) {
                throw new SourceException(subject + ": no frame could be decoded after starting over");
            }
        }
        if (frame == null) {
            throw new SourceException(subject + " stopped delivering frames");
        }
        return frame;
    }

    private Frame grabImage() {
        try {
            Frame frame;
            do {
                frame = grabber.grabImage();
            } while (frame != null && (frame.image == null || frame.image[0] == null));
            return frame;
        } catch (FrameGrabber.Exception | RuntimeException e) {
            throw new SourceException("cannot read " + subject + ": " + FFmpegFailures.reasonOf(e, kind == Kind.CAMERA), e);
        }
    }

    private void rewind() {
        try {
            grabber.setTimestamp(0);
        } catch (FrameGrabber.Exception | RuntimeException seekFailed) {
            // Not seekable (a raw stream, say): open the file again.
            try {
                grabber.restart();
            } catch (FrameGrabber.Exception | RuntimeException e) {
                throw new SourceException("cannot start " + subject + " over: " + FFmpegFailures.reasonOf(e, kind == Kind.CAMERA), e);
            }
        }
    }

    /** How many frames needed a pass over their pixels for alpha (opaque fill or premultiplying). */
    long alphaPasses() {
        return alphaPasses;
    }

    @Override
    public String description() {
        String what = kind == Kind.CAMERA ? "webcam " + name : "file " + Path.of(name).getFileName();
        String rate = fps > 0 ? formatRate(fps) + " fps" : "unknown fps";
        return what + " " + width + "x" + height + " @ " + rate;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            lastBuffer = null;
            lastSegment = null;
            releaseQuietly(grabber);
        }
    }

    @Override
    public String toString() {
        return description();
    }

    private static boolean hasAlpha(FFmpegFrameGrabber grabber) {
        AVFormatContext context = grabber.getFormatContext();
        if (context == null) {
            return false;
        }
        for (int i = 0; i < context.nb_streams(); i++) {
            var parameters = context.streams(i).codecpar();
            if (parameters.codec_type() == avutil.AVMEDIA_TYPE_VIDEO) {
                AVPixFmtDescriptor descriptor = avutil.av_pix_fmt_desc_get(parameters.format());
                return descriptor != null && (descriptor.flags() & avutil.AV_PIX_FMT_FLAG_ALPHA) != 0;
            }
        }
        return false;
    }

    private static void releaseQuietly(FFmpegFrameGrabber grabber) {
        try {
            grabber.close();
        } catch (FrameGrabber.Exception | RuntimeException | LinkageError ignored) {
            // nothing more to free
        }
    }

    static String formatRate(double rate) {
        long whole = Math.round(rate);
        if (Math.abs(rate - whole) < 0.005) {
            return Long.toString(whole);
        }
        return String.format(Locale.ROOT, "%.2f", rate);
    }
}
