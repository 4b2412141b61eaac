package dev.nanobroker.bridge;

import dev.nanobroker.ring.FrameChecksum;
import dev.nanobroker.ring.FrameClaim;
import dev.nanobroker.ring.OverflowPolicy;
import dev.nanobroker.ring.RingGeometry;
import dev.nanobroker.ring.RingWriter;
import dev.nanobroker.ring.SharedRing;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.foreign.MemorySegment;
import java.util.function.IntPredicate;

/**
 * The receiver's reassembly. Takes frame parts in the order Aeron delivers them and writes each
 * straight into a slot claimed in the local ring; publishes the frame only when all its parts came,
 * in order, and the whole frame's checksum matches; otherwise aborts the claim, so no reader ever
 * sees a partial or damaged frame. Every frame the sender numbered is counted once: received,
 * incomplete (some of its parts never came), corrupt (its checksum did not match), lost (none of it
 * came) or dropped (the local ring's overflow policy refused it).
 *
 * <p>The local ring is opened at the first frame, with the frame's geometry and the sender's slot
 * count (or {@code slots}), and opened anew when the geometry changes. It must be this receiver's
 * own: a live producer already writing it is refused. One thread; nothing here throws out of
 * {@link #accept} (Aeron would swallow it): a failure is kept for {@link #failure}.
 */
final class FrameAssembly implements AutoCloseable {

    /** A frame whose next part has not come for this long is given up (its sender died, or the image went). */
    static final long STALE_NANOS = 1_000_000_000L;

    /**
     * @param localName the ring to write
     * @param slots     its slot count; 0 = the sender's
     */
    record Settings(String localName, OverflowPolicy policy, int slots) {
    }

    private final Settings settings;
    private final ReceiveFaults faults;
    private final IntPredicate senderOnThisHost;
    private final UnsafeBuffer slot = new UnsafeBuffer(new byte[0]);
    private final HopLatency publishToSent = new HopLatency();
    private final HopLatency sentToReceived = new HopLatency();
    private final HopLatency receivedToRepublished = new HopLatency();
    private final HopLatency publishToRepublished = new HopLatency();
    private SharedRing ring;
    private RingWriter writer;
    /** The local ring's geometry: the last one opened, kept after close for the report. */
    private RingGeometry geometry;
    private RuntimeException failure;

    /** The sender whose frames are being read (an Aeron session), and whether it shares this host's clock. */
    private int session;
    private boolean inSession;
    private boolean clocksComparable;
    /** The highest message number of this session seen so far, -1 before the first. */
    private long lastMessage = -1;
    /** The frame being assembled: its claim, its first part's header, and where the next part must start. */
    private FrameClaim claim;
    private FramePart frame;
    private int nextPart;
    private long nextOffset;
    private long lastPartNanos;

    private long received;
    private long lost;
    private long incomplete;
    private long corrupt;
    private long dropped;
    private long malformed;
    private String lastMalformed;
    private long bytes;

    /**
     * @param senderOnThisHost whether the sender of a session runs on this host: then its clock is
     *     this host's, and the hops that span both hosts can be timed
     */
    FrameAssembly(Settings settings, ReceiveFaults faults, IntPredicate senderOnThisHost) {
        this.settings = settings;
        this.faults = faults;
        this.senderOnThisHost = senderOnThisHost;
    }

    /** One message as Aeron delivered it (a whole part, reassembled from its fragments), arrived at {@code now}. */
    void accept(int sessionId, DirectBuffer buffer, int offset, int length, long now) {
        if (failure != null) {
            return;
        }
        try {
            acceptPart(sessionId, buffer, offset, length, now);
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    private void acceptPart(int sessionId, DirectBuffer buffer, int offset, int length, long now) {
        FramePart part;
        try {
            part = FramePart.decode(buffer, offset, length);
        } catch (FramePart.MalformedPartException e) {
            malformed++;
            lastMalformed = e.getMessage();
            return;
        }
        if (faults.dropsNext()) {
            return; // as if the network had lost it
        }
        if (!inSession || sessionId != session) {
            giveUp(); // another sender (a restarted one): its numbering starts again
            inSession = true;
            session = sessionId;
            clocksComparable = senderOnThisHost.test(sessionId);
            lastMessage = -1;
        }
        if (part.message() > lastMessage) {
            giveUp(); // the frame in progress will get no more parts
            if (lastMessage >= 0) {
                lost += part.message() - lastMessage - 1;
            }
            lastMessage = part.message();
            if (part.partIndex() != 0) {
                incomplete++; // its first parts never came
                return;
            }
            begin(part);
        }
        if (claim == null || part.message() != frame.message()) {
            return; // a part of a frame already given up on, or dropped by the ring's policy
        }
        if (part.partIndex() != nextPart || part.partOffset() != nextOffset || !sameFrame(part)) {
            giveUp(); // a part is missing
            return;
        }
        buffer.getBytes(offset + FramePart.HEADER_LENGTH, slot, (int) part.partOffset(), part.partLength());
        if (faults.corruptsNext()) {
            int damaged = (int) part.partOffset();
            slot.putByte(damaged, (byte) ~slot.getByte(damaged)); // as if the network had flipped a bit's worth
        }
        nextPart++;
        nextOffset += part.partLength();
        lastPartNanos = now;
        if (part.last()) {
            finish(now);
        }
    }

    /** A frame's first part: claims a slot for it (opening the local ring at the first frame or a new geometry). */
    private void begin(FramePart first) {
        RingGeometry geometry;
        try {
            geometry = new RingGeometry(first.width(), first.height(), first.rowStride(),
                    settings.slots() > 0 ? settings.slots() : first.slotCount());
        } catch (IllegalArgumentException e) {
            malformed++;
            lastMalformed = e.getMessage();
            return;
        }
        if (ring == null || !ring.geometry().equals(geometry)) {
            openRing(geometry);
        }
        claim = writer.claim();
        if (claim == null) {
            dropped++; // the local ring is full of frames its readers hold, and its policy said drop
            return;
        }
        frame = first;
        nextPart = 0;
        nextOffset = 0;
        slot.wrap(claim.pixels().address(), (int) first.frameLength());
    }

    private void openRing(RingGeometry geometry) {
        closeRing();
        SharedRing opened = SharedRing.openForWriting(settings.localName(), geometry);
        int live = opened.liveWriters();
        if (live > 0) {
            opened.close();
            throw new BridgeException("ring " + settings.localName() + " already has a live producer (" + live
                    + " writer(s)); receive into another ring with --as NAME");
        }
        try {
            writer = opened.writer(settings.policy());
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
        ring = opened;
        this.geometry = geometry;
    }

    private boolean sameFrame(FramePart part) {
        return part.sequence() == frame.sequence() && part.frameLength() == frame.frameLength()
                && part.checksum() == frame.checksum() && part.partCount() == frame.partCount();
    }

    /** The last part came: publish the frame if its bytes are the sender's, else drop it. */
    private void finish(long now) {
        if (nextOffset != frame.frameLength()) {
            giveUp();
            return;
        }
        MemorySegment pixels = claim.pixels().asSlice(0, frame.frameLength());
        long checksum = FrameChecksum.of(pixels);
        if (checksum != frame.checksum()) {
            claim.abort();
            claim = null;
            corrupt++;
            return;
        }
        claim.checksum(checksum).publish();
        claim = null;
        long republished = System.nanoTime();
        received++;
        bytes += frame.frameLength();
        publishToSent.record(frame.sentNanos() - frame.publishNanos());
        receivedToRepublished.record(republished - now);
        if (clocksComparable) {
            sentToReceived.record(now - frame.sentNanos());
            publishToRepublished.record(republished - frame.publishNanos());
        }
    }

    /** Aborts the frame in progress, if any: it counts as incomplete. */
    private void giveUp() {
        if (claim != null) {
            claim.abort();
            claim = null;
            incomplete++;
        }
    }

    /** Gives up a frame whose next part has not come for {@link #STALE_NANOS}; the receiver calls it while idle. */
    void expire(long now) {
        if (claim != null && now - lastPartNanos > STALE_NANOS) {
            giveUp();
        }
    }

    /** What went wrong inside {@link #accept} (the local ring could not be opened or written), or null. */
    RuntimeException failure() {
        return failure;
    }

    private void closeRing() {
        if (writer != null) {
            writer.close();
            writer = null;
        }
        if (ring != null) {
            ring.close();
            ring = null;
        }
    }

    /** Aborts the frame in progress (incomplete), detaches the writer (closing the ring if it was the last), unmaps. */
    @Override
    public void close() {
        giveUp();
        closeRing();
    }

    long received() {
        return received;
    }

    long lost() {
        return lost;
    }

    long incomplete() {
        return incomplete;
    }

    long corrupt() {
        return corrupt;
    }

    long dropped() {
        return dropped;
    }

    long malformed() {
        return malformed;
    }

    /** Why the last malformed message was refused, or null. */
    String lastMalformed() {
        return lastMalformed;
    }

    long bytes() {
        return bytes;
    }

    /** Whether the current sender shares this host's clock, so that {@link #sentToReceived} is measured. */
    boolean clocksComparable() {
        return clocksComparable;
    }

    /** The local ring's geometry, or null before the first frame. */
    RingGeometry geometry() {
        return geometry;
    }

    ReceiveFaults faults() {
        return faults;
    }

    HopLatency publishToSent() {
        return publishToSent;
    }

    HopLatency sentToReceived() {
        return sentToReceived;
    }

    HopLatency receivedToRepublished() {
        return receivedToRepublished;
    }

    HopLatency publishToRepublished() {
        return publishToRepublished;
    }
}
