package dev.nanobroker.viewer;

import dev.nanobroker.fx.WindowPlacement;
import dev.nanobroker.producer.ProducerSettings;
import dev.nanobroker.ring.BridgeNote;
import dev.nanobroker.ring.testing.Await;
import dev.nanobroker.ring.testing.TestRings;
import dev.nanobroker.viewer.testing.RunningProducer;
import dev.nanobroker.viewer.testing.ViewerWindows;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.util.Map;

/**
 * A viewer of a ring a bridge receives into labels its latency by what the bridge knows of the
 * sender's clock: end to end from the other host once the offset is estimated, from the republish
 * while it is not. The bridge's note is written here, as {@code bridge receive} writes it.
 */
@ExtendWith(ApplicationExtension.class)
class ViewerBridgedLatencyTest {

    private final TestRings rings = new TestRings();
    private String name;
    private ViewerWindow window;

    @Start
    void start(Stage stage) {
        name = rings.newName("bridged");
        window = ViewerApp.show(stage, new ViewerModel(name), true, WindowPlacement.sized(800, 600));
    }

    @AfterEach
    void stop(FxRobot robot) throws Exception {
        BridgeNote.remove(BridgeNote.Role.RECEIVE, name);
        ViewerWindows.shutdown(robot, window);
        rings.close();
    }

    private static void note(String ring, BridgeNote.Clock clock) {
        BridgeNote.now(BridgeNote.Role.RECEIVE, ring, "ring cam0 from 198.18.77.1 on 198.18.77.2:40456",
                Map.of("received", 10L), clock).write();
    }

    private static void awaitCaption(FxRobot robot, String words) throws InterruptedException {
        Await.until(() -> ViewerWindows.textOf(robot, "#overlay-latency-caption").equals(words),
                "the latency caption '" + words + "'");
    }

    @Test
    void theLatencyOfABridgedRingSaysFromWhichPublishItCounts(FxRobot robot) throws Exception {
        try (RunningProducer producer = RunningProducer.start(ProducerSettings.defaults(name).withSize(320, 240).withFps(30))) {
            awaitCaption(robot, "latency, publish → display pulse");
            note(name, BridgeNote.Clock.UNKNOWN);
            awaitCaption(robot, "latency, bridge's republish → pulse (sender's clock not known)");
            note(name, BridgeNote.Clock.estimated(2_500_165_426L, 320_522));
            awaitCaption(robot, "latency end to end from the other host → pulse (clock ± 0.32 ms)");
            BridgeNote.remove(BridgeNote.Role.RECEIVE, name);
            awaitCaption(robot, "latency, publish → display pulse");
        }
    }
}
