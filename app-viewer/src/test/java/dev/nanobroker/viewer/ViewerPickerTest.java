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
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/** A viewer started without a ring name: the picker, then the chosen ring, then a saved frame. */
@ExtendWith(ApplicationExtension.class)
class ViewerPickerTest {

    private final TestRings rings = new TestRings();
    private ViewerModel model;
    private ViewerWindow window;

    @Start
    void start(Stage stage) {
        model = new ViewerModel(null);
        window = ViewerApp.show(stage, model, true, WindowPlacement.sized(800, 500));
    }

    @AfterEach
    void stop(FxRobot robot) throws Exception {
        ViewerWindows.shutdown(robot, window);
        rings.close();
    }

    @Test
    void pickARingFromTheListThenSaveWhatItShows(FxRobot robot, @TempDir Path folder) throws Exception {
        assertEquals(ViewerModel.State.PICKING, model.stateProperty().get());
        String name = rings.newName("picked");
        try (RunningProducer producer = RunningProducer.start(ProducerSettings.defaults(name).withSize(320, 180)
                .withChecksum(false))) {
            java.util.function.Predicate<javafx.scene.Node> row = node -> node instanceof javafx.scene.control.ListCell<?> cell
                    && cell.getItem() instanceof ViewerModel.RingChoice choice && choice.name().equals(name);
            // The list learns of the ring within a second; its row is drawn a pulse later, and drawn
            // again whenever a ring's summary changes: look the row up and double-click it until it takes.
            Await.until(() -> {
                robot.lookup(row).tryQuery().ifPresent(robot::doubleClickOn);
                return model.stateProperty().get() == ViewerModel.State.SHOWING;
            }, "the picked ring's frames");
            assertEquals(name, model.ringNameProperty().get());

            AtomicReference<Path> saved = new AtomicReference<>();
            robot.interact(() -> {
                try {
                    saved.set(model.saveFrame(folder));
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            assertTrue(saved.get().getFileName().toString().matches("nanobroker-" + name + "-\\d+\\.png"), saved.get().toString());
            byte[] png = Files.readAllBytes(saved.get());
            assertEquals((byte) 0x89, png[0]);
            assertEquals('P', png[1]);
            assertEquals(320, java.nio.ByteBuffer.wrap(png, 16, 4).getInt(), "width in the PNG header");
            assertEquals(180, java.nio.ByteBuffer.wrap(png, 20, 4).getInt(), "height in the PNG header");
        }
    }
}
