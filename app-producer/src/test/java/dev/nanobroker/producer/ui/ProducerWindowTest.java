package dev.nanobroker.producer.ui;

import static org.junit.jupiter.api.Assertions.*;

import dev.nanobroker.fx.WindowPlacement;
import dev.nanobroker.producer.ProducerSettings;
import dev.nanobroker.producer.pattern.PatternOptions;
import dev.nanobroker.producer.pattern.SequenceColourPattern;
import dev.nanobroker.ring.Frame;
import dev.nanobroker.ring.ReadMode;
import dev.nanobroker.ring.RingReader;
import dev.nanobroker.ring.SharedRing;
import dev.nanobroker.ring.WaitStrategy;
import dev.nanobroker.ring.testing.Await;
import dev.nanobroker.ring.testing.TestRings;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The producer window driven like a user would, checked through a reader of the ring it writes. */
@ExtendWith(ApplicationExtension.class)
class ProducerWindowTest {

    private static final int SOLID = 0xFF10_2030; // ARGB; in memory B=0x30 G=0x20 R=0x10 A=0xFF
    private static final ValueLayout.OfInt PIXEL = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final TestRings rings = new TestRings();
    private String name;
    private ProducerWindow window;

    @Start
    void start(Stage stage) {
        name = rings.newName("window");
        ProducerSettings settings = ProducerSettings.defaults(name).withSize(320, 180).withSlots(4).withFps(120)
                .withPattern("solid").withPatternOptions(PatternOptions.DEFAULTS.withColour(SOLID));
        window = ProducerApp.show(stage, settings, WindowPlacement.sized(1200, 720));
    }

    @AfterEach
    void stop(FxRobot robot) throws Exception {
        robot.interact(window::shutdown);
        rings.close();
    }

    /** Reads frames until one satisfies the check; every frame read is released at once. */
    private static void awaitFrame(RingReader reader, Predicate<Frame> check, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            Frame frame = reader.poll(TimeUnit.MILLISECONDS.toNanos(100), WaitStrategy.defaultStrategy());
            if (frame == null) {
                continue;
            }
            boolean matches = check.test(frame);
            if (reader.release() && matches) {
                return;
            }
        }
        fail("no frame showed " + what);
    }

    @Test
    void startPatternChangeAndStopReachAReaderOfTheRing(FxRobot robot) throws Exception {
        robot.clickOn(window.startStop);
        Await.until(() -> Files.exists(rings.pathOf(name)), "the ring");
        try (SharedRing ring = SharedRing.open(name); RingReader reader = ring.attachReader(ReadMode.LATEST)) {
            awaitFrame(reader, frame -> frame.pixels().get(PIXEL, 0) == SOLID, "the solid colour");

            robot.clickOn(window.pattern).clickOn("sequence");
            awaitFrame(reader, frame -> SequenceColourPattern.matches(frame.pixels(), frame.sequence()), "the sequence pattern");
            Await.until(() -> window.preview().lastShownSequence() >= 0, "the preview");
            Await.until(() -> robot.lookup("#status").queryLabeled().getText().startsWith("published"), "the status line");

            robot.clickOn(window.startStop);
            Await.until(ring::isClosedByProducer, "the ring to be closed");
            assertEquals("Start", window.startStop.getText());
        }
    }

    @Test
    void badValueShowsItsMessageAndCreatesNoRing(FxRobot robot) {
        robot.interact(() -> window.size.getEditor().setText("0x0"));
        robot.interact(() -> window.size.setValue("0x0"));
        robot.clickOn(window.startStop);
        assertTrue(window.error.getText().startsWith("frame size 0x0 is out of range"), window.error.getText());
        assertEquals("Start", window.startStop.getText());
        assertFalse(Files.exists(rings.pathOf(name)));

        robot.interact(() -> window.size.setValue("320x180"));
        robot.interact(() -> window.fps.setText("-5"));
        robot.clickOn(window.startStop);
        assertTrue(window.error.getText().startsWith("frame rate -5.0 is out of range"), window.error.getText());
    }
}
