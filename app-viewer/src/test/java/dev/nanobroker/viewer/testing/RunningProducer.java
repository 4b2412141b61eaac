package dev.nanobroker.viewer.testing;

import dev.nanobroker.producer.ProducerEngine;
import dev.nanobroker.producer.ProducerSettings;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A producer running in this JVM on its own thread for a viewer test; closing it stops the run,
 * waits for it (failing the test if it failed) and closes the engine.
 */
public final class RunningProducer implements AutoCloseable {

    private final ProducerEngine engine;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final CompletableFuture<Void> running;

    private RunningProducer(ProducerSettings settings) {
        engine = new ProducerEngine(settings);
        running = CompletableFuture.runAsync(() -> engine.run(stop::get));
    }

    public static RunningProducer start(ProducerSettings settings) {
        return new RunningProducer(settings);
    }

    public ProducerEngine engine() {
        return engine;
    }

    @Override
    public void close() throws Exception {
        stop.set(true);
        try {
            running.get(10, TimeUnit.SECONDS);
        } finally {
            engine.close();
        }
    }
}
