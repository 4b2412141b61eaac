package dev.nanobroker.ring;

import java.util.Locale;

/** How a reader moves through the ring. */
public enum ReadMode {
    /** Every frame in order; frames lost to an overwriting producer are counted as lost. */
    EVERY(RingLayout.MODE_EVERY),
    /** Jump to the newest frame, counting the frames passed over as skipped (not lost): what a display wants. */
    LATEST(RingLayout.MODE_LATEST);

    private final int code;

    ReadMode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode stored in a reader line, or null for a free or unknown line. */
    public static ReadMode fromCode(int code) {
        for (ReadMode mode : values()) {
            if (mode.code == code) {
                return mode;
            }
        }
        return null;
    }

    public static ReadMode parse(String text) {
        for (ReadMode mode : values()) {
            if (mode.label().equals(text.toLowerCase(Locale.ROOT))) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown read mode '" + text + "': use every or latest");
    }
}
