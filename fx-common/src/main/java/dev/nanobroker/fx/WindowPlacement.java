package dev.nanobroker.fx;

import javafx.stage.Stage;

/**
 * Where a window opens and how big: the demo tiles its windows with it. A negative x or y lets the
 * window system choose the position.
 */
public record WindowPlacement(double x, double y, double width, double height) {

    public WindowPlacement {
        if (width < 160 || height < 120) {
            throw new IllegalArgumentException("a window must be at least 160x120, not " + width + "x" + height);
        }
    }

    public static WindowPlacement sized(double width, double height) {
        return new WindowPlacement(-1, -1, width, height);
    }

    /** Moves the stage there; the size goes to the scene. */
    public void position(Stage stage) {
        if (x >= 0 && y >= 0) {
            stage.setX(x);
            stage.setY(y);
        }
    }
}
