package dev.nanobroker.bridge;

import dev.nanobroker.codec.CodecException;
import dev.nanobroker.codec.FrameCodec;
import dev.nanobroker.codec.FrameDecoder;
import dev.nanobroker.ring.FrameChecksum;
import dev.nanobroker.ring.FrameClaim;
import dev.nanobroker.ring.OverflowPolicy;
import dev.nanobroker.ring.RingGeometry;
import dev.nanobroker.ring.RingWriter;
import dev.nanobroker.ring.SharedRing;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The receiver's reassembly. Takes frame parts in the order Aeron delivers them. A raw frame's parts
 * are written straight into a slot claimed in the local ring at its first part; a compressed one's
 * (jpeg, h264) into this receiver's payload buffer, reused, and only a whole payload whose checksum
 * matches is decoded into a slot claimed then. A frame is published only when all its parts came, in
 * order, and its checksum matched; otherwise the claim is aborted (or never made), so no reader ever
 * sees a partial or damaged frame. Every frame the sender numbered is counted once: received,
 * incomplete (some of its parts never came), corrupt (its checksum did not match, or its payload did
 * not decode), lost (none of it came), dropped (the local ring's overflow policy refused it) or
 * awaiting keyframe (h264: it came whole but depends on a frame that did not, so it is not shown; the
 * decoder waits for the next keyframe after any frame it did not get).
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

    /** The assembly's link to each sender: the receiver's {@link BackChannel}, or a stand-in in tests. */
    interface SenderLink {
        /** A sender (an Aeron session) begins: this is the first part of it that came. */
        void follow(int session, FramePart first);

        /** The followed sender's clock against this host's, or null while it is not known. */
        ClockOffset.Estimate estimate();

        /** The H.264 decoder lost a frame and waits for a keyframe: ask the sender for one. */
        void requestKeyframe();
    }

    private final Settings settings;
    private final ReceiveFaults faults;
    private final SenderLink sender;
    private final UnsafeBuffer slot = new UnsafeBuffer(new byte[0]);
    private final HopLatency publishToSent = new HopLatency();
    private final HopLatency sentToReceived = new HopLatency();
    private final HopLatency receivedToRepublished = new HopLatency();
    private final HopLatency publishToRepublished = new HopLatency();
    private final HopLatency decodeTime = new HopLatency();
    /** A compressed frame's payload, assembled from its parts; as large as the largest payload so far. */
    private Arena payloadArena;
    private MemorySegment payload;
    /** The decoder of the frames coming now (their codec and size), made at the first such frame. */
    private FrameDecoder decoder;
    private int decoderWidth;
    private int decoderHeight;
    /** The codec of the last frame begun, for the status line; -1 before the first. */
    private int codec = -1;
    private SharedRing ring;
    private RingWriter writer;
    /** The local ring's geometry: the last one opened, kept after close for the report. */
    private RingGeometry geometry;
    private RuntimeException failure;

    /** The sender whose frames are being read (an Aeron session). */
    private int session;
    private boolean inSession;
    /** The highest message number of this session seen so far, -1 before the first. */
    private long lastMessage = -1;
    /**
     * The frame being assembled: its first part's header (null when none is), its claim (raw: from
     * the first part, null if the ring's policy dropped it; compressed: only while it is decoded),
     * and where the next part must start.
     */
    private FrameClaim claim;
    private FramePart frame;
    private boolean dropping;
    private int nextPart;
    private long nextOffset;
    private long lastPartNanos;

    private long received;
    private long lost;
    private long incomplete;
    private long corrupt;
    private long dropped;
    private long awaitingKeyframe;
    private long malformed;
    private String lastMalformed;
    private long bytes;

    /**
     * @param sender what is known of each sender's clock (once it is, the frames keep their original
     *     publish time, on this host's clock, and the hops that span both hosts are timed), and the
     *     way to ask it for a keyframe
     */
    FrameAssembly(Settings settings, ReceiveFaults faults, SenderLink sender) {
        this.settings = settings;
        this.faults = faults;
        this.sender = sender;
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
        } catch (BridgeMessage.MalformedMessageException e) {
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
            sender.follow(sessionId, part);
            lastMessage = -1;
            missedPayload(); // a new sender's stream starts afresh (h264: with a keyframe)
        }
        if (part.message() > lastMessage) {
            giveUp(); // the frame in progress will get no more parts
            if (lastMessage >= 0 && part.message() - lastMessage > 1) {
                lost += part.message() - lastMessage - 1;
                missedPayload();
            }
            lastMessage = part.message();
            if (part.partIndex() != 0) {
                incomplete++; // its first parts never came
                missedPayload();
                return;
            }
            begin(part);
        }
        if (frame == null || dropping || part.message() != frame.message()) {
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
            if (frame.raw()) {
                finish(now);
            } else {
                finishCompressed(now);
            }
        }
    }

    /**
     * A frame's first part: opens the local ring at the first frame or a new geometry; claims a slot
     * for a raw frame (its parts go straight in), or readies the payload buffer and decoder for a
     * compressed one.
     */
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
        codec = first.codec();
        frame = first;
        nextPart = 0;
        nextOffset = 0;
        if (!first.raw()) {
            readyDecoder(first);
            slot.wrap(payload.address(), (int) first.frameLength());
            return;
        }
        claim = writer.claim();
        if (claim == null) {
            dropped++; // the local ring is full of frames its readers hold, and its policy said drop
            dropping = true;
            return;
        }
        slot.wrap(claim.pixels().address(), (int) first.frameLength());
    }

    /** A decoder for the frame's codec and size (kept while they stay), and a payload buffer that holds it. */
    private void readyDecoder(FramePart first) {
        if (decoder == null || decoder.codecId() != first.codec() || decoderWidth != first.width() || decoderHeight != first.height()) {
            closeDecoder();
            decoder = FrameCodec.decoderFor((byte) first.codec(), first.width(), first.height());
            decoderWidth = first.width();
            decoderHeight = first.height();
        }
        if (payload == null || payload.byteSize() < first.frameLength()) {
            closePayload();
            payloadArena = Arena.ofConfined();
            // At least a tenth of a raw frame, so that a payload growing a little does not reallocate each time.
            payload = payloadArena.allocate(Math.max(first.frameLength(), (long) first.width() * first.height() * 4 / 10), 64);
        }
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
        FramePart whole = frame;
        frame = null;
        MemorySegment pixels = claim.pixels().asSlice(0, whole.frameLength());
        long checksum = FrameChecksum.of(pixels);
        if (checksum != whole.checksum()) {
            claim.abort();
            claim = null;
            corrupt++;
            return;
        }
        publishClaim(whole, checksum, now);
    }

    /**
     * Publishes the claimed slot with {@code checksum}, then counts it. Once the sender's clock is
     * known the frame keeps its producer's publish time, on this host's clock, so that readers here
     * measure latency end to end, from the original publish (an estimate that puts it in the future
     * stamps it now); until then it is stamped now.
     */
    private void publishClaim(FramePart whole, long checksum, long received) {
        ClockOffset.Estimate clock = sender.estimate();
        claim.checksum(checksum).sourceSequence(whole.sequence());
        if (clock != null) {
            claim.publish(Math.min(clock.toLocal(whole.publishNanos()), System.nanoTime()));
        } else {
            claim.publish();
        }
        claim = null;
        published(whole, received, clock);
    }

    /** Counts a frame published into the local ring, whose last part came at {@code received}, and times its hops. */
    private void published(FramePart whole, long received, ClockOffset.Estimate clock) {
        long republished = System.nanoTime();
        this.received++;
        bytes += whole.frameLength();
        publishToSent.record(whole.sentNanos() - whole.publishNanos());
        receivedToRepublished.record(republished - received);
        if (clock != null) {
            sentToReceived.record(received - clock.toLocal(whole.sentNanos()));
            publishToRepublished.record(republished - clock.toLocal(whole.publishNanos()));
        }
    }

    /**
     * The last part of a compressed frame came: if the payload is the sender's, decode it into a slot
     * claimed now and publish it with the checksum of the decoded pixels (so {@code read --verify}
     * here checks the local copy); a payload that is damaged, refused by the ring's policy or not
     * shown (h264 awaiting a keyframe) is never published.
     */
    private void finishCompressed(long now) {
        FramePart whole = frame;
        frame = null;
        if (nextOffset != whole.frameLength()) {
            incomplete++;
            missedPayload();
            return;
        }
        MemorySegment bytes = payload.asSlice(0, whole.frameLength());
        if (PayloadChecksum.of(bytes) != whole.checksum()) {
            corrupt++; // a cut or damaged payload would decode, silently, into a wrong picture
            missedPayload();
            return;
        }
        claim = writer.claim();
        if (claim == null) {
            dropped++;
            missedPayload(); // the decoder did not see this payload, which the next ones may refer to
            return;
        }
        long decodeStart = System.nanoTime();
        boolean shown;
        try {
            shown = decoder.decode(bytes, claim.pixels(), whole.rowStride());
        } catch (CodecException e) {
            claim.abort(); // an h264 decoder now waits for a keyframe by itself
            claim = null;
            corrupt++;
            return;
        }
        decodeTime.record(System.nanoTime() - decodeStart);
        if (!shown) {
            claim.abort();
            claim = null;
            awaitingKeyframe++;
            return;
        }
        long checksum = FrameChecksum.of(claim.pixels().asSlice(0, (long) whole.rowStride() * whole.height()));
        publishClaim(whole, checksum, now);
    }

    /** A payload the decoder will not see: an h264 decoder waits for the next keyframe, which the sender is asked for. */
    private void missedPayload() {
        if (decoder != null) {
            decoder.payloadLost();
            if (decoder.codecId() == FrameCodec.H264_ID) {
                sender.requestKeyframe();
            }
        }
    }

    /** Aborts the frame in progress, if any: it counts as incomplete. */
    private void giveUp() {
        if (frame != null && !dropping) {
            if (claim != null) {
                claim.abort();
                claim = null;
            }
            incomplete++;
            missedPayload();
        }
        frame = null;
        dropping = false;
    }

    /** Gives up a frame whose next part has not come for {@link #STALE_NANOS}; the receiver calls it while idle. */
    void expire(long now) {
        if (frame != null && now - lastPartNanos > STALE_NANOS) {
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

    private void closeDecoder() {
        if (decoder != null) {
            decoder.close();
            decoder = null;
        }
    }

    private void closePayload() {
        if (payloadArena != null) {
            payloadArena.close();
            payloadArena = null;
            payload = null;
        }
    }

    /** Aborts the frame in progress (incomplete), detaches the writer (closing the ring if it was the last), unmaps. */
    @Override
    public void close() {
        giveUp();
        closeRing();
        closeDecoder();
        closePayload();
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

    long awaitingKeyframe() {
        return awaitingKeyframe;
    }

    long malformed() {
        return malformed;
    }

    /** The codec of the frames coming now ({@code raw}, {@code jpeg}, {@code h264}), or null before the first. */
    String codecName() {
        return switch (codec) {
            case -1 -> null;
            case FrameCodec.RAW_ID -> "raw";
            case FrameCodec.JPEG_ID -> "jpeg";
            default -> "h264";
        };
    }

    /** Decoding one compressed payload into its slot (inside received→republished). */
    HopLatency decodeTime() {
        return decodeTime;
    }

    /** Why the last malformed message was refused, or null. */
    String lastMalformed() {
        return lastMalformed;
    }

    long bytes() {
        return bytes;
    }

    /** What is known of the current sender's clock (null: nothing yet, so the hops across hosts are not timed). */
    ClockOffset.Estimate clock() {
        return sender.estimate();
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
