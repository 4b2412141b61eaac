package dev.nanobroker.bridge;

import dev.nanobroker.codec.FrameCodec;
import dev.nanobroker.codec.FrameEncoder;
import dev.nanobroker.ring.BridgeNote;
import dev.nanobroker.ring.Frame;
import dev.nanobroker.ring.FrameChecksum;
import io.aeron.Aeron;
import io.aeron.AeronCounters;
import io.aeron.Publication;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * {@code bridge send}: reads a ring as a {@code latest} reader and publishes its frames over Aeron.
 *
 * <p>Each frame is first copied out of its slot into this sender's own buffer and the slot let go,
 * so a slow link never holds the producer back and a frame torn by an {@code overwrite} producer
 * is caught (by the release) before a byte of it is sent. The copy then goes out as {@link FramePart}
 * messages of at most {@link #MAX_PART_BYTES}: a frame of any size fits, whatever Aeron's largest
 * message (an eighth of the term length, 2 MiB at the default 16 MiB) and without the term buffers
 * of 64 MiB and more that one message per frame would need. While Aeron pushes back (the link or the
 * receiver is slower than the source) the sender finishes the frame it started and, meanwhile, keeps
 * only the newest source frame ({@link RingSource#keepUp}): the frames in between are skipped and
 * counted.
 *
 * <p>With a codec other than raw ({@code --codec jpeg|h264}) the frame is not copied: the encoder
 * reads it in its slot, the slot is let go, and the payload (the encoder's own buffer, reused) goes
 * out in parts with its own checksum. An h264 encoder makes a keyframe at least once a second, at
 * once after a payload it made was not sent (torn, cut), since the next would refer to it, first
 * when a receiver connects after a time without one, and when a receiver asks for one over its
 * {@link BackChannel} (it lost a frame). One thread, and the back channel's responder on its own.
 */
public final class BridgeSender {

    /** The largest part: small enough for Aeron's default term length, large enough to cost little per part. */
    public static final int MAX_PART_BYTES = 1 << 20;

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** How long a stop waits for the frame in flight to go out, when the link pushes back, and for the driver to send it. */
    private static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long DRAIN_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** The longest an h264 stream goes without a keyframe, whatever the source's rate: a receiver that lost a frame waits at most this. */
    static final long KEYFRAME_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    /**
     * For tests: {@code -Dnanobroker.bridge.foreignClock=NANOS} makes this sender's clock another
     * host's: it names a clock identity not this host's, and every time it sends (publish, sent, and
     * its answers to clock probes) runs {@code NANOS} ahead of this host's {@code CLOCK_MONOTONIC}.
     * A receiver on this host must then estimate the offset as it would across hosts.
     */
    static final String FOREIGN_CLOCK_PROPERTY = "nanobroker.bridge.foreignClock";

    /**
     * @param codec        what each frame is sent as: {@link FrameCodec.Raw} (the slot's bytes as they are), jpeg or h264
     * @param probePort    the UDP port receivers on other hosts send clock probes to; 0: any free one
     * @param timeoutNanos stop when no receiver was connected for this long (0: never)
     * @param runNanos     stop after this long (0: when stopped)
     */
    public record Settings(String ringName, BridgeChannel channel, FrameCodec codec, int probePort, long timeoutNanos,
                           long runNanos) {
    }

    /**
     * The counts so far, with the rates and the median of the last second (or, at the end, of the whole run).
     *
     * @param skipped frames of the source not sent by design: newer ones came while the link was busy, or no receiver was there
     * @param torn    frames overwritten in the source ring while copied (only under an {@code overwrite} producer): not sent
     * @param cut     frames whose sending stopped part-way because every receiver went away
     * @param bytes   payload bytes sent (what the codec made of the frames)
     * @param encodeP50Nanos encoding one frame (jpeg, h264; part of publish→sent); 0 for raw
     * @param probesAnswered clock probes answered (receivers on other hosts send four a second)
     * @param keyframeRequests H.264 keyframes receivers asked for after a loss
     */
    public record Status(String codec, boolean ringAttached, boolean receiverConnected, long sent, long skipped, long torn,
                         long cut, long bytes, double framesPerSecond, double megabytesPerSecond, long publishToSentP50Nanos,
                         long encodeP50Nanos, long probesAnswered, long keyframeRequests) {

        /** Payload bytes per frame sent, 0 before the first. */
        public long bytesPerFrame() {
            return sent > 0 ? bytes / sent : 0;
        }
    }

    private final Settings settings;
    /** The clock this sender's times are read on: this host's, unless told to act as another host's. */
    private final ClockIdentity clockIdentity;
    private final long clockSkewNanos;
    private final HopLatency publishToSent = new HopLatency();
    private final HopLatency encodeTime = new HopLatency();
    private final IdleStrategy backPressureIdle = new BackoffIdleStrategy();
    private final UnsafeBuffer headerBuffer = new UnsafeBuffer(new byte[FramePart.HEADER_LENGTH]);
    private long sent;
    private long torn;
    private long cut;
    private long bytes;
    private long message;
    private Arena stagingArena;
    private MemorySegment staging;
    private UnsafeBuffer stagingBuffer;
    /** A view of the encoder's last payload, re-aimed at each frame. */
    private final UnsafeBuffer payloadBuffer = new UnsafeBuffer(0, 0);
    /** The encoder for the source's frame size (jpeg, h264), made at the first frame and again when the size changes. */
    private FrameEncoder encoder;
    private int encoderWidth;
    private int encoderHeight;
    private long lastKeyframeNanos;
    private RingSource source;
    private BackChannelResponder backChannel;
    private int probePort;

    public BridgeSender(Settings settings) {
        this.settings = settings;
        String foreignClock = System.getProperty(FOREIGN_CLOCK_PROPERTY);
        this.clockIdentity = foreignClock == null ? ClockIdentity.thisHost() : ClockIdentity.thisHost().other();
        this.clockSkewNanos = foreignClock == null ? 0 : Long.parseLong(foreignClock);
    }

    /** This sender's clock: this host's {@code CLOCK_MONOTONIC}, or ahead of it when told to act as another host's. */
    private long now() {
        return System.nanoTime() + clockSkewNanos;
    }

    /** The Aeron stream a ring's frames travel on: the ring's name, hashed (String.hashCode), so one port can carry several rings. */
    public static int streamIdOf(String ringName) {
        return ringName.hashCode();
    }

    /** Sends until stopped, {@code runNanos} passed, or no receiver came for {@code timeoutNanos}. */
    public BridgeRun.Stop run(Aeron aeron, BooleanSupplier stopRequested, BridgeRun.Listener<Status> listener) {
        long start = System.nanoTime();
        try (Publication publication = settings.channel().publish(aeron, streamIdOf(settings.ringName()));
             BackChannelResponder responder = new BackChannelResponder(aeron, settings.probePort(), streamIdOf(settings.ringName()),
                     publication, this::now);
             RingSource ring = new RingSource(settings.ringName(), start)) {
            source = ring;
            backChannel = responder;
            probePort = responder.port();
            warmUpCodec();
            note(status(false, new BridgeRun.Rate(0, 0), 0, 0));
            listener.ready();
            BridgeRun.Stop stop = sendUntilStopped(publication, start, stopRequested, listener);
            drain(aeron, publication);
            return stop;
        } finally {
            BridgeNote.remove(BridgeNote.Role.SEND, settings.ringName());
            if (stagingArena != null) {
                stagingArena.close();
                stagingArena = null;
            }
            if (encoder != null) {
                encoder.close();
                encoder = null;
            }
        }
    }

    /**
     * Loads the codec's native libraries and runs its Java path once, on a small frame, before the
     * source's first frame: done at that frame, it took about 150 ms here, during which the source's
     * first frames went by unsent (skipped).
     */
    private void warmUpCodec() {
        if (settings.codec() instanceof FrameCodec.Raw) {
            return;
        }
        try (Arena arena = Arena.ofConfined(); FrameEncoder warmUp = settings.codec().newEncoder(64, 64)) {
            warmUp.encode(arena.allocate(64 * 64 * 4, 64), 64 * 4);
        }
    }

    private BridgeRun.Stop sendUntilStopped(Publication publication, long start, BooleanSupplier stopRequested,
                                            BridgeRun.Listener<Status> listener) {
        int partBytes = Math.min(MAX_PART_BYTES, publication.maxMessageLength() - FramePart.HEADER_LENGTH);
        BridgeRun.Seconds seconds = new BridgeRun.Seconds(start);
        BridgeRun.Limits limits = new BridgeRun.Limits(start, settings.runNanos(), settings.timeoutNanos());
        while (true) {
            long now = System.nanoTime();
            boolean connected = publication.isConnected();
            BridgeRun.Stop stop = limits.check(now, stopRequested.getAsBoolean(), connected);
            if ((stop == null || stop == BridgeRun.Stop.NO_PEER) && !source.everAttached() && limits.timeoutPassed(now)) {
                return BridgeRun.Stop.NO_RING; // of two things missing, the one on this host first
            }
            if (stop != null) {
                return stop;
            }
            if (seconds.due(now)) {
                Status status = status(connected, seconds.next(now, sent, bytes), publishToSent.intervalMedianAndReset(),
                        encodeTime.intervalMedianAndReset());
                note(status);
                listener.second(status);
            }
            Frame frame = source.newest(POLL_NANOS);
            if (frame == null) {
                continue;
            }
            if (!connected) {
                source.pass(); // nobody to send it to; the ring must not wait for us
                if (encoder != null) {
                    encoder.requestKeyframe(); // a receiver that comes (back) starts with a picture of its own
                }
                continue;
            }
            if (settings.codec() instanceof FrameCodec.Raw) {
                FramePart staged = stage(frame, partBytes);
                if (staged != null) {
                    send(publication, staged, stagingBuffer, partBytes, stopRequested);
                }
            } else {
                FramePart encoded = encode(frame, partBytes);
                if (encoded != null && !send(publication, encoded, payloadBuffer, partBytes, stopRequested)) {
                    encoder.requestKeyframe(); // the receiver misses this payload, which the next would refer to
                }
            }
        }
    }

    /**
     * Lets the media driver put what was offered on the wire before the publication closes (at most
     * {@link #STOP_GRACE_NANOS}): an embedded driver closes with this process, and the last frame's
     * parts would otherwise stay in its buffers and reach the receiver incomplete.
     */
    private static void drain(Aeron aeron, Publication publication) {
        CountersReader counters = aeron.countersReader();
        int senderPosition = counters.findByTypeIdAndRegistrationId(AeronCounters.DRIVER_SENDER_POSITION_TYPE_ID,
                publication.registrationId());
        long deadline = System.nanoTime() + STOP_GRACE_NANOS;
        while (senderPosition != CountersReader.NULL_COUNTER_ID && publication.isConnected()
                && counters.getCounterValue(senderPosition) < publication.position() && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(DRAIN_PARK_NANOS);
        }
    }

    /**
     * Copies the held frame into the staging buffer and lets its slot go.
     *
     * @return the frame's header (not yet stamped with its send time), or null when the frame was
     *     torn while copied (not sent)
     */
    private FramePart stage(Frame frame, int partBytes) {
        long length = (long) frame.rowStride() * frame.height();
        if (length > Integer.MAX_VALUE) {
            throw new BridgeException("frames of " + length + " bytes are more than the bridge carries (2 GiB)");
        }
        if (staging == null || staging.byteSize() < length) {
            if (stagingArena != null) {
                stagingArena.close();
            }
            stagingArena = Arena.ofConfined();
            staging = stagingArena.allocate(length, 64);
            stagingBuffer = new UnsafeBuffer(staging.address(), (int) length);
        }
        MemorySegment copy = staging.asSlice(0, length);
        MemorySegment.copy(frame.pixels(), 0, copy, 0, length);
        long sequence = frame.sourceSequence(); // the frame's identity, kept across any number of bridges
        long publishNanos = frame.publishNanos() + clockSkewNanos;
        int width = frame.width();
        int height = frame.height();
        int rowStride = frame.rowStride();
        long storedChecksum = frame.checksum();
        if (!source.release()) {
            torn++;
            return null;
        }
        // The producer's checksum covers these bytes (the release proved them unchanged); a producer
        // that stored none gets one here, so that the receiver can always check what arrived.
        long checksum = storedChecksum != 0 ? storedChecksum : FrameChecksum.of(copy);
        int partCount = (int) ((length + partBytes - 1) / partBytes);
        return new FramePart(FramePart.CODEC_RAW, message++, sequence, publishNanos, 0, width, height, rowStride,
                source.slotCount(), checksum, length, 0, 0, partCount, clockIdentity, probePort, 0);
    }

    /**
     * Encodes the held frame from its slot into the encoder's payload, aims {@link #payloadBuffer} at
     * it, and lets the slot go.
     *
     * @return the frame's header, with the payload's checksum (not yet stamped with its send time), or
     *     null when the frame was torn while encoded (not sent)
     */
    private FramePart encode(Frame frame, int partBytes) {
        int width = frame.width();
        int height = frame.height();
        if (encoder == null || encoderWidth != width || encoderHeight != height) {
            if (encoder != null) {
                encoder.close();
            }
            encoder = settings.codec().newEncoder(width, height);
            encoderWidth = width;
            encoderHeight = height;
        }
        long start = System.nanoTime();
        if (start - lastKeyframeNanos >= KEYFRAME_INTERVAL_NANOS) {
            encoder.requestKeyframe(); // the encoder's own interval is in frames, which at a low source rate is longer
        }
        if (backChannel.takeKeyframeRequest()) {
            encoder.requestKeyframe(); // a receiver lost a frame: its decoder shows nothing until a keyframe
        }
        MemorySegment payload = encoder.encode(frame.pixels(), frame.rowStride());
        encodeTime.record(System.nanoTime() - start);
        if (encoder.lastWasKeyframe()) {
            lastKeyframeNanos = start;
        }
        long sequence = frame.sourceSequence(); // the frame's identity, kept across any number of bridges
        long publishNanos = frame.publishNanos() + clockSkewNanos;
        int rowStride = frame.rowStride();
        if (!source.release()) {
            torn++;
            encoder.requestKeyframe(); // this payload is not sent, and the next would refer to it
            return null;
        }
        payloadBuffer.wrap(payload.address(), (int) payload.byteSize());
        long length = payload.byteSize();
        int partCount = (int) ((length + partBytes - 1) / partBytes);
        return new FramePart(settings.codec().id(), message++, sequence, publishNanos, 0, width, height, rowStride,
                source.slotCount(), PayloadChecksum.of(payload), length, 0, 0, partCount, clockIdentity, probePort, 0);
    }

    /**
     * Offers the frame's {@code bytes} part by part. Gives up only when no receiver is left, or on a stop
     * that the link keeps waiting longer than {@link #STOP_GRACE_NANOS}: a stop otherwise finishes the frame.
     *
     * @return whether the whole frame went out (false: cut)
     */
    private boolean send(Publication publication, FramePart staged, DirectBuffer bytes, int partBytes,
                         BooleanSupplier stopRequested) {
        FramePart frame = staged.sentAt(now());
        long stopDeadline = 0;
        publishToSent.record(frame.sentNanos() - frame.publishNanos());
        for (int index = 0; index < frame.partCount(); index++) {
            long offset = (long) index * partBytes;
            int length = (int) Math.min(partBytes, frame.frameLength() - offset);
            frame.part(index, offset, length).encode(headerBuffer, 0);
            backPressureIdle.reset();
            while (true) {
                long result = publication.offer(headerBuffer, 0, FramePart.HEADER_LENGTH, bytes, (int) offset, length);
                if (result > 0) {
                    break;
                }
                boolean retry = result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION;
                if (stopRequested.getAsBoolean() && stopDeadline == 0) {
                    stopDeadline = System.nanoTime() + STOP_GRACE_NANOS;
                }
                if (!retry || stopDeadline != 0 && System.nanoTime() - stopDeadline > 0) {
                    cut++; // no receiver left, closed, or a stop that could not wait: the receiver drops what it got
                    return false;
                }
                source.keepUp(); // the link is slower than the source: keep only the newest frame meanwhile
                backPressureIdle.idle();
            }
            source.keepUp();
        }
        sent++;
        this.bytes += frame.frameLength();
        return true;
    }

    /** The counts so far, with {@code rate} and the median since the last status. */
    private Status status(boolean connected, BridgeRun.Rate rate, long publishToSentMedian, long encodeMedian) {
        return new Status(settings.codec().name(), source.isAttached(), connected, sent, source.skipped(), torn, cut, bytes,
                rate.framesPerSecond(), rate.megabytesPerSecond(), publishToSentMedian, encodeMedian,
                backChannel == null ? 0 : backChannel.answered(), backChannel == null ? 0 : backChannel.keyframeRequests());
    }

    /** What {@code stat} shows of this sender beside its ring. */
    private void note(Status status) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("sent", status.sent());
        counts.put("skipped", status.skipped());
        counts.put("torn", status.torn());
        counts.put("cut", status.cut());
        BridgeNote.now(BridgeNote.Role.SEND, settings.ringName(), "to " + settings.channel().description() + ", " + status.codec()
                + (status.receiverConnected() ? ", receiver connected" : ", no receiver"), counts, null).write();
    }

    /** After a run: its counts, and its rates over {@code seconds}. */
    public Status total(double seconds) {
        return status(false, BridgeRun.Rate.over(seconds, sent, bytes), publishToSent.percentile(50), encodeTime.percentile(50));
    }

    /** The UDP port this sender takes clock probes on (known once it runs). */
    public int probePort() {
        return probePort;
    }

    /** Publish (in the source ring) to the start of sending, per frame sent: the poll, the copy or the encode, the checksum. */
    public HopLatency publishToSent() {
        return publishToSent;
    }

    /** Encoding one frame (jpeg, h264), per frame encoded; empty for raw. */
    public HopLatency encodeTime() {
        return encodeTime;
    }
}
