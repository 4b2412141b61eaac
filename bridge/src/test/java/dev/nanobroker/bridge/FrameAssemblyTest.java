package dev.nanobroker.bridge;

import dev.nanobroker.codec.FrameCodec;
import dev.nanobroker.codec.FrameEncoder;
import dev.nanobroker.ring.Frame;
import dev.nanobroker.ring.FrameChecksum;
import dev.nanobroker.ring.OverflowPolicy;
import dev.nanobroker.ring.ReadMode;
import dev.nanobroker.ring.RingException;
import dev.nanobroker.ring.RingGeometry;
import dev.nanobroker.ring.RingReader;
import dev.nanobroker.ring.RingWriter;
import dev.nanobroker.ring.SharedRing;
import dev.nanobroker.ring.testing.TestRings;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The receiver's reassembly against a real ring in /dev/shm: a frame is published only when all its
 * parts came in order with the right checksum, and every frame the sender numbered is counted once.
 */
class FrameAssemblyTest {

    private static final int WIDTH = 64;
    private static final int HEIGHT = 48;
    private static final int PART_BYTES = 5000; // a 12,288-byte frame in 3 parts
    private static final int SESSION = 7;
    /** Senders on this host's clock: their frames keep their publish times. */
    private static final FrameAssembly.SenderLink SAME_CLOCK = new FrameAssembly.SenderLink() {
        @Override
        public void follow(int session, FramePart first) {
        }

        @Override
        public ClockOffset.Estimate estimate() {
            return ClockOffset.Estimate.SAME_CLOCK;
        }

        @Override
        public void requestKeyframe() {
        }
    };

    private final TestRings rings = new TestRings();
    private final List<AutoCloseable> open = new ArrayList<>();
    private final Random random = new Random(15);

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable closeable : open.reversed()) {
            closeable.close();
        }
        rings.close();
    }

    private FrameAssembly assembly(String ring, ReceiveFaults faults) {
        FrameAssembly assembly = new FrameAssembly(new FrameAssembly.Settings(ring, OverflowPolicy.block(Duration.ofSeconds(1)), 0),
                faults, SAME_CLOCK);
        open.add(assembly);
        return assembly;
    }

    /** A reader of the local ring, attached before the first frame (the ring is made for it). */
    private RingReader reader(String ring) {
        SharedRing shared = SharedRing.openForWriting(ring, RingGeometry.of(WIDTH, HEIGHT, 4));
        open.add(shared);
        return shared.attachReader(ReadMode.EVERY);
    }

    private byte[] pixels() {
        byte[] pixels = new byte[WIDTH * 4 * HEIGHT];
        random.nextBytes(pixels);
        return pixels;
    }

    /** The messages of one raw frame as the sender writes them. */
    private static List<UnsafeBuffer> parts(long message, long sequence, byte[] pixels) {
        return parts(FramePart.CODEC_RAW, message, sequence, pixels);
    }

    /** The messages of one frame whose payload (the frame's bytes after {@code codec}) is {@code payload}. */
    private static List<UnsafeBuffer> parts(int codec, long message, long sequence, byte[] payload) {
        return parts(codec, message, sequence, payload, 1_000, 2_000);
    }

    /** The same, published and sent at the times given (the sender's clock). */
    private static List<UnsafeBuffer> parts(int codec, long message, long sequence, byte[] payload, long publishNanos,
                                            long sentNanos) {
        int count = (payload.length + PART_BYTES - 1) / PART_BYTES;
        FramePart frame = new FramePart(codec, message, sequence, publishNanos, sentNanos, WIDTH, HEIGHT, WIDTH * 4, 4,
                PayloadChecksum.of(MemorySegment.ofArray(payload)), payload.length, 0, 0, count, ClockIdentity.thisHost(), 0, 0);
        List<UnsafeBuffer> parts = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            int offset = index * PART_BYTES;
            int length = Math.min(PART_BYTES, payload.length - offset);
            UnsafeBuffer buffer = new UnsafeBuffer(new byte[FramePart.HEADER_LENGTH + length]);
            frame.part(index, offset, length).encode(buffer, 0);
            buffer.putBytes(FramePart.HEADER_LENGTH, payload, offset, length);
            parts.add(buffer);
        }
        return parts;
    }

    /** {@code frames} frames of random pixels encoded by {@code codec}, in order; {@code keyframes} are forced to be keyframes. */
    private List<byte[]> encoded(FrameCodec codec, int frames, int... keyframes) {
        List<byte[]> payloads = new ArrayList<>();
        try (Arena arena = Arena.ofConfined(); FrameEncoder encoder = codec.newEncoder(WIDTH, HEIGHT)) {
            MemorySegment frame = arena.allocate((long) WIDTH * HEIGHT * 4, 64);
            for (int index = 0; index < frames; index++) {
                frame.copyFrom(MemorySegment.ofArray(pixels()));
                if (Arrays.stream(keyframes).anyMatch(key -> key == payloads.size())) {
                    encoder.requestKeyframe();
                }
                payloads.add(encoder.encode(frame, WIDTH * 4).toArray(ValueLayout.JAVA_BYTE));
            }
        }
        return payloads;
    }

    private static void deliver(FrameAssembly assembly, int session, UnsafeBuffer part) {
        assembly.accept(session, part, 0, part.capacity(), System.nanoTime());
        if (assembly.failure() != null) {
            throw assembly.failure();
        }
    }

    private static void deliverAll(FrameAssembly assembly, List<UnsafeBuffer> parts) {
        for (UnsafeBuffer part : parts) {
            deliver(assembly, SESSION, part);
        }
    }

    private static byte[] bytesOf(Frame frame) {
        return frame.pixels().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    @Test
    void aFrameWhoseEveryPartCameIsPublishedWithItsChecksum() {
        String name = rings.newName("assembly-whole");
        RingReader reader = reader(name);
        FrameAssembly assembly = assembly(name, ReceiveFaults.none());
        byte[] first = pixels();
        byte[] second = pixels();
        deliverAll(assembly, parts(0, 100, first));
        deliverAll(assembly, parts(1, 101, second));

        Frame frame = reader.poll();
        assertArrayEquals(first, bytesOf(frame));
        assertEquals(FrameChecksum.of(MemorySegment.ofArray(first)), frame.checksum());
        assertEquals(0, frame.sequence());
        assertEquals(100, frame.sourceSequence(), "the copy keeps the source's sequence");
        assertTrue(reader.release());
        assertArrayEquals(second, bytesOf(reader.poll()));
        assertTrue(reader.release());
        assertEquals(2, assembly.received());
        assertEquals(0, assembly.lost() + assembly.incomplete() + assembly.corrupt());
        assertEquals(2, assembly.publishToSent().count());
        assertEquals(2, assembly.sentToReceived().count(), "one clock: the hops across both ends are timed");
    }

    @Test
    void aFrameOfAnotherClockKeepsItsPublishTimeOnThisHostsClockOnceTheOffsetIsKnown() {
        String name = rings.newName("assembly-clock");
        RingReader reader = reader(name);
        ClockOffset.Estimate[] known = {null};
        FrameAssembly assembly = new FrameAssembly(new FrameAssembly.Settings(name, OverflowPolicy.block(Duration.ofSeconds(1)), 0),
                ReceiveFaults.none(), new FrameAssembly.SenderLink() {
            @Override
            public void follow(int session, FramePart first) {
            }

            @Override
            public ClockOffset.Estimate estimate() {
                return known[0];
            }

            @Override
            public void requestKeyframe() {
            }
        });
        open.add(assembly);
        long offset = 5_000_000_000L; // the sender's clock runs 5 s ahead of this host's
        long published = System.nanoTime() - 3_000_000; // 3 ms ago, on this host's clock

        long before = System.nanoTime();
        deliverAll(assembly, parts(FramePart.CODEC_RAW, 0, 100, pixels(), published + offset, published + offset + 1_000_000));
        assertTrue(reader.poll().publishNanos() >= before, "while the offset is not known the frame is stamped when republished");
        assertTrue(reader.release());
        assertEquals(0, assembly.sentToReceived().count(), "nor are the hops across the hosts timed");

        known[0] = new ClockOffset.Estimate(offset, 200_000, 12);
        deliverAll(assembly, parts(FramePart.CODEC_RAW, 1, 101, pixels(), published + offset, published + offset + 1_000_000));
        assertEquals(published, reader.poll().publishNanos(), "the original publish, on this host's clock");
        assertTrue(reader.release());
        assertEquals(1, assembly.publishToRepublished().count());
        assertTrue(assembly.publishToRepublished().percentile(50) >= 3_000_000);
        assertTrue(assembly.sentToReceived().percentile(50) >= 2_000_000 - 1_000, "sent 1 ms after the publish, 3 ms ago");

        known[0] = new ClockOffset.Estimate(offset - 60_000_000_000L, 200_000, 12); // a wrong estimate: a minute off
        before = System.nanoTime();
        deliverAll(assembly, parts(FramePart.CODEC_RAW, 2, 102, pixels(), published + offset, published + offset + 1_000_000));
        long stamped = reader.poll().publishNanos();
        assertTrue(stamped >= before && stamped <= System.nanoTime(), "a publish time in the future is never written");
        assertTrue(reader.release());
    }

    @Test
    void aFrameWithAPartMissingIsNeverPublished() {
        String name = rings.newName("assembly-missing");
        RingReader reader = reader(name);
        FrameAssembly assembly = assembly(name, ReceiveFaults.none());
        List<UnsafeBuffer> broken = parts(0, 100, pixels());
        deliver(assembly, SESSION, broken.get(0));
        deliver(assembly, SESSION, broken.get(2)); // part 1 never came
        assertNull(reader.poll(), "nothing published");
        assertEquals(1, assembly.incomplete());

        byte[] next = pixels();
        deliverAll(assembly, parts(1, 101, next));
        assertArrayEquals(next, bytesOf(reader.poll()));
        assertEquals(1, assembly.received());
        assertEquals(0, assembly.lost());
    }

    @Test
    void aFrameWhoseLastPartsNeverCameIsGivenUpWhenTheNextBeginsOrItGoesStale() {
        String name = rings.newName("assembly-stale");
        RingReader reader = reader(name);
        FrameAssembly assembly = assembly(name, ReceiveFaults.none());
        deliver(assembly, SESSION, parts(0, 100, pixels()).get(0));
        deliverAll(assembly, parts(1, 101, pixels()));
        assertEquals(1, assembly.incomplete());
        assertEquals(1, assembly.received());

        deliver(assembly, SESSION, parts(2, 102, pixels()).get(0));
        long now = System.nanoTime();
        assembly.expire(now);
        assertEquals(1, assembly.incomplete(), "not stale yet");
        assembly.expire(now + FrameAssembly.STALE_NANOS + 1_000_000);
        assertEquals(2, assembly.incomplete());
        assertNotNull(reader.poll());
        reader.release();
        assertNull(reader.poll(), "only frame 1 was published");
    }

    @Test
    void aDamagedFrameIsCountedCorruptAndNotPublished() {
        String name = rings.newName("assembly-corrupt");
        RingReader reader = reader(name);
        FrameAssembly assembly = assembly(name, ReceiveFaults.none());
        List<UnsafeBuffer> damaged = parts(0, 100, pixels());
        damaged.get(1).putByte(FramePart.HEADER_LENGTH + 10, (byte) (damaged.get(1).getByte(FramePart.HEADER_LENGTH + 10) ^ 0x40));
        deliverAll(assembly, damaged);
        assertNull(reader.poll());
        assertEquals(1, assembly.corrupt());
        assertEquals(0, assembly.received() + assembly.incomplete());
    }

    @Test
    void framesOfWhichNothingCameAreLostAndAFrameJoinedMidwayIsIncomplete() {
        String name = rings.newName("assembly-lost");
        reader(name);
        FrameAssembly assembly = assembly(name, ReceiveFaults.none());
        List<UnsafeBuffer> joinedLate = parts(3, 103, pixels());
        deliver(assembly, SESSION, joinedLate.get(1)); // a receiver started while frame 3 was on its way
        deliver(assembly, SESSION, joinedLate.get(2));
        deliverAll(assembly, parts(4, 104, pixels()));
        deliverAll(assembly, parts(7, 107, pixels())); // 5 and 6 never came
        assertEquals(1, assembly.incomplete());
        assertEquals(2, assembly.received());
        assertEquals(2, assembly.lost());
    }

    @Test
    void aNewSenderStartsItsOwnNumberingAndEndsTheOldSendersFrame() {
        String name = rings.newName("assembly-session");
        RingReader reader = reader(name);
        FrameAssembly assembly = assembly(name, ReceiveFaults.none());
        deliverAll(assembly, parts(50, 100, pixels()));
        deliver(assembly, SESSION, parts(51, 101, pixels()).get(0)); // then the sender was killed
        byte[] restarted = pixels();
        for (UnsafeBuffer part : parts(0, 0, restarted)) {
            deliver(assembly, SESSION + 1, part);
        }
        assertEquals(1, assembly.incomplete());
        assertEquals(0, assembly.lost(), "message 0 of a new session is no gap");
        assertEquals(2, assembly.received());
        reader.poll();
        reader.release();
        assertArrayEquals(restarted, bytesOf(reader.poll()));
    }

    @Test
    void everyFrameAnInjectedDropHitsIsIncompleteAndNeverPublished() {
        String name = rings.newName("assembly-drops");
        RingReader reader = reader(name);
        // 3 parts a frame, every 4th part dropped: frame 1's first, frame 2's second, frame 3's last.
        FrameAssembly assembly = assembly(name, new ReceiveFaults(4, 0));
        for (int message = 0; message < 5; message++) {
            deliverAll(assembly, parts(message, message, pixels()));
        }
        assertEquals(3, assembly.faults().drops());
        assertEquals(3, assembly.incomplete());
        assertEquals(2, assembly.received());
        assertEquals(2, intactFramesIn(reader));
    }

    @Test
    void everyFrameAnInjectedDamageHitsIsCorruptAndNeverPublished() {
        String name = rings.newName("assembly-damage");
        RingReader reader = reader(name);
        // 3 parts a frame, every 5th part damaged after it was written: frame 1's second, frame 3's first.
        FrameAssembly assembly = assembly(name, new ReceiveFaults(0, 5));
        for (int message = 0; message < 4; message++) {
            deliverAll(assembly, parts(message, message, pixels()));
        }
        assertEquals(2, assembly.faults().corruptions());
        assertEquals(2, assembly.corrupt());
        assertEquals(2, assembly.received());
        assertEquals(2, intactFramesIn(reader));
    }

    @Test
    void aJpegFrameIsDecodedIntoItsSlotAndPublishedWithTheChecksumOfItsPixels() {
        String name = rings.newName("assembly-jpeg");
        RingReader reader = reader(name);
        FrameAssembly assembly = assembly(name, ReceiveFaults.none());
        List<byte[]> jpegs = encoded(new FrameCodec.Jpeg(80), 2);
        deliverAll(assembly, parts(FrameCodec.JPEG_ID, 0, 100, jpegs.get(0)));
        List<UnsafeBuffer> damaged = parts(FrameCodec.JPEG_ID, 1, 101, jpegs.get(1));
        damaged.getFirst().putByte(FramePart.HEADER_LENGTH + 200, (byte) ~damaged.getFirst().getByte(FramePart.HEADER_LENGTH + 200));
        deliverAll(assembly, damaged);

        assertEquals(1, assembly.received());
        assertEquals(1, assembly.corrupt(), "a damaged payload is caught by its checksum, before it is decoded");
        assertEquals("jpeg", assembly.codecName());
        assertEquals(1, assembly.decodeTime().count());
        assertEquals(jpegs.get(0).length, assembly.bytes(), "the payload's bytes are counted, not the frame's");
        assertEquals(1, intactFramesIn(reader), "the decoded frame verifies against the checksum stored with it");
    }

    @Test
    void afterAnH264FrameIsMissedNothingIsPublishedUntilTheNextKeyframe() {
        String name = rings.newName("assembly-h264");
        RingReader reader = reader(name);
        FrameAssembly assembly = assembly(name, ReceiveFaults.none());
        // Frame 0 is a keyframe (the stream's first), and frame 5 one asked for; 1 to 4 refer to those before them.
        List<byte[]> h264 = encoded(new FrameCodec.H264(2_000_000, 30), 7, 5);
        deliverAll(assembly, parts(FrameCodec.H264_ID, 0, 0, h264.get(0)));
        deliverAll(assembly, parts(FrameCodec.H264_ID, 1, 1, h264.get(1)));
        // Frame 2 never comes; 3 comes damaged; 4 comes whole but refers to what is missing.
        List<UnsafeBuffer> damaged = parts(FrameCodec.H264_ID, 3, 3, h264.get(3));
        damaged.getLast().putByte(damaged.getLast().capacity() - 1, (byte) ~damaged.getLast().getByte(damaged.getLast().capacity() - 1));
        deliverAll(assembly, damaged);
        deliverAll(assembly, parts(FrameCodec.H264_ID, 4, 4, h264.get(4)));
        assertEquals(2, assembly.received());
        assertEquals(1, assembly.lost());
        assertEquals(1, assembly.corrupt());
        assertEquals(1, assembly.awaitingKeyframe(), "frame 4 came whole, but the decoder waits for a keyframe");
        assertEquals(2, intactFramesIn(reader));

        deliverAll(assembly, parts(FrameCodec.H264_ID, 5, 5, h264.get(5)));
        deliverAll(assembly, parts(FrameCodec.H264_ID, 6, 6, h264.get(6)));
        assertEquals(4, assembly.received(), "the keyframe and the frame after it are shown again");
        assertEquals(1, assembly.awaitingKeyframe());
        assertEquals(2, intactFramesIn(reader));
    }

    /** Reads every frame published, checking each against its checksum. */
    private static int intactFramesIn(RingReader reader) {
        int frames = 0;
        for (Frame frame = reader.poll(); frame != null; frame = reader.poll()) {
            assertEquals(frame.checksum(), FrameChecksum.of(frame.pixels()));
            assertTrue(reader.release());
            frames++;
        }
        return frames;
    }

    @Test
    void aRingALiveProducerWritesIsNotTakenOver() {
        String name = rings.newName("assembly-taken");
        SharedRing theirs = SharedRing.openForWriting(name, RingGeometry.of(WIDTH, HEIGHT, 4));
        open.add(theirs);
        RingWriter producer = theirs.writer(OverflowPolicy.drop());
        open.add(producer);
        FrameAssembly assembly = assembly(name, ReceiveFaults.none());
        BridgeException refused = assertThrows(BridgeException.class, () -> deliverAll(assembly, parts(0, 0, pixels())));
        assertTrue(refused.getMessage().contains("already has a live producer"), refused.getMessage());
    }

    @Test
    void aRingOfAnotherGeometryWithALiveProducerIsRefusedInOneLine() {
        String name = rings.newName("assembly-geometry");
        SharedRing theirs = SharedRing.openForWriting(name, RingGeometry.of(32, 32, 4));
        open.add(theirs);
        open.add(theirs.writer(OverflowPolicy.drop()));
        FrameAssembly assembly = assembly(name, ReceiveFaults.none());
        RingException refused = assertThrows(RingException.class, () -> deliverAll(assembly, parts(0, 0, pixels())));
        assertTrue(refused.getMessage().contains("in use by a live producer"), refused.getMessage());
    }
}
