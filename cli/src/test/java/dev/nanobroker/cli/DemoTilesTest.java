package dev.nanobroker.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.nanobroker.frame.FrameSize;
import javafx.application.Platform;
import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Where the demo puts its windows: a grid over the screen's visual bounds, or over --screen from the top left. */
@ExtendWith(ApplicationExtension.class)
class DemoTilesTest {

    @Test
    void fourWindowsTileTwoByTwoFromTheAreasCorner() {
        // A screen with a 27 px panel at the top: the tiles start under it.
        List<DemoCommand.Tile> tiles = DemoCommand.Tile.grid(4, new ScreenArea(0, 27, 1920, 1053));
        assertEquals(List.of(new DemoCommand.Tile(0, 27, 960, 526), new DemoCommand.Tile(960, 27, 960, 526),
                new DemoCommand.Tile(0, 553, 960, 526), new DemoCommand.Tile(960, 553, 960, 526)), tiles);
        assertEquals(List.of("--x", "0", "--y", "27", "--width", "956", "--height", "494"), tiles.getFirst().args());

        List<DemoCommand.Tile> given = DemoCommand.Tile.grid(4, ScreenArea.of(new FrameSize(1280, 720)));
        assertEquals(new DemoCommand.Tile(640, 360, 640, 360), given.getLast());
        assertEquals(List.of("--x", "640", "--y", "360", "--width", "636", "--height", "328"), given.getLast().args());
    }

    @Test
    void primaryScreenIsAskedOfARunningToolkitWithoutStoppingIt() throws Exception {
        Rectangle2D expected = Screen.getPrimary().getVisualBounds();
        ScreenArea area = ScreenArea.primary();
        assertEquals(new ScreenArea(expected.getMinX(), expected.getMinY(), expected.getWidth(), expected.getHeight()), area);
        // The toolkit this JVM's other window tests use still runs.
        CompletableFuture<Boolean> ran = new CompletableFuture<>();
        Platform.runLater(() -> ran.complete(true));
        assertTrue(ran.get(10, TimeUnit.SECONDS));
    }
}
