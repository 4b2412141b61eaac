package dev.nanobroker.cli;

import dev.nanobroker.ring.RingNotFoundException;
import dev.nanobroker.ring.RingStatus;
import dev.nanobroker.ring.SharedRing;
import dev.nanobroker.ring.testing.ChildJvm;
import dev.nanobroker.ring.testing.Children;
import dev.nanobroker.ring.testing.LockHoldingWriterMain;
import dev.nanobroker.ring.testing.TestRings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

import static org.junit.jupiter.api.Assertions.*;

/** SIGKILL at random points, twenty times over, with real processes: the ring goes on and loses nothing. */
class FaultTrialsTest {

    private static final int TRIALS = 20;
    private static final Duration LIMIT = Duration.ofMinutes(3);

    private final TestRings rings = new TestRings();
    private final Children children = new Children();
    private final SplittableRandom random = new SplittableRandom(20261126);

    @AfterEach
    void cleanUp() throws Exception {
        children.close();
        rings.close();
    }

    private ChildJvm start(Class<?> main, String... args) {
        return children.start(main, args);
    }

    /** A number from the ring's status; 0 before a producer created the ring. */
    private static long read(String name, ToLongFunction<RingStatus> what) {
        try (SharedRing ring = SharedRing.open(name)) {
            return what.applyAsLong(ring.status());
        } catch (RingNotFoundException notYet) {
            return 0;
        }
    }

    /** Waits until the value reaches {@code target}; returns how long it took, in ms. */
    private static long awaitAtLeast(String name, ToLongFunction<RingStatus> what, long target, Duration timeout)
            throws InterruptedException {
        long start = System.nanoTime();
        while (read(name, what) < target) {
            assertTrue(System.nanoTime() - start < timeout.toNanos(), "timed out waiting for " + target);
            TimeUnit.MILLISECONDS.sleep(2);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void readersKilledAtRandomPointsNeverStallABlockProducerNorCostOthersAFrame() throws Exception {
        String name = rings.newName("killreaders");
        int slots = 8;
        ChildJvm survivor = start(NanoBrokerCommand.class, "read", name, "--verify", "--json", "--timeout-s", "120");
        ChildJvm producer = start(NanoBrokerCommand.class, "produce", "--headless", "--name", name, "--size", "64x64",
                "--slots", Integer.toString(slots), "--fps", "2000", "--frames", "0", "--policy", "block",
                "--block-timeout-ms", "60000", "--wait-readers", "1", "--json");
        awaitAtLeast(name, RingStatus::head, 100, LIMIT);
        long worstStallMs = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            // Some victims hold every frame for a while, so some die holding one.
            String hold = Integer.toString(random.nextInt(3) == 0 ? 200 : random.nextInt(3));
            ChildJvm victim = start(NanoBrokerCommand.class, "read", name, "--hold-ms", hold, "--timeout-s", "120");
            awaitAtLeast(name, status -> status.readers().stream().filter(r -> r.reading() && r.alive()).count(), 2, LIMIT);
            TimeUnit.MILLISECONDS.sleep(random.nextInt(300)); // a random point in the victim's life, not a synchronisation
            victim.kill9();
            long headAtKill = read(name, RingStatus::head);
            // "Never stalls": within a second the producer has written more than a whole ring again.
            long stallMs = awaitAtLeast(name, RingStatus::head, headAtKill + slots + 1, Duration.ofSeconds(10));
            worstStallMs = Math.max(worstStallMs, stallMs);
            assertTrue(stallMs < 1000, "trial " + trial + ": the producer went on " + stallMs + " ms after the kill");
            assertEquals(1, awaitLines(name), "trial " + trial + ": the dead reader's line is free again");
        }
        producer.terminate();
        ProduceReport produced = JsonReports.read(producer.lastLine(LIMIT), ProduceReport.class);
        ReadReport read = JsonReports.read(survivor.lastLine(LIMIT), ReadReport.class);
        ReadReports.assertEveryFrameIntact(read, produced.published());
        System.out.printf("fault trials: %d readers killed, worst producer stall %d ms, survivor read %d frames, 0 lost%n",
                TRIALS, worstStallMs, read.frames());
    }

    private static long awaitLines(String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        long attached;
        while ((attached = read(name, RingStatus::attachedReaders)) != 1 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(5);
        }
        return attached;
    }

    @Test
    void producersKilledAtRandomPointsAreReplacedAndNoTornFrameIsDeliveredAsGood() throws Exception {
        String name = rings.newName("killproducers");
        ChildJvm reader = start(NanoBrokerCommand.class, "read", name, "--verify", "--json", "--timeout-s", "120");
        long worstGapMs = 0;
        long worstTakeoverMs = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            long headBefore = read(name, RingStatus::head);
            long started = System.nanoTime();
            ChildJvm producer;
            if (trial % 4 == 3) {
                // Deterministically mid-frame: publishes 3 frames, then dies holding the lock with a half-written slot.
                producer = start(LockHoldingWriterMain.class, name, "64", "64", "8", "3");
                producer.awaitLine(line -> line.startsWith("HOLDING"), LIMIT);
            } else {
                producer = start(NanoBrokerCommand.class, "produce", "--headless", "--name", name, "--size", "64x64",
                        "--slots", "8", "--fps", "1000", "--frames", "0", "--policy", "block", "--block-timeout-ms", "60000",
                        "--wait-readers", "1"); // the reader is there from the first frame on: it must get them all
                // Once the new producer has the ring open (its first line), it takes the ring over
                // (a dead writer's lock included) and publishes within a second.
                long deadline = System.nanoTime() + LIMIT.toNanos();
                while (!producer.stderr().contains("producing")) {
                    assertTrue(System.nanoTime() < deadline, "the producer never opened the ring: " + producer.stderr());
                    TimeUnit.MILLISECONDS.sleep(2);
                }
                long takeoverMs = awaitAtLeast(name, RingStatus::head, headBefore + 1, Duration.ofSeconds(10));
                worstTakeoverMs = Math.max(worstTakeoverMs, takeoverMs);
                assertTrue(takeoverMs < 1000, "trial " + trial + ": the restarted producer published " + takeoverMs + " ms after opening");
                awaitAtLeast(name, RingStatus::head, headBefore + 20, LIMIT);
                TimeUnit.MILLISECONDS.sleep(random.nextInt(200)); // a random point, not a synchronisation
            }
            worstGapMs = Math.max(worstGapMs, (System.nanoTime() - started) / 1_000_000);
            producer.kill9();
        }
        // A last producer finishes cleanly: the reader sees the ring closed and reports.
        ChildJvm last = start(NanoBrokerCommand.class, "produce", "--headless", "--name", name, "--size", "64x64",
                "--slots", "8", "--fps", "1000", "--frames", "200", "--json");
        assertEquals(200, JsonReports.read(last.lastLine(LIMIT), ProduceReport.class).published());
        String read = reader.lastLine(LIMIT);
        ReadReport report = JsonReports.read(read, ReadReport.class);
        assertEquals(0, report.torn(), read);
        assertEquals(0, report.checksumFailures(), read);
        assertEquals(0, report.reattachments(), "same geometry: the same file all along; " + read);
        assertEquals(read(name, RingStatus::head), report.frames() + report.skipped() + report.lost(), read);
        System.out.printf("fault trials: %d producers killed (%d holding the lock mid-frame), reader got %d frames, 0 torn,"
                + " 0 bad; slowest takeover by a restarted producer %d ms; longest start-to-kill %d ms%n",
                TRIALS, TRIALS / 4, report.frames(), worstTakeoverMs, worstGapMs);
    }

    @Test
    void shortSoakReportsEveryKillRecoveredAndNothingBroken() {
        java.io.StringWriter out = new java.io.StringWriter();
        int exit = NanoBrokerCommand.commandLine(new java.io.PrintWriter(out, true), new java.io.PrintWriter(new java.io.StringWriter(), true))
                .execute("soak", "--seconds", "6", "--readers", "2", "--seed", "7", "--json");
        String json = out.toString().strip();
        assertEquals(0, exit, json);
        SoakReport report = JsonReports.read(json, SoakReport.class);
        assertTrue(report.kills() >= 1, json);
        assertEquals(report.kills(), report.recoveries(), json);
        assertEquals(0, report.torn(), json);
        assertEquals(0, report.checksumFailures(), json);
        assertEquals(0, report.leakedReaderLines(), json);
        assertTrue(report.frames() > 0, json);
    }

    private static void signal(ChildJvm child, String signal) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid())).start().waitFor());
    }

    @Test
    void stoppedReaderCostsTheProducerAtMostItsBlockTimeoutPerFrameAndGoesOnAfterContinue() throws Exception {
        String name = rings.newName("sigstop");
        ChildJvm healthy = start(NanoBrokerCommand.class, "read", name, "--verify", "--json", "--timeout-s", "120");
        ChildJvm stopped = start(NanoBrokerCommand.class, "read", name, "--verify", "--json", "--timeout-s", "120");
        ChildJvm producer = start(NanoBrokerCommand.class, "produce", "--headless", "--name", name, "--size", "64x64",
                "--slots", "8", "--fps", "200", "--frames", "0", "--policy", "block", "--block-timeout-ms", "250",
                "--wait-readers", "2", "--json");
        awaitAtLeast(name, RingStatus::head, 50, LIMIT);
        signal(stopped, "STOP");
        long dropsAtStop = read(name, RingStatus::producerDrops);
        // Alive but stuck: its line is kept (it is not dead), so the ring fills and each frame waits
        // the block timeout, then is dropped and counted.
        awaitAtLeast(name, RingStatus::producerDrops, dropsAtStop + 4, Duration.ofSeconds(10));
        long headWhileStopped = read(name, RingStatus::head);
        assertEquals(2, read(name, RingStatus::attachedReaders), "a stopped reader is alive: its line stays");
        signal(stopped, "CONT");
        awaitAtLeast(name, RingStatus::head, headWhileStopped + 50, Duration.ofSeconds(10));
        producer.terminate();
        String produced = producer.lastLine(LIMIT);
        ProduceReport production = JsonReports.read(produced, ProduceReport.class);
        assertTrue(production.producerDrops() >= 4, produced);
        for (ChildJvm reader : List.of(healthy, stopped)) {
            String read = reader.lastLine(LIMIT);
            ReadReport report = JsonReports.read(read, ReadReport.class);
            assertEquals(production.published(), report.frames(), "every published frame reached it: " + read);
            assertEquals(0, report.checksumFailures(), read);
        }
    }

    @Test
    void busyReaderOnSaturatedCoresIsNeverCalledDead() throws Exception {
        String name = rings.newName("busy");
        ChildJvm reader = start(NanoBrokerCommand.class, "read", name, "--verify", "--json", "--timeout-s", "120");
        ChildJvm producer = start(NanoBrokerCommand.class, "produce", "--headless", "--name", name, "--size", "320x240",
                "--slots", "8", "--fps", "0", "--frames", "0", "--policy", "block", "--block-timeout-ms", "60000",
                "--wait-readers", "1", "--json");
        awaitAtLeast(name, RingStatus::head, 50, LIMIT);
        java.util.concurrent.atomic.AtomicBoolean burning = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<Thread> burners = new ArrayList<>();
        for (int i = 0; i < 2 * Runtime.getRuntime().availableProcessors(); i++) {
            burners.add(Thread.ofPlatform().daemon().start(() -> {
                long x = 0;
                while (burning.get()) {
                    x += System.nanoTime() % 7;
                }
                assertTrue(x >= 0);
            }));
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
        while (System.nanoTime() < end) {
            assertEquals(1, read(name, RingStatus::attachedReaders), "the busy reader keeps its line");
            TimeUnit.MILLISECONDS.sleep(100);
        }
        burning.set(false);
        for (Thread burner : burners) {
            burner.join();
        }
        producer.terminate();
        long published = JsonReports.read(producer.lastLine(LIMIT), ProduceReport.class).published();
        String read = reader.lastLine(LIMIT);
        ReadReport report = JsonReports.read(read, ReadReport.class);
        assertEquals(published, report.frames(), read);
        assertEquals(0, report.lost(), read);
        assertEquals(0, report.skipped(), read);
        assertEquals(0, report.reattachments(), read);
    }

    @Test
    void sixteenReadersChurningLeakNoLineStallNothingAndTheSeventeenthIsToldClearly() throws Exception {
        String name = rings.newName("churn");
        double seconds = Double.parseDouble(System.getProperty("nanobroker.churn.seconds", "60"));
        ChildJvm producer = start(NanoBrokerCommand.class, "produce", "--headless", "--name", name, "--size", "64x64",
                "--slots", "8", "--fps", "1000", "--frames", "0", "--policy", "block", "--block-timeout-ms", "60000", "--json");
        awaitAtLeast(name, RingStatus::head, 10, LIMIT);
        List<ChildJvm> churners = new ArrayList<>();
        for (int i = 0; i < dev.nanobroker.ring.RingLayout.MAX_READERS; i++) {
            churners.add(start(dev.nanobroker.ring.testing.AttachChurnMain.class, name, Double.toString(seconds)));
        }
        for (ChildJvm churner : churners) {
            churner.awaitLine("CHURNING"::equals, LIMIT);
        }
        long seventeenthRefused = 0;
        long seventeenthAttached = 0;
        long longestStallMs = 0;
        long lastHead = read(name, RingStatus::head);
        long lastMove = System.nanoTime();
        try (SharedRing ring = SharedRing.open(name)) {
            while (churners.stream().anyMatch(churner -> churner.process().isAlive())) {
                try {
                    ring.attachReader(dev.nanobroker.ring.ReadMode.LATEST).close();
                    seventeenthAttached++; // a churner was between two attaches
                } catch (dev.nanobroker.ring.RingFullException e) {
                    assertEquals("all 16 reader slots of " + name + " are taken", e.getMessage());
                    seventeenthRefused++;
                }
                long head = ring.head();
                long now = System.nanoTime();
                if (head != lastHead) {
                    lastHead = head;
                    lastMove = now;
                }
                longestStallMs = Math.max(longestStallMs, (now - lastMove) / 1_000_000);
                TimeUnit.MILLISECONDS.sleep(5);
            }
        }
        long attaches = 0;
        for (ChildJvm churner : churners) {
            String done = churner.lastLine(LIMIT);
            assertTrue(done.startsWith("DONE attaches="), done + churner.stderr());
            attaches += Long.parseLong(done.replaceAll("DONE attaches=(\\d+) .*", "$1"));
        }
        assertEquals(0, read(name, RingStatus::attachedReaders), "no reader line leaked");
        assertTrue(longestStallMs < 1000, "the producer stalled " + longestStallMs + " ms");
        assertTrue(seventeenthRefused > 0, "the 17th was refused while all 16 were attached");
        producer.terminate();
        producer.lastLine(LIMIT);
        System.out.printf("churn: %d attach/detach cycles by 16 processes over %.0f s; a 17th was refused %d times"
                + " (attached %d times in a gap); longest producer stall %d ms; 0 lines leaked%n",
                attaches, seconds, seventeenthRefused, seventeenthAttached, longestStallMs);
    }
}
