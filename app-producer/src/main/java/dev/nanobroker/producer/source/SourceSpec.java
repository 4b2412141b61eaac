package dev.nanobroker.producer.source;

/**
 * Where frames come from, as {@code --source} and the producer window name it: {@code pattern},
 * {@code webcam} (the platform's default camera), {@code webcam:DEVICE} or {@code file:PATH}. Parsed
 * once, here; {@link #toString()} gives the text back.
 */
public sealed interface SourceSpec {

    /** The test pattern the settings name. */
    SourceSpec PATTERN = new Pattern();

    /** @throws IllegalArgumentException for any other text, saying what would do */
    static SourceSpec parse(String text) {
        if (text.equals("pattern")) {
            return PATTERN;
        }
        if (text.equals("webcam")) {
            return new Camera(null);
        }
        if (text.startsWith("webcam:")) {
            String device = text.substring("webcam:".length());
            if (device.isBlank()) {
                throw new IllegalArgumentException("source 'webcam:' names no camera: use webcam or webcam:DEVICE, e.g. webcam:/dev/video1");
            }
            return new Camera(device);
        }
        if (text.startsWith("file:")) {
            String path = text.substring("file:".length());
            if (path.isBlank()) {
                throw new IllegalArgumentException("source 'file:' names no file: use file:PATH");
            }
            return new VideoFile(path);
        }
        throw new IllegalArgumentException("unknown source '" + text + "': use pattern, webcam, webcam:/dev/videoN or file:PATH");
    }

    /** A test pattern, drawn straight into the slots. */
    record Pattern() implements SourceSpec {
        @Override
        public String toString() {
            return "pattern";
        }
    }

    /** A camera; {@code device} null for the platform's default one. */
    record Camera(String device) implements SourceSpec {
        @Override
        public String toString() {
            return device == null ? "webcam" : "webcam:" + device;
        }
    }

    /** A video file, played in a loop. */
    record VideoFile(String path) implements SourceSpec {
        @Override
        public String toString() {
            return "file:" + path;
        }
    }
}
