package dev.nanobroker.viewer;

import static org.junit.jupiter.api.Assertions.*;

import dev.nanobroker.fx.WindowPlacement;
import dev.nanobroker.producer.ProducerSettings;
import dev.nanobroker.ring.testing.Await;
import dev.nanobroker.ring.testing.TestRings;
import dev.nanobroker.viewer.testing.RunningProducer;
import dev.nanobroker.viewer.testing.ViewerWindows;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The age of the frame on screen, from captures of the screen's own pixels: the latency clock's box
 * row is read back from what the X server holds, and the ages come out positive and in order
 * (render → pixels is at least publish → pixels). Timings are not asserted.
 */
@ExtendWith(ApplicationExtension.class)
class ViewerScreenLatencyTest {

    private static final Pattern REPORT = Pattern.compile(
            "on screen \\(captured\\): publish → pixels p50 ([0-9.]+) ms, p99 ([0-9.]+) ms; render → pixels p50 ([0-9.]+) ms,"
                    + " p99 ([0-9.]+) ms \\((\\d+) captures\\)");

    private final TestRings rings = new TestRings();
    private String name;
    private ViewerWindow window;

    @Start
    void start(Stage stage) {
        name = rings.newName("screen");
        window = ViewerApp.show(stage, new ViewerModel(name), true, WindowPlacement.sized(800, 600));
        window.measureScreenLatency(true);
    }

    @AfterEach
    void stop(FxRobot robot) throws Exception {
        ViewerWindows.shutdown(robot, window);
        rings.close();
    }

    @Test
    void theClockOnScreenIsReadBackAndAged(FxRobot robot) throws Exception {
        try (RunningProducer producer = RunningProducer.start(ProducerSettings.defaults(name).withSize(640, 360)
                .withFps(30).withPattern("clock").withChecksum(false))) {
            String[] report = new String[1];
            Await.until(() -> {
                try {
                    report[0] = WaitForAsyncUtils.asyncFx(window::screenLatencyReport).get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                Matcher m = report[0] == null ? null : REPORT.matcher(report[0]);
                return m != null && m.matches() && Integer.parseInt(m.group(5)) >= 4;
            }, "four readable captures of the screen");
            Matcher m = REPORT.matcher(report[0]);
            assertTrue(m.matches(), report[0]);
            double publishToPixels = Double.parseDouble(m.group(1));
            double renderToPixels = Double.parseDouble(m.group(3));
            assertTrue(publishToPixels > 0, report[0]);
            assertTrue(renderToPixels >= publishToPixels, "rendering comes before publishing: " + report[0]);
            // While it is measured, the headline latency is the frame's age on screen, and says so.
            Await.until(() -> ViewerWindows.textOf(robot, "#overlay-latency-caption").contains("publish → on screen"),
                    "the headline latency labelled as measured on screen");
        }
    }
}
