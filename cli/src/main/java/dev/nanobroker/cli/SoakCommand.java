package dev.nanobroker.cli;

import dev.nanobroker.process.StopSignal;
import dev.nanobroker.ring.RingNotFoundException;
import dev.nanobroker.ring.RingStatus;
import dev.nanobroker.ring.SharedRing;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * {@code nanobroker soak}: a producer and N verifying readers, each its own process, while readers
 * and producers are killed with SIGKILL (or stopped with SIGTERM) at random and started again; at
 * the end a report of every frame the surviving readers checked, torn frames, checksum failures,
 * recoveries and how long the slowest took, and reader lines left behind.
 */
@Command(name = "soak",
        description = {
                "Runs a producer and verifying readers while killing and restarting them at random, then reports.",
                "",
                "Every frame is checked against its checksum. A recovery is a killed process replaced and the ring",
                "moving again: after a reader's kill its line is free and the producer has written a whole ring more;",
                "after a producer's kill a new producer publishes. Report keys (--json): frames, torn,",
                "checksum_failures, recoveries, max_recovery_ms, leaked_reader_lines, kills."
        })
final class SoakCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--seconds", defaultValue = "60", paramLabel = "S", description = "How long to run (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--readers", defaultValue = "3", paramLabel = "N", description = "Reader processes, 1.." + NanoBrokerProcess.MAX_CHILD_READERS
            + " (default: ${DEFAULT-VALUE}).")
    int readers;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "SEED", description = "Seed of the random schedule (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    JsonOption json;

    private static final int SLOTS = 8;

    private final String name = "nanobroker-soak-" + ProcessHandle.current().pid();
    private final List<Process> readerProcesses = new ArrayList<>();
    private final List<String> reports = new ArrayList<>();
    private Process producer;
    private long recoveries;
    private long maxRecoveryMillis;
    private long kills;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (readers < 1 || readers > NanoBrokerProcess.MAX_CHILD_READERS || !(seconds > 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--readers must be 1.." + NanoBrokerProcess.MAX_CHILD_READERS
                    + " and --seconds more than 0");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SplittableRandom random = new SplittableRandom(seed);
        long leaked;
        try (StopSignal stop = new StopSignal()) {
            try {
                for (int i = 0; i < readers; i++) {
                    readerProcesses.add(startReader());
                }
                producer = startProducer();
                awaitAtLeast(RingStatus::head, SLOTS * 4L, 60_000);
                awaitAtLeast(RingStatus::attachedReaders, readers, 60_000);
                long end = System.nanoTime() + (long) (seconds * 1e9);
                while (!stop.requested() && System.nanoTime() - end < 0) {
                    TimeUnit.MILLISECONDS.sleep(300 + random.nextInt(1200)); // the random schedule itself
                    int action = random.nextInt(10);
                    if (action < 6) {
                        killReader(random.nextInt(readerProcesses.size()), action < 5);
                    } else {
                        killProducer();
                    }
                    if (!json.on()) {
                        err.printf("soak: %d kills, %d recoveries, slowest %d ms%n", kills, recoveries, maxRecoveryMillis);
                        err.flush();
                    }
                }
                producer.toHandle().destroy(); // a clean end: the ring closes, the readers report and exit
                producer.waitFor(10, TimeUnit.SECONDS);
                for (Process reader : readerProcesses) {
                    if (reader.waitFor(30, TimeUnit.SECONDS)) {
                        reports.add(new String(reader.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
                    }
                }
                leaked = read(RingStatus::attachedReaders);
            } finally {
                killAll();
                SharedRing.unlink(name);
            }
            SoakReport report = report(leaked);
            out.println(json.on() ? JsonReports.write(report) : report.text());
            out.flush();
            return report.clean() ? 0 : 1;
        }
    }

    private Process startReader() throws IOException {
        return start(List.of("read", name, "--verify", "--json", "--timeout-s", "60"));
    }

    private Process startProducer() throws IOException {
        return start(List.of("produce", "--headless", "--name", name, "--size", "320x240", "--slots", Integer.toString(SLOTS),
                "--fps", "500", "--frames", "0", "--policy", "block", "--block-timeout-ms", "2000", "--json"));
    }

    private Process start(List<String> args) throws IOException {
        return new ProcessBuilder(NanoBrokerProcess.command(args)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** SIGKILL (or SIGTERM) one reader, start another; recovered when its line is free and the producer went a ring further. */
    private void killReader(int index, boolean sigkill) throws IOException, InterruptedException {
        Process victim = readerProcesses.get(index);
        long attachedBefore = read(RingStatus::attachedReaders);
        long start = System.nanoTime();
        if (sigkill) {
            victim.destroyForcibly();
            victim.waitFor();
        } else {
            victim.toHandle().destroy();
            victim.waitFor(10, TimeUnit.SECONDS);
            reports.add(new String(victim.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
        }
        kills++;
        long head = read(RingStatus::head);
        awaitAtMost(RingStatus::attachedReaders, attachedBefore - 1, 10_000);
        awaitAtLeast(RingStatus::head, head + SLOTS + 1, 10_000);
        recovered(start);
        readerProcesses.set(index, startReader());
        awaitAtLeast(RingStatus::attachedReaders, readers, 60_000); // the next kill counts from a full house
    }

    /** SIGKILL the producer, start another; recovered when the new one publishes. */
    private void killProducer() throws IOException, InterruptedException {
        long start = System.nanoTime();
        producer.destroyForcibly();
        producer.waitFor();
        kills++;
        long head = read(RingStatus::head);
        producer = startProducer();
        awaitAtLeast(RingStatus::head, head + 1, 30_000);
        recovered(start);
    }

    private void recovered(long startNanos) {
        recoveries++;
        maxRecoveryMillis = Math.max(maxRecoveryMillis, (System.nanoTime() - startNanos) / 1_000_000);
    }

    private long read(ToLongFunction<RingStatus> what) {
        try (SharedRing ring = SharedRing.open(name)) {
            return what.applyAsLong(ring.status());
        } catch (RingNotFoundException notYet) {
            return 0;
        }
    }

    private void awaitAtLeast(ToLongFunction<RingStatus> what, long target, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (read(what) < target) {
            if (System.nanoTime() - deadline > 0) {
                throw new CommandException("the ring did not recover within " + timeoutMillis + " ms");
            }
            TimeUnit.MILLISECONDS.sleep(2);
        }
    }

    private void awaitAtMost(ToLongFunction<RingStatus> what, long target, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (read(what) > target) {
            if (System.nanoTime() - deadline > 0) {
                throw new CommandException("a dead reader's line was not freed within " + timeoutMillis + " ms");
            }
            TimeUnit.MILLISECONDS.sleep(2);
        }
    }

    private void killAll() throws InterruptedException {
        List<Process> all = new ArrayList<>(readerProcesses);
        if (producer != null) {
            all.add(producer);
        }
        for (Process process : all) {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor();
            }
        }
    }

    /** The readers' own reports added up, with the kills and recoveries seen here. */
    private SoakReport report(long leaked) {
        long frames = 0;
        long torn = 0;
        long checksumFailures = 0;
        for (String line : reports) {
            if (line.startsWith("{")) {
                ReadReport report = JsonReports.read(line, ReadReport.class);
                frames += report.frames();
                torn += report.torn();
                checksumFailures += report.checksumFailures();
            }
        }
        return new SoakReport(seconds, readers, kills, frames, torn, checksumFailures, recoveries, maxRecoveryMillis, leaked);
    }
}
