package dev.nanobroker.producer.ui;

import static org.junit.jupiter.api.Assertions.*;

import dev.nanobroker.fx.WindowPlacement;
import dev.nanobroker.producer.ProducerSettings;
import dev.nanobroker.ring.testing.Await;
import dev.nanobroker.ring.testing.TestRings;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Files;

/** Settings with no control in the window (frame count, --unlink) still apply when it starts. */
@ExtendWith(ApplicationExtension.class)
class ProducerWindowFlagsTest {

    private final TestRings rings = new TestRings();
    private String name;
    private ProducerWindow window;

    @Start
    void start(Stage stage) {
        name = rings.newName("flags");
        ProducerSettings settings = ProducerSettings.defaults(name).withSize(160, 90).withSlots(4).withFps(0).withFrames(40)
                .withPattern("ramp").withUnlink(true);
        window = ProducerApp.show(stage, settings, WindowPlacement.sized(1200, 720));
    }

    @AfterEach
    void stop(FxRobot robot) throws Exception {
        robot.interact(window::shutdown);
        rings.close();
    }

    @Test
    void frameCountAndUnlinkFromTheCommandLineApply(FxRobot robot) throws Exception {
        robot.clickOn(window.startStop);
        Await.until(() -> window.status.getText().startsWith("stopped after 40 frames"),
                "the run to end after 40 frames");
        assertEquals("Start", window.startStop.getText());
        assertFalse(Files.exists(rings.pathOf(name)), "--unlink removed the ring when the run ended");
    }
}
