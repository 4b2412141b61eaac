package dev.nanobroker.viewer.testing;

import dev.nanobroker.viewer.ViewerWindow;
import org.testfx.api.FxRobot;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** For window tests: closes a viewer the way its window's close does, and waits until it has let go of its ring. */
public final class ViewerWindows {

    private ViewerWindows() {
    }

    public static void shutdown(FxRobot robot, ViewerWindow window) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        robot.interact(() -> window.shutdown(closed::countDown));
        assertTrue(closed.await(10, TimeUnit.SECONDS), "the viewer closed");
    }
}
