package dev.nanobroker.ring.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The child side of {@link ChildJvm#send}: words the parent writes to the child's stdin, one a line
 * ("GO", "STOP", ...). A child waits for a word with {@link #await} or looks with {@link #received}.
 * When stdin ends (the parent died or closed it) the child halts at once, so no child outlives its test.
 */
public final class ParentCommands {

    private static final Set<String> RECEIVED = ConcurrentHashMap.newKeySet();
    private static volatile boolean started;

    private ParentCommands() {
    }

    /** Starts reading stdin (once per process). */
    public static synchronized void listen() {
        if (started) {
            return;
        }
        started = true;
        Thread thread = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    synchronized (RECEIVED) {
                        RECEIVED.add(line.trim());
                        RECEIVED.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // treated as the end of stdin
            }
            Runtime.getRuntime().halt(3);
        }, "parent-commands");
        thread.setDaemon(true);
        thread.start();
    }

    public static boolean received(String word) {
        return RECEIVED.contains(word);
    }

    public static void await(String word) throws InterruptedException {
        listen();
        synchronized (RECEIVED) {
            while (!RECEIVED.contains(word)) {
                RECEIVED.wait();
            }
        }
    }
}
