package dev.nanobroker.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.nanobroker.fx.WindowPlacement;
import dev.nanobroker.producer.ProducerEngine;
import dev.nanobroker.producer.ProducerSettings;
import dev.nanobroker.ring.OverflowPolicy;
import dev.nanobroker.ring.ReadMode;
import dev.nanobroker.ring.RingReader;
import dev.nanobroker.ring.SharedRing;
import dev.nanobroker.ring.testing.Await;
import dev.nanobroker.ring.testing.TestRings;
import dev.nanobroker.viewer.ViewerApp;
import dev.nanobroker.viewer.ViewerModel;
import dev.nanobroker.viewer.ViewerStats;
import dev.nanobroker.viewer.ViewerWindow;
import dev.nanobroker.viewer.testing.ViewerWindows;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The viewer's overlay and {@code nanobroker stat --json} read the same ring and must say the same. */
@ExtendWith(ApplicationExtension.class)
class ViewerOverlayStatTest {

    private static final Pattern LINE = Pattern.compile("#(\\d+)\\s+pid (\\d+)\\s+(\\w+)\\s+lag (\\d+)\\s+skipped (\\d+)\\s+lost (\\d+).*");

    private final TestRings rings = new TestRings();
    private String name;
    private ViewerModel model;
    private ViewerWindow window;

    @Start
    void start(Stage stage) {
        name = rings.newName("overlay");
        model = new ViewerModel(name);
        window = ViewerApp.show(stage, model, true, WindowPlacement.sized(1280, 760)); // the full panel: rows with pids
    }

    @AfterEach
    void stop(FxRobot robot) throws Exception {
        ViewerWindows.shutdown(robot, window);
        rings.close();
    }

    @Test
    void overlayReaderLinesAgreeWithStatJson(FxRobot robot) throws Exception {
        ProducerSettings settings = ProducerSettings.defaults(name).withSize(320, 180).withFps(120)
                .withPolicy(OverflowPolicy.drop()).withPattern("ball").withChecksum(false);
        try (ProducerEngine engine = new ProducerEngine(settings);
             SharedRing ring = SharedRing.open(name);
             RingReader slowReader = ring.attachReader(ReadMode.EVERY)) {
            Await.until(() -> model.stateProperty().get() == ViewerModel.State.WAITING
                    || model.stateProperty().get() == ViewerModel.State.SHOWING, "the viewer to attach");
            Await.until(() -> ring.status().attachedReaders() == 2, "the viewer's reader line");
            // The slow reader takes 3 frames and then stops, so the producer drops and the lines differ.
            Thread producer = Thread.ofPlatform().start(() -> engine.run(() -> engine.stats().attempted() >= 90));
            for (int i = 0; i < 3; i++) {
                while (slowReader.poll() == null) {
                    Thread.onSpinWait();
                }
                slowReader.release();
            }
            producer.join(30_000);
            long head = ring.head();
            // Everything is still now: stat says what the ring holds, and the overlay (redrawn every
            // 250 ms) must come to show exactly that for every attached line.
            StringWriter out = new StringWriter();
            int exit = NanoBrokerCommand.commandLine(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true))
                    .execute("stat", name, "--json");
            assertEquals(0, exit);
            StatReport stat = JsonReports.read(out.toString(), StatReport.class);
            int compared = 0;
            for (StatReport.Reader reader : stat.readers()) {
                int line = reader.slot();
                String expected = String.format("pid %s mode %s lag %s skipped %s lost %s", reader.pid(), reader.mode(), reader.lag(),
                        reader.skipped(), reader.lost());
                String[] shown = new String[1];
                Await.until(() -> {
                    shown[0] = robot.lookup("#reader-line-" + line).queryLabeled().getText();
                    Matcher overlay = LINE.matcher(shown[0]);
                    return overlay.matches() && expected.equals(String.format("pid %s mode %s lag %s skipped %s lost %s",
                            overlay.group(2), overlay.group(3), overlay.group(4), overlay.group(5), overlay.group(6)));
                }, "line " + line + " of the overlay to show " + expected + " as stat does");
                compared++;
            }
            assertEquals(head, stat.head());
            assertEquals(2, compared, out.toString());
        }
    }
}
