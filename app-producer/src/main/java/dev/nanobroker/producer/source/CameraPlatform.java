package dev.nanobroker.producer.source;

import java.util.Locale;

/** How FFmpeg names cameras on each operating system: its input format, the default camera, a device's input string. */
enum CameraPlatform {
    LINUX("video4linux2"),
    MAC("avfoundation"),
    WINDOWS("dshow");

    final String cameraFormat;

    CameraPlatform(String cameraFormat) {
        this.cameraFormat = cameraFormat;
    }

    static CameraPlatform current() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("mac") || os.contains("darwin")) {
            return MAC;
        }
        if (os.contains("win")) {
            return WINDOWS;
        }
        return LINUX;
    }

    String defaultCamera() {
        return switch (this) {
            case LINUX -> "/dev/video0";
            case MAC -> "0";
            case WINDOWS -> throw new SourceException(
                    "on Windows name the camera: webcam:NAME, as 'ffmpeg -list_devices true -f dshow -i dummy' lists it");
        };
    }

    /** The input string FFmpeg wants for a device. */
    String deviceInput(String device) {
        return this == WINDOWS && !device.startsWith("video=") ? "video=" + device : device;
    }
}
