package dev.nanobroker.fx;

import javafx.application.Platform;
import javafx.stage.Stage;
import sun.misc.Signal;

/**
 * Closes a window on SIGINT (Ctrl-C) and SIGTERM the same way as its close button: the window
 * detaches from the ring (a reader frees its line, a producer closes the ring), then the JVM exits
 * normally. A shutdown hook could not do this: JavaFX's own hook disposes the renderer at the same
 * time and the last paint fails with a stack trace.
 */
public final class StopSignals {

    private StopSignals() {
    }

    public static void closeOnSignal(Stage stage) {
        for (String name : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(name), signal -> Platform.runLater(stage::hide));
        }
    }
}
