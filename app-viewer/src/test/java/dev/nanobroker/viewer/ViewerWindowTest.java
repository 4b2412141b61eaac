package dev.nanobroker.viewer;

import static org.junit.jupiter.api.Assertions.*;

import dev.nanobroker.fx.WindowPlacement;
import dev.nanobroker.producer.ProducerSettings;
import dev.nanobroker.ring.SharedRing;
import dev.nanobroker.ring.testing.Await;
import dev.nanobroker.ring.testing.ChildJvm;
import dev.nanobroker.ring.testing.TestRings;
import dev.nanobroker.viewer.testing.RunningProducer;
import dev.nanobroker.viewer.testing.ViewerWindows;
import javafx.scene.image.Image;
import javafx.scene.image.PixelReader;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.time.Duration;

/** The viewer window under Xvfb: what it puts on the screen, and how it rides out a producer's death. */
@ExtendWith(ApplicationExtension.class)
class ViewerWindowTest {

    private final TestRings rings = new TestRings();
    private String name;
    private ViewerWindow window;

    @Start
    void start(Stage stage) {
        name = rings.newName("viewer");
        window = ViewerApp.show(stage, new ViewerModel(name), false, WindowPlacement.sized(480, 300));
    }

    @AfterEach
    void stop(FxRobot robot) throws Exception {
        ViewerWindows.shutdown(robot, window);
        rings.close();
    }

    private ViewerModel.State state() {
        return window.model().stateProperty().get();
    }

    private static ProducerSettings settings(String name, String pattern, double fps) {
        return ProducerSettings.defaults(name).withSize(320, 180).withFps(fps).withPattern(pattern).withChecksum(false);
    }

    @Test
    void everyCaptureOfTheShownImageIsOneWholeFrameNeverTwoHalves(FxRobot robot) throws Exception {
        // Each frame is one flat colour from its sequence number: a torn frame shows two colours.
        try (RunningProducer producer = RunningProducer.start(settings(name, "sequence", 0))) {
            Await.until(() -> state() == ViewerModel.State.SHOWING, "the first frame");
            int captures = 60;
            long distinctFrames = 0;
            int previous = 0;
            long seen = -1;
            for (int i = 0; i < captures; i++) {
                long before = seen;
                Await.until(() -> window.model().shownSequence() != before, "a new frame on screen");
                seen = window.model().shownSequence();
                // TestFX captures a node by snapshot: JavaFX renders the view from the texture it
                // uploaded out of the slot, i.e. what the window shows.
                Image shot = robot.capture(window.imageView()).getImage();
                int colour = assertOneColour(shot, i);
                if (colour != previous) {
                    distinctFrames++;
                    previous = colour;
                }
            }
            assertTrue(distinctFrames > captures / 3, "the screen kept changing: " + distinctFrames + " distinct frames seen");
            assertTrue(producer.engine().stats().published() > 100, "the producer ran flat out: " + producer.engine().stats());
        }
    }

    /** Samples a grid over the captured image (away from its scaled edges); all samples must agree. */
    private static int assertOneColour(Image shot, int capture) {
        PixelReader pixels = shot.getPixelReader();
        int width = (int) shot.getWidth();
        int height = (int) shot.getHeight();
        int first = pixels.getArgb(width / 2, height / 2);
        for (int gy = 1; gy < 10; gy++) {
            for (int gx = 1; gx < 10; gx++) {
                int argb = pixels.getArgb(gx * width / 10, gy * height / 10);
                assertTrue(close(first, argb), String.format("capture %d tore: %08x at the centre, %08x at (%d, %d)",
                        capture, first, argb, gx * width / 10, gy * height / 10));
            }
        }
        return first;
    }

    private static boolean close(int a, int b) {
        for (int shift = 0; shift < 32; shift += 8) {
            if (Math.abs((a >>> shift & 0xFF) - (b >>> shift & 0xFF)) > 2) {
                return false;
            }
        }
        return true;
    }

    @Test
    void waitsForTheRingThenShowsIt(FxRobot robot) throws Exception {
        Await.until(() -> state() == ViewerModel.State.WAITING, "the waiting screen");
        assertTrue(robot.lookup("#waiting").queryLabeled().isVisible());
        assertEquals("waiting for " + name + "…", robot.lookup("#waiting").queryLabeled().getText());
        try (RunningProducer producer = RunningProducer.start(settings(name, "smpte", 60))) {
            Await.until(() -> state() == ViewerModel.State.SHOWING, "frames");
            assertFalse(robot.lookup("#waiting").queryLabeled().isVisible());
            Await.until(() -> window.model().shownSequence() > 10, "frames to keep coming");
        }
    }

    @Test
    void producerKilledShowsNoSignalAndARestartedProducerIsPickedUpByItself(FxRobot robot) throws Exception {
        try (ChildJvm first = ChildJvm.start(TestProducerMain.class, name, "320", "180", "ball")) {
            first.awaitLine("PRODUCING"::equals, Duration.ofSeconds(30));
            Await.until(() -> state() == ViewerModel.State.SHOWING, "frames from the first producer");
            first.kill9();
            Await.until(() -> state() == ViewerModel.State.NO_SIGNAL, "no signal");
            assertTrue(robot.lookup("#no-signal").queryLabeled().getText().startsWith("NO SIGNAL — producer gone"),
                    robot.lookup("#no-signal").queryLabeled().getText());
            assertNotNull(window.model().imageProperty().get(), "the last frame stays up");
        }
        long before = window.model().shownSequence();
        // Another size: a new file under the same name; the viewer re-attaches without being touched.
        try (ChildJvm second = ChildJvm.start(TestProducerMain.class, name, "256", "144", "ball")) {
            second.awaitLine("PRODUCING"::equals, Duration.ofSeconds(30));
            Await.until(() -> state() == ViewerModel.State.SHOWING && window.model().imageProperty().get().getWidth() == 256,
                    "frames from the restarted producer");
            Await.until(() -> window.model().shownSequence() > 10 && window.model().shownSequence() != before, "frames to keep coming");
            assertFalse(robot.lookup("#no-signal").queryLabeled().isVisible());
            try (SharedRing ring = SharedRing.open(name)) {
                assertEquals(1, ring.status().attachedReaders(), "the viewer's line on the new ring");
            }
        }
    }
}
