package dev.nanobroker.producer.source;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** FFmpeg's and JavaCV's failures in a few words for the user: one line, naming what is wrong and, where known, the fix. */
final class FFmpegFailures {

    private static final Pattern FFMPEG_ERROR = Pattern.compile("error (-?\\d+)");
    /** FFmpeg's AVERROR_INVALIDDATA, FFERRTAG('I','N','D','A'): the input is not something it can read. */
    private static final int AVERROR_INVALIDDATA = -0x41444E49;

    private FFmpegFailures() {
    }

    /** Loads FFmpeg's native libraries (once), quietening its log: our messages say what went wrong. */
    static void loadFFmpeg(String subject) {
        try {
            FFmpegFrameGrabber.tryLoad();
            avutil.av_log_set_level(System.getenv("NANOBROKER_DEBUG") != null ? avutil.AV_LOG_INFO : avutil.AV_LOG_QUIET);
        } catch (FrameGrabber.Exception | RuntimeException | LinkageError e) {
            throw new SourceException("cannot open " + subject + ": FFmpeg's native libraries did not load: "
                    + (lacksPulseAudio(e) ? "libavdevice needs libpulse.so.0, which is missing (on Debian or Ubuntu: apt-get install libpulse0)"
                            : rootMessage(e)), e);
        }
    }

    /**
     * The one system library the bundled FFmpeg needs that a minimal Linux may lack: libavdevice (the
     * camera inputs, loaded by every grabber) links PulseAudio's client library. JavaCPP reports only
     * "no jniavdevice", so name it here.
     */
    private static boolean lacksPulseAudio(Throwable failure) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains("jniavdevice")) {
                return CameraPlatform.current() == CameraPlatform.LINUX
                        && Stream.of("/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib")
                                .noneMatch(dir -> Files.exists(Path.of(dir, "libpulse.so.0")));
            }
        }
        return false;
    }

    /** A few words for the user out of an FFmpeg or JavaCV failure. */
    static String reasonOf(Throwable failure, boolean camera) {
        String message = String.valueOf(failure.getMessage());
        Matcher code = FFMPEG_ERROR.matcher(message);
        if (!code.find()) {
            return rootMessage(failure);
        }
        int error = Integer.parseInt(code.group(1));
        return switch (error) {
            case -2 -> camera ? "no such device" : "no such file";
            case -6, -19 -> "no such device";
            case -16 -> "device busy (another program is using it)";
            case -1, -13 -> "permission denied";
            case AVERROR_INVALIDDATA -> camera ? "not a camera FFmpeg can read" : "not a video file FFmpeg can read";
            default -> ffmpegErrorText(error);
        };
    }

    private static String ffmpegErrorText(int error) {
        try (BytePointer text = new BytePointer(256)) {
            if (avutil.av_strerror(error, text, 256) == 0) {
                String buffer = text.getString(); // all 256 bytes: the words end at the first NUL
                int end = buffer.indexOf('\0');
                String words = end < 0 ? buffer : buffer.substring(0, end);
                return words.isEmpty() ? "FFmpeg error " + error
                        : Character.toLowerCase(words.charAt(0)) + words.substring(1);
            }
        } catch (RuntimeException | LinkageError ignored) {
            // fall through
        }
        return "FFmpeg error " + error;
    }

    static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
    }
}
