package dev.nanobroker.ring;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import static dev.nanobroker.ring.HeaderWords.*;
import static dev.nanobroker.ring.RingLayout.*;

/**
 * Writes frames into a ring in place: {@link #claim()} takes the write lock and hands out the next
 * slot's memory, the caller renders into it, {@link FrameClaim#publish()} makes it visible and
 * releases the lock. Several writers, in one process or many, serialise through the lock. Claiming
 * and publishing allocate nothing. One thread at a time per writer.
 *
 * <pre>{@code
 * try (SharedRing ring = SharedRing.openForWriting("cam0", RingGeometry.of(1920, 1080, 4));
 *      RingWriter writer = ring.writer(OverflowPolicy.block(Duration.ofSeconds(1)))) {
 *     FrameClaim frame = writer.claim();
 *     if (frame != null) {           // null: the overflow policy dropped this frame
 *         render(frame.pixels());
 *         frame.publish();
 *     }
 * }
 * }</pre>
 */
public final class RingWriter implements AutoCloseable {

    /** How often the writer frees the lines of dead readers while it runs. */
    static final long SWEEP_INTERVAL_NANOS = 500_000_000L;
    /** The publish time that asks {@link #publish} to read the clock: no time a writer's user gives. */
    static final long STAMP_NOW = Long.MIN_VALUE;
    /** How often a waiting writer checks whether a gating reader or the lock owner died. */
    static final long LIVENESS_CHECK_NANOS = 50_000_000L;

    private static final VarHandle IN_CLAIM;

    static {
        try {
            IN_CLAIM = MethodHandles.lookup().findVarHandle(RingWriter.class, "inClaim", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SharedRing ring;
    private final MemorySegment header;
    private final OverflowPolicy policy;
    private final int slotCount;
    private final long token = ProcessIdentity.current();
    private final SlotDescriptor[] slots;
    private final ReaderLine[] readerLines;
    private final FrameClaim claim = new FrameClaim(this);
    private final WaitStrategy lockWait = WaitStrategy.defaultStrategy();
    private final OverflowPolicy.RoomCheck roomCheck = this::hasRoomForClaim;
    private final int writerLine;

    private long claimedSequence = -1;
    /** The oldest tail the last scan found, and READER_ATTACHES at that scan: see {@link #hasRoom}. */
    private long oldestTailSeen;
    private long readerAttachesSeen = -1;
    /**
     * The last frame's publish time, which stands in for "now" when deciding on a sweep, so that a
     * claim reads no clock (a time given to {@link FrameClaim#publish(long)} is a recent one too).
     */
    private long lastPublishNanos;
    private long nextSweepNanos;
    private long nextLivenessNanos;
    private long lockTakeovers;
    /** When the running block wait last added to BLOCKED_NANOS (0: no wait running). */
    private long blockedAccountedNanos;
    /**
     * Set by {@link #close()}, which may come from another thread (through {@link SharedRing#close()})
     * while a claim waits: the claim's waits look at it and give up, releasing the lock.
     */
    private volatile boolean closing;
    /** Whether a thread is inside {@link #claim()}; close waits for it to leave before unmapping. */
    private volatile boolean inClaim;
    private boolean closed;

    RingWriter(SharedRing ring, OverflowPolicy policy) {
        this.ring = ring;
        this.header = ring.header();
        this.policy = policy;
        this.slots = ring.slots();
        this.slotCount = slots.length;
        this.readerLines = ring.readerLines();
        writerLine = claimWriterLine();
        becomeProducer();
        lastPublishNanos = System.nanoTime();
        nextSweepNanos = lastPublishNanos;
    }

    /** Enters this writer in the writers line, over a free entry or one of a dead process. */
    private int claimWriterLine() {
        for (int line = 0; line < MAX_WRITERS; line++) {
            long offset = writerTokenOffset(line);
            long entry = getLongAcquire(header, offset);
            if ((entry == 0 || !ProcessIdentity.isAlive(entry)) && compareAndSetLong(header, offset, entry, token)) {
                return line;
            }
        }
        throw new RingException("all " + MAX_WRITERS + " writer slots of " + ring.name() + " are taken by live writers");
    }

    private void becomeProducer() {
        putLongRelease(header, PRODUCER_TOKEN_OFFSET, token);
        getAndAddLong(header, EPOCH_OFFSET, 1L);
        putIntRelease(header, STATE_OFFSET, STATE_OPEN);
    }

    /**
     * Takes the write lock and the next slot. When the slowest reader still holds that slot the
     * overflow policy decides: wait, drop, or overwrite.
     *
     * @return the claimed slot, to fill and publish; null when the policy dropped the frame (the lock
     *     is then already released and a producer drop counted)
     */
    public FrameClaim claim() {
        if (claimedSequence >= 0) {
            throw new IllegalStateException("publish or abort the frame already claimed");
        }
        inClaim = true; // volatile store, then the volatile load of closing: close() does the reverse
        try {
            requireOpen();
            if (lastPublishNanos - nextSweepNanos >= 0) {
                // §8 step 0, outside the lock: reading /proc takes tens of µs, no other writer should wait for it.
                nextSweepNanos = lastPublishNanos + SWEEP_INTERVAL_NANOS;
                ring.reclaimDeadReaders();
            }
            boolean tookOver = acquireLock(); // §8 step 1
            try {
                return claimLocked(tookOver);
            } catch (RuntimeException | Error e) {
                releaseLock(); // whatever went wrong, no writer may be left waiting for a lock nobody will free
                throw e;
            }
        } finally {
            // A release store is enough on the way out (close() waits until it sees it); only the
            // way in needs the store-load ordering against close()'s store of closing.
            IN_CLAIM.setRelease(this, false);
        }
    }

    /** Steps 2 to 7 of a claim (docs/ring-layout.md §8), holding the lock; releases it only to drop. */
    private FrameClaim claimLocked(boolean tookOver) {
        // §8 step 2: the last other writer may have closed the ring just as we attached; we still publish.
        if (getIntOpaque(header, STATE_OFFSET) != STATE_OPEN) {
            becomeProducer();
        }
        // §8 step 3: the head, and after a lock takeover the dead owner's half-finished publish.
        long sequence = ring.checkedHead();
        if (tookOver) {
            sequence = finishPublishOfDeadOwner(sequence);
        }
        // §8 steps 4 to 6: room for this frame, else the overflow policy decides.
        if (!roomFor(sequence)) {
            addLongOpaque(header, PRODUCER_DROPS_OFFSET, 1);
            releaseLock();
            return null;
        }
        // §8 step 7, the seqlock's WRITING mark: stored before the first pixel changes.
        SlotDescriptor slot = slots[(int) (sequence % slotCount)];
        slot.putSequenceOpaque(sequence | SEQUENCE_WRITING_BIT);
        VarHandle.storeStoreFence();
        claimedSequence = sequence;
        claim.bind(sequence, slot);
        return claim;
    }

    /**
     * Whether frame {@code sequence} may be written (§8 steps 4 to 6). Three looks, cheapest first:
     * the cached oldest tail ({@link #hasRoom}, usually without reading any reader line); then, on
     * "full", a fresh head after freeing dead readers' lines ({@link #hasRoomForClaim}); then the
     * overflow policy ({@link #admitByPolicy}: {@code block} waits and looks again, {@code drop}
     * refuses, {@code overwrite} goes ahead).
     */
    private boolean roomFor(long sequence) {
        return hasRoom(sequence) || hasRoomForClaim() || admitByPolicy();
    }

    private boolean admitByPolicy() {
        if (policy.waits()) {
            blockedAccountedNanos = System.nanoTime();
        }
        try {
            return policy.admit(roomCheck);
        } finally {
            if (blockedAccountedNanos != 0) {
                accountBlocked(System.nanoTime());
                blockedAccountedNanos = 0;
            }
        }
    }

    /**
     * Adds the wait since the last call to BLOCKED_NANOS: a wait counts while it runs, so that tools
     * see a blocked writer as blocked, not only once its wait is over (only the lock holder writes it).
     */
    private void accountBlocked(long now) {
        addLongOpaque(header, BLOCKED_NANOS_OFFSET, now - blockedAccountedNanos);
        blockedAccountedNanos = now;
    }

    /** Looks again, first freeing dead readers' lines (at most every {@link #LIVENESS_CHECK_NANOS}). */
    private boolean hasRoomForClaim() {
        requireOpen();
        long now = System.nanoTime();
        if (blockedAccountedNanos != 0) {
            accountBlocked(now);
        }
        if (now - nextLivenessNanos >= 0) {
            nextLivenessNanos = now + LIVENESS_CHECK_NANOS;
            ring.reclaimDeadReaders();
        }
        return hasRoom(ring.checkedHead());
    }

    /**
     * Whether writing {@code sequence} leaves every frame an attached reader has not released intact.
     * Tails only grow (a freed line's tail is {@code TAIL_FREE}), so the oldest tail of the last scan
     * stays a safe bound until a reader attaches: the lines are scanned again only when that bound
     * says "full" or {@code READER_ATTACHES} moved. Most claims thus read no reader's tail line,
     * which the reader has just written and would otherwise have to hand over.
     */
    private boolean hasRoom(long sequence) {
        // §8 step 4, the writer's half of the store-load pattern of a reader's attach (§9 step 4, see
        // RingReader's constructor): the lock CAS is such a barrier in practice; this makes it explicit.
        VarHandle.fullFence();
        // §8 step 5: the bound of the last scan holds while no reader attached since.
        long attaches = getLongAcquire(header, READER_ATTACHES_OFFSET);
        if (attaches == readerAttachesSeen && sequence - oldestTailSeen < slotCount) {
            return true;
        }
        long oldest = Long.MAX_VALUE;
        for (ReaderLine line : readerLines) {
            if (line.ownerAcquire() != 0) {
                oldest = Math.min(oldest, line.tailAcquire());
            }
        }
        readerAttachesSeen = attaches;
        oldestTailSeen = oldest;
        return sequence - oldest < slotCount;
    }

    /**
     * After a lock takeover: a dead owner that stored its frame's sequence but not the head has
     * published a complete frame that readers may already hold (an {@code every} reader looks at the
     * slot before the head). Finish that publish rather than write the same sequence again.
     */
    private long finishPublishOfDeadOwner(long head) {
        if (slots[(int) (head % slotCount)].sequenceAcquire() == head) {
            putLongRelease(header, HEAD_OFFSET, head + 1);
            return head + 1;
        }
        return head;
    }

    /**
     * Steps 9 to 12 of §8: the descriptor, then the sequence and the head (release), then the lock.
     * {@code publishNanos} is the frame's publish time, or {@link #STAMP_NOW} to read the clock.
     */
    void publish(long sequence, SlotDescriptor slot, int width, int height, int rowStride, long checksum,
                 long sourceSequence, long publishNanos) {
        requireClaimed(sequence);
        slot.putFields(width, height, rowStride, checksum, sourceSequence); // §8 step 9
        // The clock read after the other fields, as close to the release as it can be: taken before
        // them, it cost a claim and publish 5 ns (docs/microbenchmarks.md).
        lastPublishNanos = publishNanos == STAMP_NOW ? System.nanoTime() : publishNanos;
        slot.putPublishNanos(lastPublishNanos);
        // §8 steps 10 and 11, release: pixels and fields are visible to whoever sees the sequence, then the head.
        slot.putSequenceRelease(sequence);
        // §8 steps 11 and 12, a store-load pattern with a reader going to sleep (§9 "Sleeping"):
        // HEAD seq_cst, then SLEEPERS seq_cst; a system call only while somebody sleeps.
        putLongVolatile(header, HEAD_OFFSET, sequence + 1);
        if (getIntVolatile(header, SLEEPERS_OFFSET) != 0) {
            ring.wakeSleepers();
        }
        claimedSequence = -1;
        releaseLock();
    }

    void abort(long sequence) {
        requireClaimed(sequence);
        // The slot keeps its WRITING mark: its old frame is gone, and no reader may take it as good.
        claimedSequence = -1;
        releaseLock();
    }

    private void requireClaimed(long sequence) {
        if (sequence != claimedSequence || sequence < 0) {
            throw new IllegalStateException("frame " + sequence + " is not claimed by this writer");
        }
    }

    /** @return whether the lock was taken over from a dead owner */
    private boolean acquireLock() {
        if (compareAndSetLong(header, LOCK_OWNER_OFFSET, 0L, token)) {
            return false;
        }
        long nextCheck = System.nanoTime() + LIVENESS_CHECK_NANOS;
        for (long failed = 0; ; failed++) {
            long owner = getLongAcquire(header, LOCK_OWNER_OFFSET);
            if (owner == 0) {
                if (compareAndSetLong(header, LOCK_OWNER_OFFSET, 0L, token)) {
                    return false;
                }
                continue;
            }
            requireOpen();
            long now = System.nanoTime();
            if (now - nextCheck >= 0) {
                nextCheck = now + LIVENESS_CHECK_NANOS;
                // A replacer keeps the lock of the file it replaced for good (§2): waiting is in vain, and
                // taking it over from a dead replacer would publish into a file without a name.
                if (ring.isReplaced()) {
                    throw new RingException("ring " + ring.name() + " was replaced or removed while this writer"
                            + " waited for its lock; open it again");
                }
                // The owner died holding the lock. It may have stored its frame's sequence but not the
                // head; claimLocked then finishes that publish (§8 step 3), else the slot it was
                // writing keeps its WRITING mark and the same sequence is written again.
                if (!ProcessIdentity.isAlive(owner) && compareAndSetLong(header, LOCK_OWNER_OFFSET, owner, token)) {
                    lockTakeovers++;
                    return true;
                }
            }
            lockWait.idle(failed);
        }
    }

    private void releaseLock() {
        putLongRelease(header, LOCK_OWNER_OFFSET, 0L);
    }

    public OverflowPolicy policy() {
        return policy;
    }

    public SharedRing ring() {
        return ring;
    }

    /** How many times this writer took the lock over from a dead writer. */
    public long lockTakeovers() {
        return lockTakeovers;
    }

    /** Frames this ring's writers dropped under the overflow policy (all writers together). */
    public long producerDrops() {
        return getLongOpaque(header, PRODUCER_DROPS_OFFSET);
    }

    /** Time all writers of this ring spent waiting for readers, in ns. */
    public long blockedNanos() {
        return getLongOpaque(header, BLOCKED_NANOS_OFFSET);
    }

    private void requireOpen() {
        if (closing) {
            throw new IllegalStateException("writer of ring " + ring.name() + " is closed");
        }
    }

    /**
     * Aborts a claimed frame, detaches, and marks the ring closed if no live writer is left. From
     * another thread while a claim waits (for the lock or for room), that claim gives up within a
     * park interval, releasing the lock, and throws {@link IllegalStateException}; close waits for it.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closing = true;
        while (inClaim) {
            Thread.onSpinWait(); // a waiting claim checks closing at least every millisecond
        }
        if (claimedSequence >= 0) {
            abort(claimedSequence);
        }
        compareAndSetLong(header, writerTokenOffset(writerLine), token, 0L);
        if (ring.liveWriters() == 0) {
            ring.markClosed();
        }
        closed = true;
        ring.detached(this);
    }
}
