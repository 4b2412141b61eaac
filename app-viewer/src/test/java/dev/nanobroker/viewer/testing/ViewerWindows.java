package dev.nanobroker.viewer.testing;

import dev.nanobroker.viewer.ViewerWindow;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * For window tests: reads a label on the FX thread, and closes a viewer the way its window's close
 * does, waiting until it has let go of its ring.
 */
public final class ViewerWindows {

    private ViewerWindows() {
    }

    /**
     * The text of the label {@code query} finds, read on the FX thread: a lookup from the test's
     * thread walks the scene graph while the FX thread changes it (an IndexOutOfBoundsException now
     * and then).
     */
    public static String textOf(FxRobot robot, String query) {
        try {
            return WaitForAsyncUtils.asyncFx(() -> robot.lookup(query).queryLabeled().getText()).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read " + query + " on the FX thread", e);
        }
    }

    public static void shutdown(FxRobot robot, ViewerWindow window) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        robot.interact(() -> window.shutdown(closed::countDown));
        assertTrue(closed.await(10, TimeUnit.SECONDS), "the viewer closed");
    }
}
