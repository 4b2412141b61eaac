package dev.nanobroker.producer.ui;

import dev.nanobroker.fx.StopSignals;
import dev.nanobroker.fx.Theme;
import dev.nanobroker.fx.WindowPlacement;
import dev.nanobroker.producer.ProducerSettings;
import dev.nanobroker.ring.RingAccess;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** Builds the producer's stage and runs it until the window closes. Nothing else lives here. */
public final class ProducerApp {

    /** How long a closed window waits for its run to close the ring before the process exits anyway. */
    private static final Duration CLOSE_LIMIT = Duration.ofSeconds(10);

    private ProducerApp() {
    }

    /**
     * Shows the window (starting a run at once if asked) and blocks until it is closed and its run
     * has closed the ring. SIGTERM and Ctrl-C close it the same way, so the ring is always left closed.
     */
    public static void run(ProducerSettings initial, boolean startNow, WindowPlacement placement, RingAccess access,
                           boolean allowOtherOwner) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        Stage[] stage = new Stage[1];
        ProducerModel model = new ProducerModel(access, allowOtherOwner);
        Platform.setImplicitExit(false);
        Platform.startup(() -> {
            stage[0] = new Stage();
            ProducerWindow window = show(stage[0], model, initial, placement);
            stage[0].setOnHidden(event -> {
                window.shutdown();
                closed.countDown();
            });
            StopSignals.closeOnSignal(stage[0]);
            if (startNow) {
                model.start(initial);
            }
        });
        closed.await();
        // The producer thread lets go of the ring with the FX thread's help: exit after it, but not never.
        if (!model.awaitClosed(CLOSE_LIMIT)) {
            System.err.println("producer: the source or a blocked frame did not finish within "
                    + CLOSE_LIMIT.toSeconds() + " s; exiting without closing the ring (readers see its producer gone)");
        }
        Platform.exit();
    }

    /** Puts a producer window on {@code stage}; tests use this with their own stage. */
    public static ProducerWindow show(Stage stage, ProducerSettings initial, WindowPlacement placement) {
        return show(stage, new ProducerModel(RingAccess.OWNER_ONLY, false), initial, placement);
    }

    private static ProducerWindow show(Stage stage, ProducerModel model, ProducerSettings initial, WindowPlacement placement) {
        ProducerWindow window = new ProducerWindow(model, initial);
        Scene scene = new Scene(window, placement.width(), placement.height());
        Theme.apply(scene, ProducerApp.class, "producer.css");
        // The ring it writes (or will write, once started): the name field can change while stopped.
        stage.titleProperty().bind(window.ringName.textProperty().map(name -> "NanoBroker producer — " + name.strip()));
        stage.setScene(scene);
        placement.position(stage);
        stage.show();
        return window;
    }
}
