package dev.nanobroker.ring;

import java.util.Locale;

/**
 * Whether a ring followed by name has a signal: the attach / retry / no-signal state machine that a
 * display and a headless reader share. It does no I/O and reads no clock: the caller attaches,
 * polls and looks at the ring's header ({@link #healthOf}), tells this what happened and when
 * ({@code now}, any monotonic nanosecond clock), and asks it what to do next. Not thread-safe: one
 * thread drives it.
 *
 * <p>The states: {@link State#WAITING} until a first frame arrives (the ring does not exist yet,
 * cannot be attached, or has sent nothing); {@link State#RECEIVING} while frames arrive;
 * {@link State#NO_SIGNAL} once they stopped, with the reason ({@link Loss}). A ring replaced by a new
 * producer's file is detached ({@link #checked} says so) and the next one attached when it appears,
 * so a follower survives producer restarts by itself.
 */
public final class RingSignal {

    /** How the signal is. */
    public enum State {
        /** No frame yet: the ring does not exist, cannot be attached, or has sent nothing. */
        WAITING,
        /** Frames arrive. */
        RECEIVING,
        /** Frames came and stopped. */
        NO_SIGNAL
    }

    /** What the ring's header says at a check. */
    public enum Health {
        /** A live producer holds the ring. */
        LIVE,
        /** The producer closed the ring (it may still hold frames not yet read). */
        CLOSED,
        /** The producer's process is gone, the file still there. */
        PRODUCER_GONE,
        /** A new producer made a new file under the name, or the file was removed: detach. */
        REPLACED
    }

    /** Why frames stopped. */
    public enum Loss {
        PRODUCER_GONE("producer gone"),
        CLOSED("producer closed the ring"),
        NO_NEW_FRAME("no new frame");

        private final String words;

        Loss(String words) {
            this.words = words;
        }

        /** In words, for a status line. */
        public String words() {
            return words;
        }
    }

    /** The intervals a viewer uses: retry attaching every 200 ms, check the header every 250 ms, silence after 2 s. */
    public static final RingSignal.Timing DISPLAY = new Timing(200_000_000L, 250_000_000L, 2_000_000_000L);

    /**
     * @param retryNanos   between two attempts to attach
     * @param checkNanos   between two looks at the header while no frame comes
     * @param silenceNanos without a frame from a live producer before it counts as no signal
     */
    public record Timing(long retryNanos, long checkNanos, long silenceNanos) {
        public Timing {
            if (retryNanos <= 0 || checkNanos <= 0 || silenceNanos <= 0) {
                throw new IllegalArgumentException("every interval must be more than 0");
            }
        }
    }

    private final String name;
    private final Timing timing;
    private State state = State.WAITING;
    private Loss loss;
    private boolean attached;
    private String waitingFor;
    private long nextAttempt;
    private long nextCheck;
    private long lastFrame;
    private long attachedAt;
    private boolean everReceived;

    /** Follows the ring {@code name}, starting detached at {@code now}. */
    public RingSignal(String name, Timing timing, long now) {
        this.name = name;
        this.timing = timing;
        this.nextAttempt = now;
        this.lastFrame = now;
        this.attachedAt = now;
        this.waitingFor = "waiting for " + name + "…";
    }

    /** What the header of {@code ring} says now: the one place that reads it for this machine. */
    public static Health healthOf(SharedRing ring) {
        if (ring.isReplaced()) {
            return Health.REPLACED;
        } else if (ring.isClosedByProducer()) {
            return Health.CLOSED;
        } else if (!ring.isProducerAlive()) {
            return Health.PRODUCER_GONE;
        }
        return Health.LIVE;
    }

    /** Detached, and time to try attaching again. */
    public boolean shouldAttach(long now) {
        return !attached && now - nextAttempt >= 0;
    }

    /** An attempt failed: the ring does not exist yet ({@code reason} null), or cannot be attached, for {@code reason}. */
    public void attachFailed(String reason, long now) {
        nextAttempt = now + timing.retryNanos();
        waitingFor = reason == null ? "waiting for " + name + "…" : reason;
    }

    /** Attached to the ring as it is now: its silence counts from here. */
    public void attached(long now) {
        attached = true;
        nextCheck = now + timing.checkNanos();
        attachedAt = now;
        waitingFor = "waiting for the first frame of " + name + "…";
    }

    /** A frame arrived. */
    public void frame(long now) {
        lastFrame = now;
        everReceived = true;
        state = State.RECEIVING;
        loss = null;
    }

    /** Attached, no frame came, and time to look at the header ({@link #healthOf}). */
    public boolean shouldCheck(long now) {
        return attached && now - nextCheck >= 0;
    }

    /**
     * What a look at the header found.
     *
     * @return true when the caller must detach (the ring was replaced) and attach again when
     *     {@link #shouldAttach} says
     */
    public boolean checked(Health health, long now) {
        nextCheck = now + timing.checkNanos();
        switch (health) {
            case REPLACED -> {
                attached = false;
                nextAttempt = now;
                lose(Loss.PRODUCER_GONE);
                return true;
            }
            case CLOSED -> lose(Loss.CLOSED);
            case PRODUCER_GONE -> lose(Loss.PRODUCER_GONE);
            case LIVE -> {
                if (silentNanos(now) > timing.silenceNanos()) {
                    lose(Loss.NO_NEW_FRAME);
                }
            }
        }
        return false;
    }

    private void lose(Loss why) {
        if (everReceived) {
            state = State.NO_SIGNAL;
            loss = why;
        } else {
            waitingFor = "waiting for the first frame of " + name + "… (" + why.words() + ")";
        }
    }

    public Timing timing() {
        return timing;
    }

    public State state() {
        return state;
    }

    /** Why frames stopped, in {@link State#NO_SIGNAL}; null otherwise. */
    public Loss loss() {
        return loss;
    }

    public boolean isAttached() {
        return attached;
    }

    /** Nanoseconds without a frame: since the last one, or since attaching when that came later. */
    public long silentNanos(long now) {
        return now - Math.max(lastFrame, attachedAt);
    }

    /** What a status line says: why it is waiting, "NO SIGNAL — why, last frame n s ago", or "" while receiving. */
    public String describe(long now) {
        return switch (state) {
            case WAITING -> waitingFor;
            case RECEIVING -> "";
            case NO_SIGNAL -> String.format(Locale.ROOT, "NO SIGNAL — %s, last frame %.1f s ago", loss.words(), (now - lastFrame) / 1e9);
        };
    }
}
