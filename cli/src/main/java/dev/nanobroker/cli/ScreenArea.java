package dev.nanobroker.cli;

import dev.nanobroker.frame.FrameSize;
import javafx.application.Platform;
import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The part of the screen the demo tiles its windows over, in JavaFX's (logical) pixels. */
record ScreenArea(double x, double y, double width, double height) {

    /** Where the screen's size could not be read. */
    static final ScreenArea FALLBACK = of(new FrameSize(1280, 720));

    private static final long TIMEOUT_SECONDS = 10;

    /** {@code --screen WxH}: that much of the screen, from the top left. */
    static ScreenArea of(FrameSize size) {
        return new ScreenArea(0, 0, size.width(), size.height());
    }

    /**
     * The primary screen less its panels and docks ({@link Screen#getVisualBounds()}). Starts the
     * JavaFX toolkit in this JVM for the question and stops it again (about half a second); where
     * the toolkit runs already (a test's JVM), asks it and leaves it running.
     *
     * @throws UnsupportedOperationException when JavaFX cannot open the display
     * @throws IllegalStateException          with the reason when the screen could not be asked otherwise
     */
    static ScreenArea primary() {
        CompletableFuture<Rectangle2D> bounds = new CompletableFuture<>();
        Runnable ask = () -> {
            try {
                bounds.complete(Screen.getPrimary().getVisualBounds());
            } catch (RuntimeException e) {
                bounds.completeExceptionally(e);
            }
        };
        boolean started = false;
        try {
            Platform.startup(ask);
            started = true;
        } catch (IllegalStateException alreadyRunning) {
            Platform.runLater(ask);
        } catch (UnsupportedOperationException noDisplay) { // "Unable to open DISPLAY"
            throw noDisplay;
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalStateException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
        try {
            Rectangle2D visual = bounds.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return new ScreenArea(visual.getMinX(), visual.getMinY(), visual.getWidth(), visual.getHeight());
        } catch (ExecutionException e) {
            throw new IllegalStateException(String.valueOf(e.getCause().getMessage()), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("JavaFX did not answer within " + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            if (started) {
                Platform.exit();
            }
        }
    }

    /** {@code WxH}, e.g. {@code 1920x1053}. */
    String size() {
        return String.format(Locale.ROOT, "%.0fx%.0f", width, height);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s at %.0f,%.0f", size(), x, y);
    }
}
