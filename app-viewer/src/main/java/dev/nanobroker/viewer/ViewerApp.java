package dev.nanobroker.viewer;

import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Builds the viewer's stage and runs it until the window closes. Nothing else lives here. */
public final class ViewerApp {

    /** Where and how big the window opens; negative x or y lets the window system choose. */
    public record Placement(double x, double y, double width, double height) {
        public static final Placement DEFAULT = new Placement(-1, -1, 1280, 760);
    }

    private ViewerApp() {
    }

    /**
     * Shows a viewer of {@code ringName} (or the ring picker, for null) and blocks until it is
     * closed. SIGTERM and Ctrl-C close it the same way, so its reader line is always freed.
     */
    public static void run(String ringName, boolean overlay, Placement placement) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        Stage[] stage = new Stage[1];
        Thread onSignal = new Thread(() -> {
            Platform.runLater(() -> stage[0].hide());
            try {
                closed.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "nanobroker-viewer-stop");
        Platform.setImplicitExit(false);
        Platform.startup(() -> {
            stage[0] = new Stage();
            ViewerWindow window = show(stage[0], new ViewerModel(ringName), overlay, placement);
            stage[0].setOnHidden(event -> {
                window.shutdown();
                closed.countDown();
            });
            Runtime.getRuntime().addShutdownHook(onSignal);
        });
        closed.await();
        try {
            Runtime.getRuntime().removeShutdownHook(onSignal);
        } catch (IllegalStateException shuttingDown) {
            // closed by a signal: the hook is running and returns now
        }
        Platform.exit();
    }

    /** Puts a viewer on {@code stage}; tests use this with their own stage. */
    public static ViewerWindow show(Stage stage, ViewerModel model, boolean overlay, Placement placement) {
        ViewerWindow window = new ViewerWindow(model, overlay);
        Scene scene = new Scene(window, placement.width(), placement.height());
        scene.getStylesheets().add(Objects.requireNonNull(ViewerApp.class.getResource("viewer.css")).toExternalForm());
        stage.titleProperty().bind(model.ringNameProperty().map(name -> "NanoBroker viewer — " + name)
                .orElse("NanoBroker viewer"));
        stage.setScene(scene);
        if (placement.x() >= 0 && placement.y() >= 0) {
            stage.setX(placement.x());
            stage.setY(placement.y());
        }
        stage.show();
        window.requestFocus();
        return window;
    }
}
