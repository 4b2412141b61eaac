package dev.nanobroker.ring;

import dev.nanobroker.ring.testing.TestRings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Seeded random corruption of a real ring's header and slot descriptors: whatever another process
 * scribbles there, opening and reading end in a frame or a clear {@link RingException}, never
 * another exception, a hang, or an access outside the mapping.
 */
class HeaderFuzzTest {

    private static final int CASES = Integer.getInteger("nanobroker.fuzz.cases", 100_000);
    private static final long SEED = Long.getLong("nanobroker.fuzz.seed", 0x5EED_CAFEL);
    private static final RingGeometry GEOMETRY = RingGeometry.of(16, 8, 4);

    private final TestRings rings = new TestRings();

    @AfterEach
    void removeRings() throws IOException {
        rings.close();
    }

    @Test
    void corruptedHeadersGiveFramesOrClearErrors() throws IOException {
        String name = rings.newName("fuzz");
        int headerLength = (int) GEOMETRY.headerLength();
        ByteBuffer pristine = ByteBuffer.allocate(headerLength);
        try (SharedRing ring = SharedRing.create(name, GEOMETRY)) {
            RingWriter writer = ring.writer(OverflowPolicy.overwrite());
            for (int i = 0; i < 6; i++) {
                FrameClaim claim = writer.claim();
                claim.pixels().fill((byte) i);
                claim.publish();
            }
        }
        try (FileChannel file = FileChannel.open(rings.pathOf(name), StandardOpenOption.READ)) {
            file.read(pristine, 0);
        }
        SplittableRandom random = new SplittableRandom(SEED);
        long opened = 0;
        long refused = 0;
        long framesRead = 0;
        // Every tenth case reopens the ring (the validation path); the others corrupt the header
        // under a ring and reader that are already open (the read path, racing a scribbler).
        try (FileChannel file = FileChannel.open(rings.pathOf(name), StandardOpenOption.READ, StandardOpenOption.WRITE);
             SharedRing longLived = SharedRing.open(name);
             SharedRing publishing = SharedRing.open(name, true)) {
            RingWriter writer = publishing.writer(OverflowPolicy.overwrite());
            for (int i = 0; i < CASES; i++) {
                pristine.rewind();
                file.write(pristine, 0);
                if (i % 10 == 0) {
                    corrupt(file, random, headerLength);
                    try (SharedRing ring = SharedRing.open(name)) {
                        framesRead += readSome(ring, attach(ring, random), random);
                        ring.status();
                        opened++;
                    } catch (RingException e) { // at open, or at attach (a negative HEAD, say)
                        refused++;
                        assertTrue(e.getMessage() != null && e.getMessage().contains(name), "the error names the ring: " + e.getMessage());
                    }
                    continue;
                }
                RingReader reader = attach(longLived, random);
                for (int frames = random.nextInt(4); frames > 0; frames--) {
                    writer.claim().publish();
                }
                corrupt(file, random, headerLength);
                framesRead += readSome(longLived, reader, random);
                longLived.status();
                if (reader != null) {
                    reader.close();
                }
            }
        }
        System.out.printf("fuzz: %d cases (seed %x): %d reopened (%d refused with a clear error), %d frames read%n",
                CASES, SEED, opened + refused, refused, framesRead);
        assertEquals(CASES / 10 + (CASES % 10 == 0 ? 0 : 1), opened + refused);
    }

    /** Overwrites 1..8 random places with random bytes, random words or interesting values. */
    private static void corrupt(FileChannel file, SplittableRandom random, int headerLength) throws IOException {
        int places = 1 + random.nextInt(8);
        for (int p = 0; p < places; p++) {
            // Half the hits on the static and producer lines, where validation lives.
            int offset = random.nextBoolean() ? random.nextInt(128) : random.nextInt(headerLength);
            long value = switch (random.nextInt(5)) {
                case 0 -> 0;
                case 1 -> -1;
                case 2 -> Long.MAX_VALUE;
                case 3 -> random.nextInt(64);
                default -> random.nextLong();
            };
            int width = 1 << random.nextInt(4); // 1, 2, 4 or 8 bytes
            ByteBuffer bytes = ByteBuffer.allocate(width).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int b = 0; b < width; b++) {
                bytes.put((byte) (value >>> (8 * b)));
            }
            bytes.flip();
            file.write(bytes, Math.min(offset, headerLength - width));
        }
    }

    /** A reader, or null when corruption made every line look taken (a clear error, not a failure). */
    private static RingReader attach(SharedRing ring, SplittableRandom random) {
        try {
            return ring.attachReader(random.nextBoolean() ? ReadMode.EVERY : ReadMode.LATEST);
        } catch (RingFullException e) {
            return null;
        }
    }

    private static long readSome(SharedRing ring, RingReader reader, SplittableRandom random) {
        if (reader == null) {
            return 0;
        }
        long frames = 0;
        DisplayReader display = random.nextBoolean() ? new DisplayReader(reader) : null; // a display, or a plain reader
        for (int attempt = 0; attempt < 3; attempt++) {
            Frame frame = display != null ? display.poll() : reader.poll();
            if (frame == null) {
                continue;
            }
            assertEquals(ring.geometry().frameLength(), frame.pixels().byteSize(), "a frame is exactly one slot");
            frame.pixels().get(java.lang.foreign.ValueLayout.JAVA_BYTE, frame.pixels().byteSize() - 1);
            if (reader.holding()) {
                reader.release();
            }
            frames++;
        }
        return frames;
    }
}
