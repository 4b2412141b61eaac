package dev.nanobroker.producer.ui;

import static org.junit.jupiter.api.Assertions.*;

import dev.nanobroker.producer.ProducerEngine;
import dev.nanobroker.producer.ProducerSettings;
import dev.nanobroker.producer.source.SourceSpec;
import dev.nanobroker.ring.OverflowPolicy;
import dev.nanobroker.ring.ReadMode;
import dev.nanobroker.ring.RingAccess;
import dev.nanobroker.ring.RingReader;
import dev.nanobroker.ring.SharedRing;
import dev.nanobroker.ring.testing.Await;
import dev.nanobroker.ring.testing.TestRings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The FX thread never waits for the producer: start returns while the source opens, stop while the
 * producer thread is stuck in a frame (under {@code block}, for a reader that reads nothing), and
 * the model follows the producer thread through its phases on the FX thread.
 */
@ExtendWith(ApplicationExtension.class)
class ProducerModelTest {

    /** Time the FX thread gets for a call: a thread that waited for the producer would take far longer. */
    private static final long FX_SECONDS = 5;

    private final TestRings rings = new TestRings();
    private ProducerModel model;

    @AfterEach
    void stop() throws Exception {
        if (model != null) {
            onFx(() -> {
                model.stop();
                return null;
            });
            assertTrue(model.awaitClosed(Duration.ofSeconds(30)), "the producer thread closed its ring");
        }
        rings.close();
    }

    /** Runs {@code call} on the FX thread; fails the test when the FX thread does not answer in time. */
    private static <T> T onFx(Callable<T> call) {
        try {
            return WaitForAsyncUtils.asyncFx(call).get(FX_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the FX thread did not answer within " + FX_SECONDS + " s", e);
        }
    }

    private ProducerModel.Phase phase() {
        return onFx(() -> model.phaseProperty().get());
    }

    private String status() {
        return onFx(() -> {
            model.refresh(); // the window's pulse does this a few times a second
            return model.statusProperty().get();
        });
    }

    @Test
    void startReturnsWhileTheSourceOpensThenTheModelRuns() throws Exception {
        String name = rings.newName("model-open");
        CountDownLatch opening = new CountDownLatch(1);
        CountDownLatch mayOpen = new CountDownLatch(1);
        model = new ProducerModel(settings -> {
            opening.countDown();
            try {
                mayOpen.await(); // a camera negotiating, as long as the test likes
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return new ProducerEngine(settings);
        });
        ProducerSettings settings = ProducerSettings.defaults(name).withSize(160, 90).withSlots(4).withPattern("ramp");

        onFx(() -> {
            model.start(settings);
            return null;
        });
        assertTrue(opening.await(FX_SECONDS, TimeUnit.SECONDS), "the producer thread opens the source");
        assertEquals(ProducerModel.Phase.OPENING, phase());
        assertEquals("opening ring " + name + " …", status());
        assertNull(onFx(model::ring), "no ring to preview while it opens");

        mayOpen.countDown();
        Await.until(() -> phase() == ProducerModel.Phase.RUNNING, "the model to run");
        Await.until(() -> status().startsWith("published"), "frames published");
        assertTrue(onFx(() -> model.ringLineProperty().get()).contains("into ring " + name), onFx(() -> model.ringLineProperty().get()));
    }

    @Test
    void aSourceThatCannotOpenBecomesTheErrorAndTheModelStops() throws Exception {
        String name = rings.newName("model-nofile");
        model = new ProducerModel(RingAccess.OWNER_ONLY, false);
        String missing = "/nonexistent/nanobroker-test-clip.mp4";
        ProducerSettings settings = ProducerSettings.defaults(name).withSource(SourceSpec.parse("file:" + missing));

        onFx(() -> {
            model.start(settings);
            return null;
        });
        Await.until(() -> phase() == ProducerModel.Phase.STOPPED, "the model to give up");
        assertEquals("cannot open video file " + missing + ": no such file", onFx(() -> model.errorProperty().get()));
        assertEquals("stopped", status(), "the status from before the start");
    }

    @Test
    void stopUnderBlockWithAStalledReaderLeavesTheFxThreadFree() throws Exception {
        String name = rings.newName("model-stop");
        model = new ProducerModel(RingAccess.OWNER_ONLY, false);
        // As fast as it can into 4 slots, waiting up to 10 s a frame for a reader that reads nothing.
        ProducerSettings settings = ProducerSettings.defaults(name).withSize(160, 90).withSlots(4).withFps(0)
                .withPolicy(OverflowPolicy.block(Duration.ofSeconds(10))).withPattern("ramp");
        onFx(() -> {
            model.start(settings);
            return null;
        });
        Await.until(() -> phase() == ProducerModel.Phase.RUNNING, "the model to run");
        try (SharedRing ring = SharedRing.open(name); RingReader stalled = ring.attachReader(ReadMode.EVERY)) {
            Await.until(() -> !status().endsWith("blocked 0 ms"), "the producer to block on the stalled reader");

            onFx(() -> {
                model.stop();
                return null;
            });
            // The producer thread waits out its block timeout; the FX thread meanwhile does other work.
            assertEquals(ProducerModel.Phase.STOPPING, phase());
            assertEquals("stopping …", status());
            assertFalse(ring.isClosedByProducer(), "the producer thread is still in its last frame");

            Await.until(() -> phase() == ProducerModel.Phase.STOPPED, "the run to end");
            assertTrue(status().startsWith("stopped after "), status());
            assertTrue(ring.isClosedByProducer(), "the ring closed by the producer thread");
        }
    }
}
