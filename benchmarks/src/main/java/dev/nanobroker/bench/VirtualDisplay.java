package dev.nanobroker.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A private Xvfb server for the viewer benchmarks when the bench runs without a display: both the
 * viewer and its baseline then draw on the same kind of screen with the same (software) Prism
 * pipeline. The screen is larger than 1080p so that a 1920x1080 window fits with its decorations.
 */
final class VirtualDisplay implements AutoCloseable {

    private final Process server;
    private final String name;

    private VirtualDisplay(Process server, String name) {
        this.server = server;
        this.name = name;
    }

    static VirtualDisplay start() throws IOException {
        boolean installed = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> new File(dir, "Xvfb").canExecute());
        if (!installed) {
            throw new IOException("the viewer benchmarks need a display: set DISPLAY or install Xvfb (apt-get install xvfb)");
        }
        // -displayfd: Xvfb picks a free display number and writes it to stdout once it accepts clients.
        Process server = new ProcessBuilder("Xvfb", "-displayfd", "1", "-screen", "0", "2560x1600x24", "-nolisten", "tcp")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<String> number = CompletableFuture.supplyAsync(() -> {
            try {
                return new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                return null;
            }
        });
        try {
            String line = number.get(15, TimeUnit.SECONDS);
            if (line == null || !line.strip().matches("\\d+")) {
                throw new IOException("Xvfb did not start (exit code " + (server.isAlive() ? "none" : server.exitValue()) + ")");
            }
            return new VirtualDisplay(server, ":" + line.strip());
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            server.destroyForcibly();
            throw new IOException("Xvfb did not start in 15 s", e);
        } catch (IOException e) {
            server.destroyForcibly();
            throw e;
        }
    }

    String name() {
        return name;
    }

    @Override
    public void close() {
        server.destroy();
        try {
            if (!server.waitFor(5, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        } catch (InterruptedException e) {
            server.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
