package dev.nanobroker.ring;

/**
 * How a reader's frames arrived, in the words every tool uses (docs/viewer.md defines them once):
 * delivered, skipped by design (a {@code latest} reader or a display takes only the newest frame
 * when it is slower than the source: not a loss), lost (lapped by an overwriting writer, or torn),
 * and out of order (never expected: each reader's sequence numbers only go up).
 *
 * @param outOfOrder frames whose sequence was not above the one before, as the reader itself saw
 *     (the ring has no counter for it: it cannot happen by the protocol, so a reader that checks
 *     says 0 out loud); 0 where unknown
 */
public record Delivery(long frames, long skipped, long lost, long torn, long outOfOrder) {

    /** What a reader's counters say, for colours and short labels. */
    public enum Verdict {
        /** Every frame published since attach was delivered. */
        EVERY_FRAME("every frame"),
        /** Some frames skipped by design, none lost. */
        SKIPPING("skipping (by design)"),
        /** Frames lost, torn or out of order. */
        LOSING("LOSING");

        private final String label;

        Verdict(String label) {
            this.label = label;
        }

        /** A table cell's worth: "every frame", "skipping (by design)", "LOSING". */
        public String label() {
            return label;
        }
    }

    /** A reader line's counters, as a tool reads them from the ring. */
    public static Delivery of(RingStatus.Reader reader) {
        return new Delivery(reader.frames(), reader.skipped(), reader.lost(), reader.torn(), 0);
    }

    public Verdict verdict() {
        if (lost > 0 || torn > 0 || outOfOrder > 0) {
            return Verdict.LOSING;
        }
        return skipped > 0 ? Verdict.SKIPPING : Verdict.EVERY_FRAME;
    }

    /**
     * One line for people: "every frame delivered", "skipped 410 by design (display slower than the
     * source), none lost", or "lost 12 (lapped or overwritten), skipped 3"; torn and out of order
     * are always said.
     */
    public String describe() {
        String head = switch (verdict()) {
            case EVERY_FRAME -> "every frame delivered";
            case SKIPPING -> "skipped " + skipped + " by design (slower than the source), none lost";
            case LOSING -> "lost " + lost + " (lapped or overwritten)" + (skipped > 0 ? ", skipped " + skipped : "");
        };
        return head + ", torn " + torn + ", out of order " + outOfOrder;
    }
}
