package dev.nanobroker.viewer;

import static org.junit.jupiter.api.Assertions.*;

import dev.nanobroker.fx.WindowPlacement;
import dev.nanobroker.producer.ProducerSettings;
import dev.nanobroker.ring.testing.Await;
import dev.nanobroker.ring.testing.TestRings;
import dev.nanobroker.viewer.testing.RunningProducer;
import dev.nanobroker.viewer.testing.ViewerWindows;
import javafx.geometry.Bounds;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The overlay never covers the picture: at the demo's tile size, a wide window, a tall one and a
 * large one, the panel's bounds and the frame's (the fitted image) do not overlap, and the frame
 * gets most of the window.
 */
@ExtendWith(ApplicationExtension.class)
class ViewerLayoutTest {

    private final TestRings rings = new TestRings();
    private String name;
    private Stage stage;
    private ViewerWindow window;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        name = rings.newName("layout");
        window = ViewerApp.show(stage, new ViewerModel(name), true, WindowPlacement.sized(480, 300));
    }

    @AfterEach
    void stop(FxRobot robot) throws Exception {
        ViewerWindows.shutdown(robot, window);
        rings.close();
    }

    @Test
    void theOverlayIsBesideOrBelowTheFrameAtEverySizeAndOTogglesIt(FxRobot robot) throws Exception {
        try (RunningProducer producer = RunningProducer.start(ProducerSettings.defaults(name).withFps(30)
                .withPattern("clock").withChecksum(false))) {
            Await.until(() -> window.model().stateProperty().get() == ViewerModel.State.SHOWING, "the first frame");
            int[][] sizes = {{480, 300}, {956, 508}, {1280, 760}, {700, 1000}, {1920, 1080}};
            for (int[] size : sizes) {
                robot.interact(() -> {
                    stage.setWidth(size[0]);
                    stage.setHeight(size[1]);
                });
                WaitForAsyncUtils.waitForFxEvents();
                Await.until(() -> window.overlay().isVisible() && window.overlay().getWidth() > 0, "the overlay shown");
                Bounds frame = window.imageView().localToScene(window.imageView().getBoundsInLocal());
                Bounds panel = window.overlay().localToScene(window.overlay().getBoundsInLocal());
                String at = size[0] + "x" + size[1] + ": frame " + frame + ", panel " + panel;
                assertFalse(frame.intersects(panel.getMinX() + 0.5, panel.getMinY() + 0.5,
                        panel.getWidth() - 1, panel.getHeight() - 1), "the panel covers the frame at " + at);
                double sceneArea = window.getScene().getWidth() * window.getScene().getHeight();
                assertTrue(frame.getWidth() * frame.getHeight() > 0.3 * sceneArea, "the frame is too small at " + at);
                if (size[0] == 956) {
                    // The demo's tile on a 1920x1080 screen: the reader lines and the plot stay, in readable type.
                    Await.until(() -> window.overlay().detail() == OverlayPane.Detail.TILE
                            && window.lookup("#overlay-plot").isVisible(), "the compact panel, with reader lines and plot, at " + at);
                    double scale = window.overlay().localToScene(window.overlay().getBoundsInLocal()).getWidth()
                            / window.overlay().getWidth();
                    assertTrue(scale >= 0.8, "the panel's text is scaled to " + scale + " at " + at);
                }
                if (size[0] == 700 || size[0] == 1280) {
                    // A tall window has room under the frame for the full panel, photo mode included; the
                    // default-sized one (1280x760) for the compact panel with photo mode.
                    Await.until(() -> window.lookup("#now-clock").getParent().isVisible(), "photo mode under a frame with the latency clock");
                }
                assertTrue(panel.getMaxX() <= window.getScene().getWidth() + 0.5
                        && panel.getMaxY() <= window.getScene().getHeight() + 0.5, "the panel is cut off at " + at);
            }
            robot.press(javafx.scene.input.KeyCode.O).release(javafx.scene.input.KeyCode.O);
            WaitForAsyncUtils.waitForFxEvents();
            assertFalse(window.overlay().isVisible(), "O hides the overlay");
            Bounds whole = window.imageView().localToScene(window.imageView().getBoundsInLocal());
            assertEquals(window.getScene().getWidth(), whole.getWidth(), 1.0, "without the panel the frame fills the width");
        }
    }
}
