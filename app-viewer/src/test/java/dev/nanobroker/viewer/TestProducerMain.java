package dev.nanobroker.viewer;

import dev.nanobroker.producer.ProducerEngine;
import dev.nanobroker.producer.ProducerSettings;
import dev.nanobroker.producer.pattern.PatternOptions;
import dev.nanobroker.producer.source.SourceSpec;

/**
 * A producer process for the viewer's tests: {@code NAME WIDTH HEIGHT PATTERN}, 120 fps, block,
 * until killed. Prints "PRODUCING" once the ring is open.
 */
public final class TestProducerMain {

    private TestProducerMain() {
    }

    public static void main(String[] args) {
        ProducerSettings settings = new ProducerSettings(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]), 8,
                120, 0, "block", 1000, 0, SourceSpec.PATTERN, args[3], PatternOptions.DEFAULTS, false, false, false);
        try (ProducerEngine engine = new ProducerEngine(settings)) {
            System.out.println("PRODUCING");
            engine.run(() -> false);
        }
    }
}
