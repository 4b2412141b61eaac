package dev.nanobroker.cli;

import dev.nanobroker.ring.OverflowPolicy;
import dev.nanobroker.ring.ReadMode;
import dev.nanobroker.ring.RingGeometry;
import dev.nanobroker.ring.SharedRing;
import dev.nanobroker.ring.StaleRings;
import dev.nanobroker.ring.testing.Await;
import dev.nanobroker.ring.testing.ChildJvm;
import dev.nanobroker.ring.testing.Children;
import dev.nanobroker.ring.testing.CreatingTemporaryMain;
import dev.nanobroker.ring.testing.TestRings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code ls} marking stale rings and {@code rm --dead} removing them, with real producer, reader and
 * creator processes SIGKILLed. Every {@code rm --dead} here is limited by {@code --prefix} to this
 * test's rings: other tests running at the same time have stale rings of their own, some about to
 * be taken over by a restarted producer.
 */
class StaleRingsCommandTest {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    private final TestRings rings = new TestRings();
    private final Children children = new Children();
    /** Names of this test's rings start with it, and no other process's do. */
    private final String prefix = "nbtest-stalecmd" + ProcessHandle.current().pid() + "x";
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void cleanUp() throws Exception {
        children.close();
        rings.close();
    }

    private String newName(String purpose) {
        return rings.newName("stalecmd" + ProcessHandle.current().pid() + "x" + purpose);
    }

    private ChildJvm start(Class<?> main, String... args) {
        return children.start(main, args);
    }

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return NanoBrokerCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    private List<String> outLines() {
        return out.toString().lines().toList();
    }

    @Test
    void rmDeadRemovesAKilledProducersRingAndADeadCreatorsTemporaryAndNothingLive() throws Exception {
        assertTrue(prefix.startsWith("nbtest-"));
        String stale = newName("killed");
        ChildJvm producer = start(NanoBrokerCommand.class, "produce", "--headless", "--name", stale, "--size", "64x64",
                "--fps", "200", "--frames", "0");
        ChildJvm reader = start(NanoBrokerCommand.class, "read", stale, "--timeout-s", "60");
        // Old enough for rm --dead (a younger stale ring may be one its producer is still attaching to).
        Await.status(stale, status -> status.readers().stream().anyMatch(r -> r.reading() && r.frames() > 10)
                && System.currentTimeMillis() - status.createdMillis() > StaleRings.MINIMUM_AGE.toMillis(), LIMIT);
        producer.kill9();
        reader.kill9();
        ChildJvm creator = start(CreatingTemporaryMain.class, newName("creating"), "8300000");
        Path temporary = Path.of(creator.awaitLine(line -> line.startsWith("CREATED "), LIMIT).substring("CREATED ".length()));
        creator.kill9();

        String writing = newName("writing");
        String reading = newName("reading");
        try (SharedRing live = SharedRing.create(writing, RingGeometry.of(16, 16, 2));
             SharedRing watched = SharedRing.create(reading, RingGeometry.of(16, 16, 2))) {
            live.writer(OverflowPolicy.drop());
            watched.attachReader(ReadMode.EVERY); // a reader alone, no producer: in use all the same

            assertEquals(0, run("ls"));
            assertTrue(outLines().stream().anyMatch(line -> line.startsWith(stale + " ") && line.endsWith(" stale")), out.toString());
            assertTrue(outLines().stream().anyMatch(line -> line.startsWith(writing + " ") && line.endsWith(" -")), out.toString());
            assertTrue(outLines().stream().anyMatch(line -> line.startsWith(reading + " ") && line.endsWith(" -")), out.toString());
            assertTrue(outLines().getLast().matches("[0-9]+ stale rings? and [0-9]+ temporar(y|ies) of dead ring creators"
                    + " \\([0-9.]+ MB\\): remove (it|them) with 'nanobroker rm --dead'"), out.toString());

            assertEquals(0, run("rm", "--dead", "--prefix", prefix));
            assertEquals(List.of(
                    "removed stale ring " + stale + " (producer pid " + producer.pid() + " dead, 1 dead reader)",
                    "removed temporary " + temporary.getFileName() + " (8.3 MB) of dead creator pid " + creator.pid(),
                    String.format("removed 1 stale ring and 1 temporary, %.1f MB freed",
                            (RingGeometry.of(64, 64, 8).fileLength() + 8_300_000) / 1e6)), outLines(), err.toString());
            assertFalse(Files.exists(rings.pathOf(stale)));
            assertFalse(Files.exists(temporary));
            assertTrue(Files.exists(rings.pathOf(writing)), "a live producer's ring stays");
            assertTrue(Files.exists(rings.pathOf(reading)), "a live reader's ring stays");

            assertEquals(0, run("rm", "--dead", "--prefix", prefix));
            assertEquals(List.of("nothing stale"), outLines());
        }
    }

    @Test
    void rmDeadJsonReportsAYoungStaleRingAsSkipped() {
        String young = newName("young");
        SharedRing.create(young, RingGeometry.of(16, 16, 2)).close(); // no writer ever attached: stale, but new
        assertEquals(0, run("rm", "--dead", "--prefix", prefix, "--json"));
        String json = out.toString().strip();
        assertTrue(json.startsWith("{\"removed_rings\":[],\"removed_temporaries\":[],\"skipped\":[{\"name\":\"" + young
                + "\",\"reason\":\"too_young\""), json);
        assertEquals(0, JsonReports.read(json, RmDeadReport.class).bytesFreed(), json);
        assertTrue(Files.exists(rings.pathOf(young)));

        assertEquals(0, run("ls", "--json"));
        assertTrue(Pattern.compile("\\{\"name\":\"" + young + "\"[^}]*\"readers\":0,\"stale\":true}").matcher(out.toString()).find(),
                out.toString());
        assertTrue(out.toString().contains("\"temporaries\":["), out.toString());
    }

    @Test
    void rmDeadWithANameOrForceIsAUsageError() {
        assertEquals(2, run("rm", "--dead", newName("usage")));
        assertTrue(err.toString().startsWith("nanobroker rm: give a NAME or --dead, not both"), err.toString());
        assertEquals(2, run("rm", "--dead", "--force"));
        assertTrue(err.toString().startsWith("nanobroker rm: --force does not go with --dead"), err.toString());
        assertEquals(2, run("rm"));
        assertTrue(err.toString().startsWith("nanobroker rm: Missing required parameter: 'NAME'"), err.toString());
        assertEquals(2, run("rm", newName("usage"), "--prefix", "x"));
        assertTrue(err.toString().startsWith("nanobroker rm: --prefix goes with --dead only"), err.toString());
        assertEquals(0, run("rm", "--help"));
        assertTrue(out.toString().contains("--dead"), out.toString());
    }
}
