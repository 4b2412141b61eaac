package dev.nanobroker.ring;

import dev.nanobroker.ring.testing.TestRings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The notes bridge ends leave beside their rings: read back as written, only while their process lives. */
class BridgeNoteTest {

    private final TestRings rings = new TestRings();

    @AfterEach
    void cleanUp() throws Exception {
        rings.close();
    }

    private static Map<String, Long> counts(long received, long lost) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("received", received);
        counts.put("lost", lost);
        counts.put("incomplete", 0L);
        return counts;
    }

    @Test
    void aNoteReadsBackAsWrittenAndGoesWhenRemoved() throws Exception {
        String ring = rings.newName("note");
        BridgeNote.Clock clock = BridgeNote.Clock.estimated(2_500_165_426L, 320_522);
        BridgeNote written = BridgeNote.now(BridgeNote.Role.RECEIVE, ring, "ring cam0 from 198.18.77.1 on 198.18.77.2:40456",
                counts(291, 2), clock);
        boolean madeHere = !Files.exists(BridgeNote.DIRECTORY);
        written.write();
        if (madeHere) {
            int mode = (Integer) Files.getAttribute(BridgeNote.DIRECTORY, "unix:mode");
            assertEquals(01777, mode & 07777, "every user's bridges write there, each note removable by its owner only");
        }
        try {
            assertEquals(List.of(written), BridgeNote.of(ring));
            assertEquals(written, BridgeNote.receiverOf(ring));
            assertEquals(List.of("received", "lost", "incomplete"), List.copyOf(written.counts().keySet()), "in the order given");
            assertEquals("bridge receive (pid " + ProcessHandle.current().pid() + ", ring cam0 from 198.18.77.1 on 198.18.77.2:40456):"
                    + " received 291, lost 2, incomplete 0; sender's clock estimated, ± 0.32 ms", written.describe());
            assertTrue(clock.endToEnd());
            assertFalse(BridgeNote.Clock.UNKNOWN.endToEnd());

            BridgeNote later = BridgeNote.now(BridgeNote.Role.RECEIVE, ring, written.peer(), counts(351, 2), clock);
            later.write();
            assertEquals(List.of(later), BridgeNote.of(ring), "a note replaces the last");
        } finally {
            BridgeNote.remove(BridgeNote.Role.RECEIVE, ring);
        }
        assertEquals(List.of(), BridgeNote.of(ring));
        assertNull(BridgeNote.receiverOf(ring));
    }

    @Test
    void theNoteOfABridgeThatDiedIsNotTakenAndIsRemoved() throws Exception {
        String ring = rings.newName("note-dead");
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        long token = ProcessIdentity.tokenOf(sleeper.pid());
        sleeper.destroyForcibly().waitFor();
        new BridgeNote(BridgeNote.Role.SEND, token, ring, "to 127.0.0.1:40456", counts(5, 0), null, System.currentTimeMillis()).write();
        assertTrue(Files.exists(BridgeNote.DIRECTORY.resolve(ring + ".send." + sleeper.pid())));

        assertEquals(List.of(), BridgeNote.of(ring));
        assertFalse(Files.exists(BridgeNote.DIRECTORY.resolve(ring + ".send." + sleeper.pid())), "the look removed it");
    }

    @Test
    void aFileThatIsNotANoteIsSkipped() throws Exception {
        String ring = rings.newName("note-bad");
        Files.createDirectories(BridgeNote.DIRECTORY);
        var junk = BridgeNote.DIRECTORY.resolve(ring + ".receive.1");
        Files.writeString(junk, "role=receive\nprocess=not-a-number\n");
        try {
            assertEquals(List.of(), BridgeNote.of(ring));
        } finally {
            Files.deleteIfExists(junk);
        }
    }
}
