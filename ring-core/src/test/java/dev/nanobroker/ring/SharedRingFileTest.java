package dev.nanobroker.ring;

import dev.nanobroker.ring.testing.TestRings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.*;

/** Rings as files in /dev/shm: creation, opening, and every way a file can be wrong. */
class SharedRingFileTest {

    private static final RingGeometry SMALL = RingGeometry.of(16, 8, 3);

    private final TestRings rings = new TestRings();

    @AfterEach
    void removeRings() throws IOException {
        rings.close();
    }

    @Test
    void createdRingIsOwnerOnlyFullyAllocatedAndOpensWithTheSameGeometry() throws IOException {
        String name = rings.newName("create");
        try (SharedRing created = SharedRing.create(name, SMALL);
             SharedRing opened = SharedRing.open(name)) {
            Path file = rings.pathOf(name);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals(SMALL.fileLength(), Files.size(file));
            assertEquals(SMALL, opened.geometry());
            assertEquals(0, opened.head());
            assertEquals(RingLayout.STATE_OPEN, opened.state());
            assertFalse(opened.isProducerAlive(), "no writer attached yet");
            created.writer(OverflowPolicy.drop());
            assertTrue(opened.isProducerAlive());
            assertFalse(opened.isReplaced());
            try (var hidden = Files.newDirectoryStream(SharedRing.DIRECTORY, "." + name + "*")) {
                assertFalse(hidden.iterator().hasNext(), "no temporary file is left behind");
            }
        }
    }

    @Test
    void framesWrittenInOneMappingAreSeenInAnother() {
        String name = rings.newName("twomaps");
        try (SharedRing writing = SharedRing.create(name, SMALL);
             SharedRing reading = SharedRing.open(name)) {
            RingReader reader = reading.attachReader(ReadMode.EVERY);
            RingWriter writer = writing.writer(OverflowPolicy.drop());
            FrameClaim claim = writer.claim();
            claim.pixels().fill((byte) 42);
            claim.checksum(FrameChecksum.of(claim.pixels())).publish();
            Frame frame = reader.poll();
            assertEquals(0, frame.sequence());
            assertEquals(FrameChecksum.of(frame.pixels()), frame.checksum());
            assertTrue(frame.pixels().isReadOnly(), "readers map pixels read-only");
            assertTrue(reader.release());
        }
    }

    @Test
    void creatingAnExistingRingFails() {
        String name = rings.newName("exists");
        try (SharedRing ignored = SharedRing.create(name, SMALL)) {
            RingException e = assertThrows(RingException.class, () -> SharedRing.create(name, SMALL));
            assertEquals("ring " + name + " already exists", e.getMessage());
        }
    }

    @Test
    void producerJoinsARingOfTheSameGeometryAndReplacesAClosedOneOfAnother() {
        String name = rings.newName("replace");
        try (SharedRing first = SharedRing.openForWriting(name, SMALL)) {
            RingWriter writer = first.writer(OverflowPolicy.drop());
            try (SharedRing joined = SharedRing.openForWriting(name, SMALL)) {
                assertFalse(joined.isReplaced(), "same geometry: same file");
            }
            RingGeometry bigger = RingGeometry.of(32, 8, 3);
            RingException busy = assertThrows(RingException.class, () -> SharedRing.openForWriting(name, bigger));
            assertTrue(busy.getMessage().contains("in use by a live producer"), busy.getMessage());
            writer.close(); // the producer is done: the ring is closed
            try (SharedRing replaced = SharedRing.openForWriting(name, bigger)) {
                assertEquals(bigger, replaced.geometry());
                assertTrue(first.isReplaced(), "the old mapping sees that its name moved on");
            }
        }
    }

    @Test
    void missingRingSaysSo() {
        String name = rings.newName("missing");
        RingException e = assertThrows(RingNotFoundException.class, () -> SharedRing.open(name));
        assertEquals("ring " + name + " does not exist (no /dev/shm/" + name + ")", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "..", ".hidden", "../etc", "name with space"})
    void badNamesAreRefused(String name) {
        RingException e = assertThrows(RingException.class, () -> SharedRing.open(name));
        assertTrue(e.getMessage().startsWith("invalid ring name"), e.getMessage());
    }

    @Test
    void tooLongNameIsRefused() {
        RingException e = assertThrows(RingException.class, () -> SharedRing.create("x".repeat(200), SMALL));
        assertTrue(e.getMessage().startsWith("invalid ring name"), e.getMessage());
    }

    @Test
    void symlinkIsNeverFollowed() throws IOException {
        String target = rings.newName("target");
        String link = rings.newName("link");
        try (SharedRing ignored = SharedRing.create(target, SMALL)) {
            Files.createSymbolicLink(rings.pathOf(link), rings.pathOf(target));
            RingException e = assertThrows(RingException.class, () -> SharedRing.open(link));
            assertTrue(e.getMessage().contains("is a symbolic link; refusing to follow it"), e.getMessage());
            assertThrows(RingException.class, () -> SharedRing.openForWriting(link, SMALL));
        }
    }

    @Test
    void truncatedFilesAreRefusedBeforeMapping() throws IOException {
        String name = rings.newName("truncated");
        SharedRing.create(name, SMALL).close();
        try (FileChannel file = FileChannel.open(rings.pathOf(name), StandardOpenOption.WRITE)) {
            file.truncate(SMALL.fileLength() - 1);
        }
        RingException e = assertThrows(RingException.class, () -> SharedRing.open(name));
        assertEquals("ring " + name + " is truncated: the file has " + (SMALL.fileLength() - 1)
                + " bytes, its header needs " + SMALL.fileLength(), e.getMessage());
        try (FileChannel file = FileChannel.open(rings.pathOf(name), StandardOpenOption.WRITE)) {
            file.truncate(10);
        }
        e = assertThrows(RingException.class, () -> SharedRing.open(name));
        assertTrue(e.getMessage().contains("is truncated: 10 bytes"), e.getMessage());
    }

    @Test
    void zeroLengthFileIsRefused() throws IOException {
        String name = rings.newName("empty");
        Files.createFile(rings.pathOf(name));
        RingException e = assertThrows(RingException.class, () -> SharedRing.open(name));
        assertTrue(e.getMessage().contains("is truncated: 0 bytes"), e.getMessage());
    }

    private void corrupt(String name, int offset, long value, boolean asInt) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(asInt ? 4 : 8).order(ByteOrder.LITTLE_ENDIAN);
        if (asInt) {
            bytes.putInt((int) value);
        } else {
            bytes.putLong(value);
        }
        bytes.flip();
        try (FileChannel file = FileChannel.open(rings.pathOf(name), StandardOpenOption.WRITE)) {
            file.write(bytes, offset);
        }
    }

    @Test
    void wrongMagicVersionFormatAndGeometryAreRefused() throws IOException {
        String name = rings.newName("corrupt");
        SharedRing.create(name, SMALL).close();

        corrupt(name, RingLayout.MAGIC_OFFSET, 0x1234, false);
        assertEquals("ring " + name + " is not a NanoBroker ring (bad magic number)",
                assertThrows(RingException.class, () -> SharedRing.open(name)).getMessage());
        corrupt(name, RingLayout.MAGIC_OFFSET, RingLayout.MAGIC, false);

        corrupt(name, RingLayout.VERSION_OFFSET, 99, true);
        assertEquals("ring " + name + " has layout version 99; this NanoBroker reads version " + RingLayout.LAYOUT_VERSION,
                assertThrows(RingException.class, () -> SharedRing.open(name)).getMessage());
        corrupt(name, RingLayout.VERSION_OFFSET, RingLayout.LAYOUT_VERSION, true);

        corrupt(name, RingLayout.PIXEL_FORMAT_OFFSET, 7, true);
        assertEquals("ring " + name + " has unknown pixel format 7",
                assertThrows(RingException.class, () -> SharedRing.open(name)).getMessage());
        corrupt(name, RingLayout.PIXEL_FORMAT_OFFSET, RingLayout.PIXEL_FORMAT_BGRA_PRE, true);

        corrupt(name, RingLayout.WIDTH_OFFSET, 1_000_000, true);
        String absurd = assertThrows(RingException.class, () -> SharedRing.open(name)).getMessage();
        assertTrue(absurd.startsWith("ring " + name + " has an invalid geometry: frame size 1000000x8"), absurd);
        corrupt(name, RingLayout.WIDTH_OFFSET, 32, true); // valid, but the stride no longer fits
        assertTrue(assertThrows(RingException.class, () -> SharedRing.open(name)).getMessage().contains("invalid geometry"));
        corrupt(name, RingLayout.WIDTH_OFFSET, 16, true);

        corrupt(name, RingLayout.SLOT_COUNT_OFFSET, 1000, true);
        assertTrue(assertThrows(RingException.class, () -> SharedRing.open(name)).getMessage().contains("inconsistent header"));
        corrupt(name, RingLayout.SLOT_COUNT_OFFSET, 3, true);

        try (SharedRing repaired = SharedRing.open(name)) {
            assertEquals(SMALL, repaired.geometry());
        }
    }

    @Test
    void ringLargerThanTheFreeSpaceFailsBeforeMapping() {
        String name = rings.newName("huge");
        RingGeometry huge = RingGeometry.of(16_384, 16_384, 4_096);
        RingException e = assertThrows(RingException.class, () -> SharedRing.create(name, huge));
        assertTrue(e.getMessage().matches("ring " + name + " needs [0-9.]+ MB but /dev/shm has only [0-9.]+ MB free.*"),
                e.getMessage());
        assertFalse(Files.exists(rings.pathOf(name)));
    }

    @Test
    void nonRingFileIsNeverReplacedByAProducer() throws IOException {
        String name = rings.newName("foreign");
        Files.writeString(rings.pathOf(name), "somebody else's data that is long enough to hold a header line, surely");
        RingException e = assertThrows(RingException.class, () -> SharedRing.openForWriting(name, SMALL));
        assertTrue(e.getMessage().contains("is not a NanoBroker ring"), e.getMessage());
        assertTrue(Files.readString(rings.pathOf(name)).startsWith("somebody"));
    }

    @Test
    void listNamesFindsRingsOnly() throws IOException {
        String ring = rings.newName("listed");
        String other = rings.newName("notring");
        Files.writeString(rings.pathOf(other), "x".repeat(100));
        try (SharedRing ignored = SharedRing.create(ring, SMALL)) {
            assertTrue(SharedRing.listNames().contains(ring));
            assertFalse(SharedRing.listNames().contains(other));
        }
    }

    @Test
    void ringSharedWithAGroupGetsThatGroupAndMode() throws IOException {
        String name = rings.newName("group");
        String group = Files.readAttributes(Path.of("/proc/self"), java.nio.file.attribute.PosixFileAttributes.class).group().getName();
        try (SharedRing ignored = SharedRing.openForWriting(name, SMALL, RingAccess.forGroup(group), false)) {
            var attributes = Files.readAttributes(rings.pathOf(name), java.nio.file.attribute.PosixFileAttributes.class);
            assertEquals("rw-rw----", PosixFilePermissions.toString(attributes.permissions()));
            assertEquals(group, attributes.group().getName());
        }
        RingException unknown = assertThrows(RingException.class,
                () -> SharedRing.openForWriting(rings.newName("nogroup"), SMALL, RingAccess.forGroup("no-such-group-here"), false));
        assertEquals("there is no group named 'no-such-group-here' to share the ring with", unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RingAccess.parse("0460", null));
        assertThrows(IllegalArgumentException.class, () -> RingAccess.parse("0755", null));
        assertEquals("rw-r-----", PosixFilePermissions.toString(RingAccess.parse("640", null).permissions()));
    }

    @Test
    void ringOfAnotherUserIsRefusedUnlessAskedFor() throws Exception {
        String name = rings.newName("foreign");
        SharedRing.create(name, SMALL).close();
        java.nio.file.attribute.UserPrincipal nobody;
        try {
            nobody = rings.pathOf(name).getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(rings.pathOf(name), nobody);
        } catch (IOException e) {
            org.junit.jupiter.api.Assumptions.abort("cannot hand a file to user nobody here: " + e);
            return;
        }
        RingException refused = assertThrows(RingException.class, () -> SharedRing.open(name));
        assertTrue(refused.getMessage().startsWith("ring " + name + " belongs to user nobody"), refused.getMessage());
        if (!"root".equals(System.getProperty("user.name"))) {
            return; // only root can still open nobody's 0600 file
        }
        try (SharedRing allowed = SharedRing.open(name, false, true)) {
            assertEquals(SMALL, allowed.geometry());
        }
    }
}
