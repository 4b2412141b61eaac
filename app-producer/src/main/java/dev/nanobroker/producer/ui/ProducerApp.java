package dev.nanobroker.producer.ui;

import dev.nanobroker.producer.ProducerSettings;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Builds the producer's stage and runs it until the window closes. Nothing else lives here. */
public final class ProducerApp {

    private ProducerApp() {
    }

    /**
     * Shows the window (starting a run at once if asked) and blocks until it is closed. SIGTERM and
     * Ctrl-C close it the same way, so the ring is always left closed.
     */
    public static void run(ProducerSettings initial, boolean startNow, WindowPlacement placement) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        Stage[] stage = new Stage[1];
        Thread[] fxThread = new Thread[1];
        Thread onSignal = new Thread(() -> {
            Platform.runLater(() -> stage[0].hide());
            try {
                closed.await(5, TimeUnit.SECONDS);
                // Stop the toolkit before the JVM does, so no last paint races its renderer's shutdown.
                Platform.exit();
                fxThread[0].join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "nanobroker-producer-stop");
        Platform.setImplicitExit(false);
        Platform.startup(() -> {
            fxThread[0] = Thread.currentThread();
            stage[0] = new Stage();
            ProducerWindow window = show(stage[0], initial, placement);
            stage[0].setOnHidden(event -> {
                window.shutdown();
                closed.countDown();
            });
            Runtime.getRuntime().addShutdownHook(onSignal);
            if (startNow) {
                window.startStop.fire();
            }
        });
        closed.await();
        try {
            Runtime.getRuntime().removeShutdownHook(onSignal);
        } catch (IllegalStateException shuttingDown) {
            return; // closed by a signal: the JVM is exiting; stopping the toolkit now would race its last paint
        }
        Platform.exit();
    }

    /** Puts a producer window on {@code stage}; tests use this with their own stage. */
    public static ProducerWindow show(Stage stage, ProducerSettings initial, WindowPlacement placement) {
        ProducerWindow window = new ProducerWindow(new ProducerModel(), initial);
        Scene scene = new Scene(window, placement.width(), placement.height());
        scene.getStylesheets().add(Objects.requireNonNull(ProducerApp.class.getResource("producer.css")).toExternalForm());
        stage.setTitle("NanoBroker producer — " + initial.ringName());
        stage.setScene(scene);
        placement.position(stage);
        stage.show();
        return window;
    }
}
