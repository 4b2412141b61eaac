package dev.nanobroker.cli;

import dev.nanobroker.ring.RingNotFoundException;
import dev.nanobroker.ring.SharedRing;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code nanobroker demo}: one producer process and N reader processes on one ring, with the ring's
 * status table refreshed every second, until Ctrl-C or {@code --seconds}. Everything it started is
 * stopped and the ring removed when it ends.
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        description = {
                "Runs a producer and N readers, each its own process, and shows how they keep up.",
                "",
                "Starts a headless producer and N verifying readers, each its own process, on one ring,",
                "and shows the ring's reader table (lag, drops, latency) every second until Ctrl-C.",
                "At the end every reader reports frames, drops, torn frames, checksum failures and latency."
        })
final class DemoCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--name", defaultValue = "nanobroker-demo", paramLabel = "NAME", description = "Ring name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--readers", defaultValue = "3", paramLabel = "N", description = "Reader processes, 1..15 (default: ${DEFAULT-VALUE}).")
    int readers;

    @Option(names = "--size", defaultValue = "1280x720", converter = FrameSize.Converter.class, paramLabel = "WxH",
            description = "Frame size (default: ${DEFAULT-VALUE}).")
    FrameSize size;

    @Option(names = "--fps", defaultValue = "60", paramLabel = "F", description = "Frames per second, 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--slots", defaultValue = "8", paramLabel = "K", description = "Ring slots (default: ${DEFAULT-VALUE}).")
    int slots;

    @Option(names = "--policy", defaultValue = "block", paramLabel = "POLICY", description = "block, drop or overwrite (default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--seconds", defaultValue = "0", paramLabel = "S", description = "Stop after S seconds; 0 = until Ctrl-C (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (readers < 1 || readers > 15 || seconds < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--readers must be 1..15 and --seconds not negative");
        }
        SharedRing.pathOf(name);
        PrintWriter out = spec.commandLine().getOut();
        List<Process> readerProcesses = new ArrayList<>();
        Process producer = null;
        int exitCode = 0;
        try (StopSignal stop = new StopSignal()) {
            producer = start(List.of("produce", "--headless", "--name", name, "--size", size.toString(),
                    "--slots", Integer.toString(slots), "--fps", Double.toString(fps), "--policy", policy,
                    "--wait-readers", Integer.toString(readers), "--unlink"));
            for (int i = 0; i < readers; i++) {
                readerProcesses.add(start(List.of("read", name, "--verify", "--timeout-s", "5")));
            }
            out.printf("demo: producer pid %d and %d reader processes on ring %s (%s, %s fps, policy %s). Ctrl-C stops.%n",
                    producer.pid(), readers, name, size, fps == 0 ? "max" : fps, policy);
            out.flush();
            long end = seconds > 0 ? System.nanoTime() + (long) (seconds * 1e9) : Long.MAX_VALUE;
            while (!stop.requested() && System.nanoTime() - end < 0) {
                if (!producer.isAlive()) {
                    out.println("demo: the producer exited: " + new String(producer.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip());
                    exitCode = 1;
                    break;
                }
                showStatus(out);
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            }
            stopAll(producer, readerProcesses, out);
        }
        return exitCode;
    }

    private Process start(List<String> args) throws IOException {
        return new ProcessBuilder(JavaProcess.nanobroker(args)).start();
    }

    private void showStatus(PrintWriter out) {
        if (System.console() != null) {
            out.print("\033[H\033[2J"); // redraw in place on a terminal
        }
        try (SharedRing ring = SharedRing.open(name)) {
            out.println(RingTable.describe(ring.status()));
        } catch (RingNotFoundException e) {
            out.println("demo: waiting for the producer to create " + name + " ...");
        }
        out.flush();
    }

    /** Stops the producer (its ring closes, readers finish on their own), then collects the readers' reports. */
    private void stopAll(Process producer, List<Process> readerProcesses, PrintWriter out) throws InterruptedException, IOException {
        producer.toHandle().destroy(); // SIGTERM; Process.destroy() would also close the pipes we read below
        if (!producer.waitFor(5, TimeUnit.SECONDS)) {
            producer.destroyForcibly().waitFor();
        }
        out.println("demo: producer: " + new String(producer.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
        for (Process reader : readerProcesses) {
            if (!reader.waitFor(5, TimeUnit.SECONDS)) {
                reader.toHandle().destroy();
                reader.waitFor(5, TimeUnit.SECONDS);
            }
            out.println("demo: reader pid " + reader.pid() + ": "
                    + new String(reader.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip().replace("\n", "\n      "));
        }
        SharedRing.unlink(name);
        out.flush();
    }
}
