package dev.nanobroker.bridge;

import java.util.Locale;

/**
 * Faults a test injects into a receiver's path, as if the network had lost or damaged a frame's
 * part: set only by the system property {@value #PROPERTY}, never by a flag, for example
 * {@code -Dnanobroker.bridge.faults=drop=50,corrupt=70}: every 50th part is dropped before it is
 * looked at, and every 70th part kept has one byte flipped after it was written into the slot. The
 * receiver must then publish none of the frames they hit, and count each.
 */
final class ReceiveFaults {

    static final String PROPERTY = "nanobroker.bridge.faults";

    private final int dropEvery;
    private final int corruptEvery;
    private long parts;
    private long keptParts;
    private long drops;
    private long corruptions;

    ReceiveFaults(int dropEvery, int corruptEvery) {
        this.dropEvery = dropEvery;
        this.corruptEvery = corruptEvery;
    }

    static ReceiveFaults none() {
        return new ReceiveFaults(0, 0);
    }

    /** From {@value #PROPERTY}; none when it is not set. */
    static ReceiveFaults fromSystemProperty() {
        String spec = System.getProperty(PROPERTY, "").trim();
        int drop = 0;
        int corrupt = 0;
        for (String item : spec.isEmpty() ? new String[0] : spec.split(",")) {
            String[] pair = item.trim().toLowerCase(Locale.ROOT).split("=");
            int every = pair.length == 2 && pair[1].matches("\\d{1,9}") ? Integer.parseInt(pair[1]) : 0;
            switch (pair[0]) {
                case "drop" -> drop = every;
                case "corrupt" -> corrupt = every;
                default -> throw new IllegalArgumentException(PROPERTY + ": unknown fault '" + item + "' (drop=N, corrupt=N)");
            }
            if (every < 1) {
                throw new IllegalArgumentException(PROPERTY + ": '" + item + "' needs a count of 1 or more");
            }
        }
        return new ReceiveFaults(drop, corrupt);
    }

    boolean active() {
        return dropEvery > 0 || corruptEvery > 0;
    }

    /** Whether the part now arriving is to be dropped. */
    boolean dropsNext() {
        parts++;
        if (dropEvery > 0 && parts % dropEvery == 0) {
            drops++;
            return true;
        }
        return false;
    }

    /** Whether the part just written (one not dropped) is to be damaged. */
    boolean corruptsNext() {
        keptParts++;
        if (corruptEvery > 0 && keptParts % corruptEvery == 0) {
            corruptions++;
            return true;
        }
        return false;
    }

    long drops() {
        return drops;
    }

    long corruptions() {
        return corruptions;
    }
}
