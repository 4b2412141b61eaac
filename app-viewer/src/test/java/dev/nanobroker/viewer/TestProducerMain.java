package dev.nanobroker.viewer;

import dev.nanobroker.producer.ProducerEngine;
import dev.nanobroker.producer.ProducerSettings;

/**
 * A producer process for the viewer's tests: {@code NAME WIDTH HEIGHT PATTERN}, 120 fps, block,
 * until killed. Prints "PRODUCING" once the ring is open.
 */
public final class TestProducerMain {

    private TestProducerMain() {
    }

    public static void main(String[] args) {
        ProducerSettings settings = ProducerSettings.defaults(args[0])
                .withSize(Integer.parseInt(args[1]), Integer.parseInt(args[2])).withFps(120).withPattern(args[3])
                .withChecksum(false);
        try (ProducerEngine engine = new ProducerEngine(settings)) {
            System.out.println("PRODUCING");
            engine.run(() -> false);
        }
    }
}
