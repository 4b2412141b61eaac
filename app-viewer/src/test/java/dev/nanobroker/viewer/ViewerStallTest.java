package dev.nanobroker.viewer;

import static org.junit.jupiter.api.Assertions.*;

import dev.nanobroker.fx.WindowPlacement;
import dev.nanobroker.producer.ProducerSettings;
import dev.nanobroker.ring.RingStatus;
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

/**
 * A stalled viewer (key Z) stops taking frames while its overlay goes on: under {@code block} the
 * producer waits for it and nothing is lost; under {@code overwrite} the producer laps it and its
 * losses are counted. Either way it shows frames again after the stall.
 */
@ExtendWith(ApplicationExtension.class)
class ViewerStallTest {

    private final TestRings rings = new TestRings();
    private String name;
    private ViewerWindow window;

    @Start
    void start(Stage stage) {
        name = rings.newName("stall");
        window = ViewerApp.show(stage, new ViewerModel(name), true, WindowPlacement.sized(640, 400));
    }

    @AfterEach
    void stop(FxRobot robot) throws Exception {
        ViewerWindows.shutdown(robot, window);
        rings.close();
    }

    private RingStatus.Reader ownLine() {
        ViewerStats stats = window.model().statsProperty().get();
        return stats.readers().get(stats.ownLine());
    }

    @Test
    void underBlockTheProducerWaitsForAStalledViewerAndNothingIsLost(FxRobot robot) throws Exception {
        RingStatus.Reader after = stallOnce(robot, "block");
        assertEquals(0, after.lost(), "block: a stalled viewer loses nothing");
        assertTrue(window.model().statsProperty().get().blockedMillis() > 500, "the producer waited for the stalled viewer");
    }

    @Test
    void underOverwriteAStalledViewerIsLappedAndItsLossesAreCounted(FxRobot robot) throws Exception {
        RingStatus.Reader after = stallOnce(robot, "overwrite");
        assertTrue(after.lost() > 0, "overwrite: the frame a stalled viewer kept was overwritten: " + after);
        assertEquals(0, window.model().statsProperty().get().blockedMillis(), "overwrite never waits");
    }

    /** Shows frames, stalls the viewer with key Z for 3 s, checks it shows nothing new meanwhile, then that it goes on. */
    private RingStatus.Reader stallOnce(FxRobot robot, String policy) throws Exception {
        try (RunningProducer producer = RunningProducer.start(ProducerSettings.defaults(name).withSize(320, 180)
                .withSlots(4).withPolicy(ProducerSettings.overflowPolicy(policy, 5000)).withPattern("clock").withChecksum(false))) {
            Await.until(() -> window.model().shownSequence() > 10, "frames on screen");
            robot.press(javafx.scene.input.KeyCode.Z).release(javafx.scene.input.KeyCode.Z);
            Await.until(() -> window.model().statsProperty().get().stallLeftMillis() > 0, "the overlay to show the stall");
            long frozen = window.model().shownSequence();
            long publishedBefore = producer.engine().stats().published();
            Await.until(() -> producer.engine().stats().published() > publishedBefore + 8 || producer.engine().stats().blockedNanos() > 1_000_000_000L,
                    "the producer to lap the stalled viewer or wait for it");
            assertEquals(frozen, window.model().shownSequence(), "a stalled viewer shows no new frame");
            Await.until(() -> window.model().shownSequence() > frozen + 10, "frames again after the stall");
            Await.until(() -> window.model().statsProperty().get().stallLeftMillis() == 0, "the overlay to show the stall over");
            RingStatus.Reader after = ownLine();
            return after;
        }
    }
}
