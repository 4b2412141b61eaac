package dev.nanobroker.viewer;

import dev.nanobroker.fx.StopSignals;
import dev.nanobroker.fx.Theme;
import dev.nanobroker.fx.WindowPlacement;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

import java.util.concurrent.CountDownLatch;

/** Builds the viewer's stage and runs it until the window closes. Nothing else lives here. */
public final class ViewerApp {

    private ViewerApp() {
    }

    /**
     * Shows a viewer of {@code ringName} (or the ring picker, for null) and blocks until it is
     * closed. SIGTERM and Ctrl-C close it the same way, so its reader line is always freed.
     */
    public static void run(String ringName, boolean overlay, boolean allowOtherOwner, Stall stall, boolean screenLatency,
                           WindowPlacement placement) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        Stage[] stage = new Stage[1];
        String[] screenReport = new String[1];
        Platform.setImplicitExit(false);
        Platform.startup(() -> {
            stage[0] = new Stage();
            ViewerWindow window = show(stage[0], new ViewerModel(ringName, allowOtherOwner), overlay, stall, placement);
            window.measureScreenLatency(screenLatency);
            stage[0].setOnHidden(event -> {
                screenReport[0] = window.screenLatencyReport();
                window.shutdown(closed::countDown);
            });
            StopSignals.closeOnSignal(stage[0]);
        });
        closed.await();
        Platform.exit();
        if (screenReport[0] != null) {
            System.out.println(screenReport[0]); // the figures of a whole run, for docs and scripts
        }
    }

    /** Puts a viewer on {@code stage}, with the default stall (3 s on key Z); tests use this with their own stage. */
    public static ViewerWindow show(Stage stage, ViewerModel model, boolean overlay, WindowPlacement placement) {
        return show(stage, model, overlay, Stall.DEFAULT, placement);
    }

    static ViewerWindow show(Stage stage, ViewerModel model, boolean overlay, Stall stall, WindowPlacement placement) {
        ViewerWindow window = new ViewerWindow(model, overlay, stall);
        Scene scene = new Scene(window, placement.width(), placement.height());
        Theme.apply(scene, ViewerApp.class, "viewer.css");
        stage.titleProperty().bind(model.ringNameProperty().map(name -> "NanoBroker viewer — " + name)
                .orElse("NanoBroker viewer"));
        stage.setScene(scene);
        placement.position(stage);
        stage.show();
        window.requestFocus();
        return window;
    }
}
