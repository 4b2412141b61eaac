package dev.nanobroker.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static dev.nanobroker.ring.HeaderWords.*;
import static dev.nanobroker.ring.RingLayout.*;

/**
 * One reader line of a ring. {@link #poll()} hands out the next frame in place (no copy) and keeps
 * the reader's tail on it, so that under {@code block} no writer can touch it; {@link #release()}
 * checks that it was not overwritten meanwhile and moves the tail past it. Polling and releasing
 * allocate nothing. One thread at a time per reader.
 *
 * <p>Counters in the reader line, readable by every process (docs/ring-layout.md §12): frames
 * delivered intact; skipped (frames a {@code latest} reader passed over by design, to take the
 * newest); lost (frames it wanted and never got intact: lapped by an overwriting writer, or torn);
 * torn (overwritten while held, a subset of lost); and the last publish-to-observe latency. So for
 * every reader that has caught up and holds no frame, frames + skipped + lost equals the frames
 * published since it attached (in general: plus head - tail).
 */
public final class RingReader implements AutoCloseable {


    /**
     * The longest single sleep: a close does not change the futex word, so a reader that went to
     * sleep just as the last writer closed (§9 "Sleeping", robustness) notices it this late at most.
     */
    private static final long MAX_SLEEP_NANOS = 50_000_000L;

    private final SharedRing ring;
    private final MemorySegment header;
    private final ReaderLine line;
    private final ReadMode mode;
    private final int slotCount;
    private final SlotDescriptor[] slots;
    private final Frame frame;
    /** The timeout of a futex sleep, written before each; native memory, as the system call reads it. */
    private final MemorySegment sleepTimeout = Arena.ofAuto().allocate(Posix.TIMESPEC_LENGTH, Long.BYTES);

    private long tail;
    /**
     * The slot of frame {@code tail}, kept with the tail, so that a poll neither divides nor indexes:
     * with {@code slots[tail % slotCount]} an empty poll took 4.9-5.1 ns, with this 3.8-4.0
     * (docs/microbenchmarks.md).
     */
    private SlotDescriptor tailSlot;
    private boolean holding;
    private long frames;
    private long skipped;
    private long lost;
    private long torn;
    /** Set by close, or by {@link #lineTakenAway()} from whichever thread attached the line's next reader. */
    private volatile boolean closed;

    RingReader(SharedRing ring, ReaderLine line, ReadMode mode) {
        this.ring = ring;
        this.header = ring.header();
        this.line = line;
        this.frame = new Frame(line);
        this.mode = mode;
        this.slots = ring.slots();
        this.slotCount = slots.length;
        // §9 attach steps 2 and 3: the line is ours (step 1, the owner CAS, done by the ring); reset
        // what the last owner left.
        line.putModeRelease(mode.code());
        line.resetCounters();
        // §9 attach step 4. Store a tail and count the attach, then look at the head again, all sequentially consistent
        // (store-load). Every claim after that second head sees the new count and so rescans and
        // sees this tail; only the claim of the second head itself may have missed it, and that one
        // overwrites frame second - slots. So keep the frames from the first head on, unless that one
        // frame could be among them.
        long first = ring.checkedHead();
        line.putTailVolatile(first);
        getAndAddLong(header, READER_ATTACHES_OFFSET, 1L);
        long second = getLongVolatile(header, HEAD_OFFSET);
        moveTail(Math.max(first, second - slotCount + 1));
    }

    /**
     * The next frame (in {@code every} mode) or the newest (in {@code latest} mode), held until
     * {@link #release()}; null when no frame newer than the last one is published.
     */
    public Frame poll() {
        requireOpen();
        if (holding) {
            throw new IllegalStateException("release frame " + tail + " before polling the next");
        }
        if (mode == ReadMode.EVERY) {
            // §9 poll step 0. The slot's sequence is published before the head: look there first and
            // the frame is in hand one cache line transfer earlier.
            long inSlot = tailSlot.sequenceAcquire();
            if (inSlot == tail) {
                return hold(tailSlot);
            }
            if ((inSlot & ~SEQUENCE_WRITING_BIT) < tail) {
                // The slot holds an older frame: frame tail is not out yet. Not loading the head
                // keeps a waiting reader on this one line, which the writer's head store then
                // does not take from it.
                return null;
            }
        }
        long head = getLongAcquire(header, HEAD_OFFSET); // §9 poll step 1
        if (tail >= head) {
            return null;
        }
        if (mode == ReadMode.LATEST && head - 1 > tail) {
            skipTo(head - 1); // §9 poll step 2, the latest jump
        }
        while (true) { // §9 poll step 3
            if (tailSlot.sequenceAcquire() == tail) {
                return hold(tailSlot);
            }
            // An overwriting writer lapped us: the slot already holds a newer frame, or is being
            // rewritten. Skip to the oldest frame that can still be intact and count the loss.
            head = getLongAcquire(header, HEAD_OFFSET);
            long oldestIntact = mode == ReadMode.LATEST ? head - 1 : head - slotCount + 1;
            skipTo(Math.max(tail + 1, oldestIntact));
            if (tail >= head) {
                return null;
            }
        }
    }

    /** Holds frame {@code tail}, whose slot's sequence was just seen equal to it (acquire). */
    private Frame hold(SlotDescriptor slot) {
        holding = true;
        return bind(tail, slot);
    }

    /**
     * Points the frame at {@code sequence} in {@code slot}. No clock is read here: the latency is
     * measured when asked ({@link Frame#latencyNanos()}); on a hand-off a clock read cost ~30 ns.
     */
    private Frame bind(long sequence, SlotDescriptor slot) {
        return slot.bind(frame, sequence);
    }

    /**
     * Waits up to {@code timeoutNanos} for a frame, idling with {@code waitStrategy}
     * ({@link WaitStrategy#futex()} sleeps in the kernel until a writer publishes).
     *
     * @return the frame, or null when none came in time, or when the ring's last writer closed it
     *     and every frame is read
     */
    public Frame poll(long timeoutNanos, WaitStrategy waitStrategy) {
        Frame next = poll();
        if (next != null) {
            return next;
        }
        long deadline = System.nanoTime() + timeoutNanos;
        for (long failed = 0; ; failed++) {
            boolean slept = waitStrategy instanceof WaitStrategy.Futex futex && futex.sleeps(failed);
            if (slept) {
                sleepUntilPublished(deadline); // only a reader knows the head to sleep on
            } else {
                waitStrategy.idle(failed);
            }
            next = poll();
            if (next != null || System.nanoTime() - deadline >= 0) {
                return next;
            }
            if (slept && ring.isClosedByProducer() && caughtUp()) {
                return null; // woken by the last writer's close: nothing more will come
            }
        }
    }

    /**
     * §9 "Sleeping": announces this line in SLEEPERS, looks at the head again, and sleeps while its
     * low word is what it saw, until a writer's wake-up or the deadline; then withdraws. The
     * announcement and the writer's HEAD store are each followed by a sequentially consistent load
     * of the other's word, so a publish either sees the bit and wakes, or is seen here.
     */
    private void sleepUntilPublished(long deadline) {
        int bit = 1 << line.index();
        orInt(header, SLEEPERS_OFFSET, bit); // step 1
        try {
            long head = getLongVolatile(header, HEAD_OFFSET); // step 2
            long left = deadline - System.nanoTime();
            if (tail >= head && left > 0) {
                ring.sleepWhileHead((int) head, Math.min(left, MAX_SLEEP_NANOS), sleepTimeout); // step 3
            }
        } finally {
            andInt(header, SLEEPERS_OFFSET, ~bit); // step 4
        }
    }

    /**
     * Lets the held frame go and moves the tail past it.
     *
     * @return true when the frame was intact from poll to release; false when a writer overwrote it
     *     meanwhile (counted as torn and dropped): work done on its pixels must then be discarded
     */
    public boolean release() {
        requireOpen();
        if (!holding) {
            throw new IllegalStateException("no frame is held");
        }
        // §9 release steps 1 and 2, the seqlock check: every pixel load above happens before the
        // sequence is read again.
        VarHandle.acquireFence();
        boolean intact = tailSlot.sequenceOpaque() == tail;
        if (intact) {
            frames++;
            line.putFramesOpaque(frames);
        } else {
            countTorn();
        }
        holding = false;
        int nextSlot = tailSlot.slot() + 1;
        tail++;
        tailSlot = slots[nextSlot == slotCount ? 0 : nextSlot];
        line.putTailRelease(tail);
        return intact;
    }

    // The hooks of DisplayReader, the second way of consuming a line (docs/ring-layout.md §9,
    // "Display reader"): it keeps the tail by its own rule and counts through these.

    /** The head, acquired: every frame below it is published. */
    long head() {
        return getLongAcquire(header, HEAD_OFFSET);
    }

    /** The slot that holds (or will hold) frame {@code sequence}. */
    SlotDescriptor slotOf(long sequence) {
        return slots[(int) (sequence % slotCount)];
    }

    /** Moves the tail (release: the writer may reuse what is below it from now on). */
    void moveTail(long newTail) {
        tail = newTail;
        tailSlot = slotOf(newTail);
        line.putTailRelease(newTail);
    }

    /** Takes frame {@code sequence} from {@code slot}: counts it and binds the frame to it. */
    Frame take(long sequence, SlotDescriptor slot) {
        frames++;
        line.putFramesOpaque(frames);
        return bind(sequence, slot);
    }

    /** Frames passed over by design, to take the newest. */
    void countSkipped(long passedOver) {
        skipped += passedOver;
        line.putSkippedOpaque(skipped);
    }

    /** A frame overwritten while it was read: torn, and so lost (a subset of lost, §12). */
    void countTorn() {
        torn++;
        lost++;
        line.putTornOpaque(torn);
        line.putLostOpaque(lost);
    }

    /**
     * Moves the tail over frames not taken: skipped by design in {@code latest} mode (only the newest
     * is wanted), lost in {@code every} mode (an overwriting writer lapped the reader).
     */
    private void skipTo(long newTail) {
        if (mode == ReadMode.LATEST) {
            skipped += newTail - tail;
            line.putSkippedOpaque(skipped);
        } else {
            lost += newTail - tail;
            line.putLostOpaque(lost);
        }
        moveTail(newTail);
    }

    /** Whether every frame published so far has been polled (or skipped). */
    public boolean caughtUp() {
        requireOpen();
        return tail >= getLongAcquire(header, HEAD_OFFSET);
    }

    /** The sequence of the held frame, or of the next frame this reader wants. */
    public long tail() {
        return tail;
    }

    /** Whether a frame is held (polled and not yet released). */
    public boolean holding() {
        return holding;
    }

    public int line() {
        return line.index();
    }

    public ReadMode mode() {
        return mode;
    }

    public SharedRing ring() {
        return ring;
    }

    public long frames() {
        return frames;
    }

    /** Frames passed over by design (a {@code latest} reader takes only the newest); never a loss. */
    public long skipped() {
        return skipped;
    }

    /** Frames wanted and not got intact: lapped by an overwriting writer, or torn. */
    public long lost() {
        return lost;
    }

    public long torn() {
        return torn;
    }

    void requireOpen() {
        if (closed) {
            throw new IllegalStateException("reader " + line.index() + " of ring " + ring.name() + " is closed");
        }
    }

    /**
     * Another reader of this process was given this line: its owner word was freed behind our back
     * (by a process that judged this one dead, or a stray write). From now on every call fails, and
     * closing touches nothing, since the line is the other reader's.
     */
    void lineTakenAway() {
        closed = true;
    }

    /**
     * Frees the reader line (its tail no longer gates writers), if this reader still holds it: the
     * owner word names processes, not readers, so the ring's record of which reader of this process
     * holds which line decides. Every later call fails with {@link IllegalStateException}.
     */
    @Override
    public void close() {
        if (closed) {
            ring.detached(this);
            return;
        }
        closed = true;
        long me = ProcessIdentity.current();
        // Free the line only while it is still ours; the tail first, so it never gates a new owner.
        if (ring.lineReleased(line.index(), this) && line.ownerAcquire() == me) {
            line.putTailRelease(TAIL_FREE);
            line.compareAndSetOwner(me, 0L);
        }
        ring.detached(this);
    }
}
