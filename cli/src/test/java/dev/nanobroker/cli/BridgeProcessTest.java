package dev.nanobroker.cli;

import dev.nanobroker.ring.BridgeNote;
import dev.nanobroker.ring.RingGeometry;
import dev.nanobroker.ring.SharedRing;
import dev.nanobroker.ring.testing.Await;
import dev.nanobroker.ring.testing.ChildJvm;
import dev.nanobroker.ring.testing.Children;
import dev.nanobroker.ring.testing.TestRings;
import io.aeron.driver.MediaDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.nanobroker.cli.MultiProcessTest.EXIT_AFTER_SIGTERM;
import static dev.nanobroker.cli.MultiProcessTest.RUN_LIMIT;
import static dev.nanobroker.cli.BridgeProcesses.freeUdpPort;
import static dev.nanobroker.cli.MultiProcessTest.summary;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The bridge in real processes over real UDP on loopback: a producer, {@code bridge send},
 * {@code bridge receive} and a verifying {@code read} of the received ring, each its own JVM.
 */
class BridgeProcessTest {

    private final TestRings rings = new TestRings();
    private final Children children = new Children();

    @AfterEach
    void cleanUp() throws Exception {
        BridgeProcesses.cleanUp(children, rings);
    }

    private ChildJvm nanobroker(String... args) {
        return children.start(NanoBrokerCommand.class, args);
    }

    /** {@code nanobroker bridge ARGS} with Aeron's JVM options and {@code properties} (-Dname=value). */
    private ChildJvm bridge(List<String> properties, String... args) {
        return BridgeProcesses.bridge(children, properties, args);
    }

    /** {@link #bridge} in network namespace {@code namespace}; null: this process's. */
    private ChildJvm bridgeIn(String namespace, List<String> properties, String... args) {
        return BridgeProcesses.bridgeIn(namespace, children, properties, args);
    }

    /**
     * Where a bridge run's two ends are: the receiver's address (its {@code --from} host, which the
     * sender's {@code ENDPOINT} names too), and the network namespaces of sender and receiver (null:
     * this process's). Producer and reader stay in this one: /dev/shm is the same in all.
     */
    private record Link(String receiverHost, String senderNamespace, String receiverNamespace) {
        static final Link LOOPBACK = new Link("127.0.0.1", null, null);
    }

    /** A receiver and a sender of one ring over loopback, each up, and the receiver's address. */
    private record Ends(String endpoint, ChildJvm receiver, ChildJvm sender) {
    }

    /** {@code bridge receive source --as received} on a free loopback port, then {@code bridge send} to it ({@code senderProperties}). */
    private Ends loopbackBridge(String source, String received, List<String> senderProperties) throws Exception {
        String endpoint = "127.0.0.1:" + freeUdpPort();
        ChildJvm receiver = bridge(List.of(), "receive", source, "--from", endpoint, "--as", received, "--timeout-s", "60");
        awaitReady(receiver, "receiving " + source);
        ChildJvm sender = bridge(senderProperties, "send", source, "--to", endpoint, "--timeout-s", "60");
        awaitReady(sender, "sending " + source);
        return new Ends(endpoint, receiver, sender);
    }

    /** Waits for the line a bridge prints once its publication or subscription is up; when it came. */
    private static long awaitReady(ChildJvm bridge, String words) throws InterruptedException {
        BridgeProcesses.awaitSaid(bridge, words);
        return System.nanoTime();
    }

    /** Where the media driver embedded in {@code bridge} keeps its files. */
    private static Path driverDirectoryOf(ChildJvm bridge) {
        return Path.of("/dev/shm", "nanobroker-aeron-" + bridge.pid());
    }

    /** The head of {@code ring} now, 0 when it is not there (yet). */
    private static long head(String ring) {
        try (SharedRing shared = SharedRing.open(ring)) {
            return shared.head();
        } catch (RuntimeException notThere) {
            return 0;
        }
    }

    /**
     * Runs producer → send → receive → read --verify until the producer's {@code frames} are done and
     * every frame sent has arrived or been counted (all but {@code lossUnseenAtTheEnd}: a frame lost
     * whole is seen only when the next one comes); returns the three reports.
     */
    private Reports bridgeRun(String size, int slots, int frames, int fps, int lossUnseenAtTheEnd, List<String> receiverProperties,
                              String... sendTarget) throws Exception {
        return bridgeRun(Link.LOOPBACK, size, slots, frames, fps, lossUnseenAtTheEnd, receiverProperties, List.of(), sendTarget);
    }

    private Reports bridgeRun(Link link, String size, int slots, int frames, int fps, int lossUnseenAtTheEnd,
                              List<String> receiverProperties, List<String> senderProperties, String... sendTarget) throws Exception {
        String source = rings.newName("bridge-src");
        String received = rings.newName("bridge-dst");
        String endpoint = link.receiverHost() + ":" + freeUdpPort();
        // The received ring made ahead, with the geometry the receiver will ask for (it joins it), so
        // that the reader is attached before the first frame and can count every one.
        int[] widthHeight = Arrays.stream(size.split("x")).mapToInt(Integer::parseInt).toArray();
        SharedRing.create(received, RingGeometry.of(widthHeight[0], widthHeight[1], slots)).close();
        ChildJvm reader = nanobroker("read", received, "--verify", "--json", "--timeout-s", "120");
        Await.status(received, status -> status.attachedReaders() == 1, Duration.ofSeconds(60));
        ChildJvm receiver = bridgeIn(link.receiverNamespace(), receiverProperties, "receive", source, "--from", endpoint,
                "--as", received, "--json", "--timeout-s", "120");
        awaitReady(receiver, "receiving " + source);
        List<String> send = new ArrayList<>(List.of("send", source));
        for (String target : sendTarget) {
            send.add(target.replace("ENDPOINT", endpoint));
        }
        send.addAll(List.of("--json", "--timeout-s", "120"));
        ChildJvm sender = bridgeIn(link.senderNamespace(), senderProperties, send.toArray(String[]::new));
        awaitReady(sender, "sending " + source);
        ChildJvm producer = nanobroker("produce", "--headless", "--name", source, "--size", size, "--slots", Integer.toString(slots),
                "--fps", Integer.toString(fps), "--frames", Integer.toString(frames), "--wait-readers", "1", "--json");
        ProduceReport produced = JsonReports.read(summary(producer, 0), ProduceReport.class);
        assertEquals(frames, produced.published(), produced::toString);

        // Every frame taken by the sender (its line's tail at the head), it stops: the frame in flight still goes out.
        Await.status(source, status -> status.readers().stream()
                .anyMatch(line -> line.attached() && line.pid() == sender.pid() && line.tail() == status.head()), Duration.ofSeconds(60));
        sender.terminate();
        BridgeSendReport sent = JsonReports.read(summary(sender, EXIT_AFTER_SIGTERM), BridgeSendReport.class);
        assertEquals(frames, sent.sent() + sent.skipped() + sent.torn() + sent.cut(), "every source frame accounted: " + sent);
        awaitAccounted(receiver, sent.sent() + sent.cut() - lossUnseenAtTheEnd);
        receiver.terminate();
        BridgeReceiveReport got = JsonReports.read(summary(receiver, EXIT_AFTER_SIGTERM), BridgeReceiveReport.class);
        ReadReport read = JsonReports.read(summary(reader, 0), ReadReport.class);
        assertFalse(Files.exists(driverDirectoryOf(sender)), "a bridge stopped cleanly removes its media driver's directory");
        assertFalse(Files.exists(driverDirectoryOf(receiver)));
        return new Reports(sent, got, read);
    }

    private static final Pattern COUNTS = Pattern.compile("received (\\d+) .*lost (\\d+), incomplete (\\d+), corrupt (\\d+),");

    /** Waits until the receiver's status line accounts for {@code frames}: received, lost, incomplete or corrupt. */
    private static void awaitAccounted(ChildJvm receiver, long frames) throws InterruptedException {
        Await.until(() -> {
            long accounted = -1;
            for (Matcher counts = COUNTS.matcher(receiver.stderr()); counts.find(); ) {
                accounted = Long.parseLong(counts.group(1)) + Long.parseLong(counts.group(2)) + Long.parseLong(counts.group(3))
                        + Long.parseLong(counts.group(4));
            }
            return accounted >= frames;
        }, frames + " frames accounted by the receiver: " + receiver.stderr().lines().reduce((first, last) -> last).orElse(""));
    }

    private record Reports(BridgeSendReport sent, BridgeReceiveReport received, ReadReport read) {
    }

    @Test
    void framesCrossTheBridgeIntactAndReadVerifiesEveryOne() throws Exception {
        Reports run = bridgeRun("320x240", 8, 300, 60, 0, List.of(), "--to", "ENDPOINT");
        assertEveryFrameArrivedIntact(Link.LOOPBACK, run);
        assertOneClock(run);
    }

    @Test
    void framesCrossAVethPairBetweenTwoNetworkNamespaces() throws Exception {
        try (VethPair veth = VethPair.create()) {
            Link link = new Link(VethPair.B_ADDRESS, veth.a(), veth.b());
            Reports run = bridgeRun(link, "320x240", 8, 300, 60, 0, List.of(), List.of(), "--to", "ENDPOINT");
            assertEveryFrameArrivedIntact(link, run);
            // Another address, but the same kernel and so the same CLOCK_MONOTONIC (the same boot id): nothing to estimate.
            assertOneClock(run);
        }
    }

    @Test
    void framesReachAReceiverThroughAMulticastGroupAcrossNetworkNamespaces() throws Exception {
        try (VethPair veth = VethPair.create()) {
            Link link = new Link(VethPair.MULTICAST_GROUP, veth.a(), veth.b());
            // The sender acts as a host whose clock is 3 s behind: probes go to its address in the other
            // namespace, its replies come back through the multicast group.
            Reports run = bridgeRun(link, "320x240", 8, 300, 60, 0, List.of(), List.of(foreignClock(-3_000_000_000L)),
                    "--to", "ENDPOINT");
            assertEveryFrameArrivedIntact(link, run);
            assertClockEstimated(run, -3_000_000_000L);
        }
    }

    @Test
    void theClockOfASenderOnAnotherHostIsEstimatedAndLatencyStaysEndToEnd() throws Exception {
        Reports run = bridgeRun(Link.LOOPBACK, "320x240", 8, 300, 60, 0, List.of(), List.of(foreignClock(5_000_000_000L)),
                "--to", "ENDPOINT");
        assertEveryFrameArrivedIntact(Link.LOOPBACK, run);
        assertClockEstimated(run, 5_000_000_000L);
    }

    /** The sender's property that makes its clock another host's, {@code skewNanos} ahead of this one's. */
    private static String foreignClock(long skewNanos) {
        return "-Dnanobroker.bridge.foreignClock=" + skewNanos;
    }

    /** One kernel clock on both ends: taken as it is, every hop timed, and the received ring's latency end to end. */
    private static void assertOneClock(Reports run) {
        BridgeReceiveReport received = run.received();
        assertEquals("same host", received.clock().known(), received::toString);
        assertEquals(0.0, received.clock().offsetMs());
        assertNull(received.clock().probesSentTo(), "no probe where the clock is known");
        assertNotNull(received.hopsNs().sentToReceived(), "one clock: every hop is timed");
        assertTrue(received.hopsNs().publishToRepublished().p50() > 0, received::toString);
        // The received ring keeps the producer's publish time: read's latency there is end to end.
        assertTrue(run.read().latencyNs().p50() >= received.hopsNs().sentToReceived().p50(), run.read() + " / " + received);
    }

    /**
     * A sender acting as another host, its clock {@code skewNanos} from this one's: the receiver
     * estimates the offset through probes, the truth lies within the accuracy it states, and with it
     * the hops across the hosts and the received ring's latency are end to end, as on one clock.
     */
    private static void assertClockEstimated(Reports run, long skewNanos) {
        BridgeReceiveReport received = run.received();
        BridgeReceiveReport.Clock clock = received.clock();
        assertEquals("estimated", clock.known(), received::toString);
        assertTrue(Math.abs(clock.offsetMs() - skewNanos / 1e6) <= clock.accuracyMs() + 1e-6,
                "the true offset lies within the stated accuracy: " + clock);
        assertTrue(clock.accuracyMs() < 50, "a round trip of a few ms at most on one machine: " + clock);
        assertTrue(clock.roundTrips() >= 4, clock::toString);
        assertTrue(run.sent().probesAnswered() >= clock.roundTrips(), run.sent()::toString);
        BridgeReceiveReport.Hops hops = received.hopsNs();
        assertNotNull(hops.sentToReceived(), "timed once the offset is known: " + received);
        assertTrue(hops.publishToRepublished().p50() > 0 && hops.publishToRepublished().p50() < 1_000_000_000L,
                "end to end on the sender's clock brought to this one's, not " + skewNanos + " ns off: " + hops);
        assertTrue(run.read().latencyNs().p50() < 1_000_000_000L, "the received ring's publish times are this host's: " + run.read());
        System.out.printf("bridge, sender's clock %+d ms: estimated %+.3f ms ± %.3f (%d round trips); end to end p50 %.2f ms%n",
                skewNanos / 1_000_000, clock.offsetMs(), clock.accuracyMs(), clock.roundTrips(), hops.publishToRepublished().p50() / 1e6);
    }

    /** The checks of a clean run: every frame sent arrived whole, and read verified each one. */
    private static void assertEveryFrameArrivedIntact(Link link, Reports run) {
        BridgeSendReport sent = run.sent();
        BridgeReceiveReport received = run.received();
        assertTrue(sent.sent() >= 100, "most frames sent: " + sent);
        assertEquals(0, sent.torn(), sent::toString);
        assertEquals(0, sent.cut(), sent::toString);
        assertEquals(sent.sent(), received.received(), "each frame sent arrived: " + received);
        assertEquals(0, received.incomplete(), received::toString);
        assertEquals(0, received.lost() + received.corrupt() + received.malformed(), received::toString);
        assertEquals("320x240 stride 1280 x8 slots", received.geometry());
        assertTrue(received.hopsNs().publishToSent().p50() > 0 && received.hopsNs().receivedToRepublished().p50() > 0,
                received::toString);

        ReadReport read = run.read();
        assertEquals(received.received(), read.frames(), read::toString);
        assertEquals(0, read.checksumFailures(), read::toString);
        assertEquals(0, read.torn(), read::toString);
        assertEquals(0, read.unchecked(), "every frame carried its producer's checksum across: " + read);
        assertEquals("closed", read.stopped(), read::toString);
        System.out.printf("bridge %s, 320x240: sent %d, skipped %d; received %d; publish→sent p50 %.2f ms, received→republished"
                        + " p50 %.2f ms%n", link, sent.sent(), sent.skipped(), received.received(),
                received.hopsNs().publishToSent().p50() / 1e6, received.hopsNs().receivedToRepublished().p50() / 1e6);
    }

    @Test
    void aFrameLargerThanAeronsLargestMessageCrossesInParts() throws Exception {
        // 2400x1800 BGRA is 17.3 MB: over Aeron's 16 MiB cap on one message, 17 parts of up to 1 MiB.
        Reports run = bridgeRun("2400x1800", 2, 4, 2, 0, List.of(), "--to", "ENDPOINT");
        BridgeReceiveReport received = run.received();
        assertTrue(received.received() > 0, received::toString);
        assertEquals(run.sent().sent(), received.received(), received::toString);
        assertEquals(0, received.incomplete() + received.corrupt() + received.lost(), received::toString);
        assertEquals("2400x1800 stride 9600 x2 slots", received.geometry());
        assertEquals(received.received(), run.read().frames(), run.read()::toString);
        assertEquals(0, run.read().checksumFailures(), run.read()::toString);
    }

    @Test
    void partsDroppedOrDamagedOnTheWayNeverReachTheRingAndAreCounted() throws Exception {
        // A 64 KiB term makes parts of 8 KiB: 38 parts a frame, so one part lost leaves a frame incomplete.
        Reports run = bridgeRun("320x240", 8, 200, 60, 0, List.of("-Dnanobroker.bridge.faults=drop=300,corrupt=280"),
                "--channel", "aeron:udp?endpoint=ENDPOINT|term-length=65536");
        BridgeSendReport sent = run.sent();
        BridgeReceiveReport received = run.received();
        assertNotNull(received.faults(), received::toString);
        assertTrue(received.faults().droppedParts() > 0 && received.faults().corruptedParts() > 0, received::toString);
        assertTrue(received.incomplete() > 0, received::toString);
        assertTrue(received.corrupt() > 0, received::toString);
        assertEquals(0, received.lost(), "a frame of 38 parts is never lost whole: " + received);
        assertEquals(sent.sent() + sent.cut(), received.received() + received.incomplete() + received.corrupt(),
                "every frame begun is counted once: " + sent + " / " + received);
        assertTrue(received.incomplete() + received.corrupt() <= received.faults().droppedParts()
                + received.faults().corruptedParts() + sent.cut(), received::toString);

        ReadReport read = run.read();
        assertEquals(received.received(), read.frames(), "only whole frames were published: " + read);
        assertEquals(0, read.checksumFailures(), read::toString);
        assertEquals(0, read.torn(), read::toString);
    }

    @Test
    void framesOfOnePartDroppedOnTheWayAreCountedLost() throws Exception {
        Reports run = bridgeRun("64x64", 8, 300, 200, 1, List.of("-Dnanobroker.bridge.faults=drop=10"), "--to", "ENDPOINT");
        BridgeSendReport sent = run.sent();
        BridgeReceiveReport received = run.received();
        assertTrue(received.lost() > 0, received::toString);
        // The last frame's loss is not seen when nothing follows it.
        long unaccounted = sent.sent() + sent.cut() - (received.received() + received.lost() + received.incomplete());
        assertTrue(unaccounted == 0 || unaccounted == 1, sent + " / " + received);
        assertTrue(received.lost() <= received.faults().droppedParts(), received::toString);
        assertEquals(received.received(), run.read().frames(), run.read()::toString);
        assertEquals(0, run.read().checksumFailures(), run.read()::toString);
    }

    @Test
    void statShowsEachBridgeEndsCountsAndTheSendersClockBesideItsRing() throws Exception {
        String source = rings.newName("bridge-stat-src");
        String received = rings.newName("bridge-stat-dst");
        Ends ends = loopbackBridge(source, received, List.of(foreignClock(1_500_000_000L)));
        ChildJvm receiver = ends.receiver();
        ChildJvm sender = ends.sender();
        String endpoint = ends.endpoint();
        nanobroker("produce", "--headless", "--name", source, "--size", "160x120", "--fps", "60", "--frames", "0", "--unlink");
        BridgeProcesses.awaitSaid(receiver, "clock: +1500.");
        BridgeProcesses.awaitSaid(sender, "receiver connected, clock probes answered");

        StatReport atSource = JsonReports.read(summary(nanobroker("stat", source, "--json"), 0), StatReport.class);
        StatReport.Bridge send = atSource.bridges().getFirst();
        assertEquals(1, atSource.bridges().size(), atSource::toString);
        assertEquals("send", send.role());
        assertEquals(sender.pid(), send.pid());
        assertEquals(List.of("sent", "skipped", "torn", "cut"), List.copyOf(send.counts().keySet()));
        assertTrue(send.counts().get("sent") > 0, send::toString);
        assertEquals("to " + endpoint + ", raw, receiver connected", send.peer());

        StatReport atReceived = JsonReports.read(summary(nanobroker("stat", received, "--json"), 0), StatReport.class);
        StatReport.Bridge receive = atReceived.bridges().getFirst();
        assertEquals("receive", receive.role());
        assertEquals(receiver.pid(), receive.pid());
        assertEquals(List.of("received", "lost", "incomplete", "corrupt", "dropped"), List.copyOf(receive.counts().keySet()));
        assertTrue(receive.counts().get("received") > 0, receive::toString);
        assertEquals("ring " + source + " from 127.0.0.1 on " + endpoint, receive.peer());
        assertEquals("estimated", receive.clock());
        assertTrue(Math.abs(receive.clockOffsetMs() - 1500) <= receive.clockAccuracyMs() + 1e-6, receive::toString);
        ChildJvm stat = nanobroker("stat", received);
        assertEquals(0, stat.awaitExit(Duration.ofSeconds(60)));
        String table = String.join("\n", stat.stdoutLines());
        assertTrue(table.contains("bridge receive (pid " + receiver.pid() + ", ring " + source)
                && table.contains("(LATENCY above: end to end, from the producer's publish on the sender's host)"), table);

        sender.kill9();
        StatReport afterKill = JsonReports.read(summary(nanobroker("stat", source, "--json"), 0), StatReport.class);
        assertNull(afterKill.bridges(), "a killed sender's note is not shown: " + afterKill);
        receiver.terminate();
        receiver.awaitExit(Duration.ofSeconds(30));
        assertTrue(BridgeNote.of(received).isEmpty(), "a receiver that stops removes its note");
    }

    @Test
    void eitherSideKilledAndRestartedIsPickedUpWithinTwoSeconds() throws Exception {
        String source = rings.newName("bridge-kill-src");
        String received = rings.newName("bridge-kill-dst");
        String endpoint = "127.0.0.1:" + freeUdpPort();
        String[] receive = {"receive", source, "--from", endpoint, "--as", received, "--timeout-s", "60"};
        String[] send = {"send", source, "--to", endpoint, "--timeout-s", "60"};
        ChildJvm producer = nanobroker("produce", "--headless", "--name", source, "--size", "160x120", "--fps", "100",
                "--frames", "0", "--unlink");
        ChildJvm reader = nanobroker("read", received, "--verify", "--json", "--timeout-s", "60");
        ChildJvm firstReceiver = bridge(List.of(), receive);
        awaitReady(firstReceiver, "receiving");
        ChildJvm firstSender = bridge(List.of(), send);
        Await.status(received, status -> status.head() > 50, Duration.ofSeconds(60));

        firstSender.kill9();
        assertTrue(Files.exists(driverDirectoryOf(firstSender)), "SIGKILL leaves the driver's directory behind");
        ChildJvm secondSender = bridge(List.of(), send);
        long senderBack = awaitReady(secondSender, "sending");
        assertFalse(Files.exists(driverDirectoryOf(firstSender)), "the next bridge removed the killed one's directory");
        long before = head(received);
        Await.status(received, status -> status.head() > before + 10, Duration.ofSeconds(30));
        double senderRecovery = (System.nanoTime() - senderBack) / 1e9;

        firstReceiver.kill9();
        ChildJvm secondReceiver = bridge(List.of(), receive);
        long receiverBack = awaitReady(secondReceiver, "receiving");
        long stalled = head(received);
        Await.status(received, status -> status.head() > stalled + 10, Duration.ofSeconds(30));
        double receiverRecovery = (System.nanoTime() - receiverBack) / 1e9;
        System.out.printf("bridge recovery: restarted sender's frames arrived %.2f s after it was up, restarted receiver's %.2f s%n",
                senderRecovery, receiverRecovery);
        assertTrue(senderRecovery < 2, "a restarted sender was picked up in " + senderRecovery + " s");
        assertTrue(receiverRecovery < 2, "a restarted receiver was picked up in " + receiverRecovery + " s");

        secondSender.terminate();
        secondSender.awaitExit(RUN_LIMIT);
        secondReceiver.terminate(); // closes the received ring: the reader finishes
        secondReceiver.awaitExit(RUN_LIMIT);
        ReadReport read = JsonReports.read(summary(reader, 0), ReadReport.class);
        assertEquals(0, read.checksumFailures(), "no damaged frame across both restarts: " + read);
        assertEquals(0, read.torn(), read::toString);
        assertTrue(read.frames() > 70, read::toString);
        producer.terminate();
        producer.awaitExit(RUN_LIMIT);
    }

    @Test
    void aNewProducerOfAnotherSizeIsFollowedAcrossTheBridge() throws Exception {
        String source = rings.newName("bridge-resize-src");
        String received = rings.newName("bridge-resize-dst");
        Ends ends = loopbackBridge(source, received, List.of());
        ChildJvm receiver = ends.receiver();
        ChildJvm sender = ends.sender();
        ChildJvm first = nanobroker("produce", "--headless", "--name", source, "--size", "64x64", "--fps", "100", "--frames", "0");
        Await.status(received, status -> status.geometry().width() == 64 && status.head() > 20, Duration.ofSeconds(60));
        first.kill9();
        // Another size: the new producer replaces the source file; the sender re-attaches, the receiver replaces its ring.
        ChildJvm second = nanobroker("produce", "--headless", "--name", source, "--size", "128x32", "--fps", "100", "--frames", "0");
        Await.status(received, status -> status.geometry().width() == 128 && status.head() > 20, Duration.ofSeconds(60));
        second.terminate();
        sender.terminate();
        receiver.terminate();
        assertEquals(EXIT_AFTER_SIGTERM, receiver.awaitExit(RUN_LIMIT), receiver.stderr());
        assertEquals(EXIT_AFTER_SIGTERM, sender.awaitExit(RUN_LIMIT), sender.stderr());
    }

    @Test
    void twoReceiversGetTheFramesThroughMultiDestinationUnicastAndOneThatStopsNeitherHoldsTheOtherBackLongNorStaysStuck()
            throws Exception {
        String source = rings.newName("bridge-stall-src");
        List<String> receivedRings = List.of(rings.newName("bridge-stall-a"), rings.newName("bridge-stall-b"));
        List<String> endpoints = List.of("127.0.0.1:" + freeUdpPort(), "127.0.0.1:" + freeUdpPort());
        List<ChildJvm> receivers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            receivers.add(bridge(List.of(), "receive", source, "--from", endpoints.get(i), "--as", receivedRings.get(i),
                    "--timeout-s", "60", "--json"));
            awaitReady(receivers.get(i), "receiving " + source);
        }
        ChildJvm sender = bridge(List.of(), "send", source, "--to", endpoints.get(0), "--to", endpoints.get(1), "--timeout-s", "60",
                "--json");
        awaitReady(sender, "sending " + source + " to " + endpoints.get(0) + ", " + endpoints.get(1));
        // 55 MB/s: a 4 s stop is several of Aeron's 16 MiB terms, more than a sender can keep for repair.
        ChildJvm producer = nanobroker("produce", "--headless", "--name", source, "--size", "640x360", "--fps", "60",
                "--frames", "0", "--unlink");
        for (String received : receivedRings) {
            Await.status(received, status -> status.head() > 60, Duration.ofSeconds(60));
        }
        ChildJvm stopped = receivers.getFirst();
        stopped.suspend(RUN_LIMIT);
        long stoppedAt = head(receivedRings.getFirst());
        long otherAtStop = head(receivedRings.get(1));
        // The other receiver goes on, at the source's rate, once the stopped one's 2 s in the pacing are up.
        Await.status(receivedRings.get(1), status -> status.head() > otherAtStop + 120, Duration.ofSeconds(30));
        stopped.resume();
        // Its stream stopped at a gap the sender can no longer repair; Aeron's image is renewed (3 s) and frames come again.
        Await.status(receivedRings.getFirst(), status -> status.head() > stoppedAt + 60, Duration.ofSeconds(30));

        producer.terminate();
        sender.terminate();
        BridgeSendReport sent = JsonReports.read(summary(sender, EXIT_AFTER_SIGTERM), BridgeSendReport.class);
        for (ChildJvm receiver : receivers) {
            awaitAccounted(receiver, sent.sent() + sent.cut() - 1);
            receiver.terminate();
            BridgeReceiveReport got = JsonReports.read(summary(receiver, EXIT_AFTER_SIGTERM), BridgeReceiveReport.class);
            long accounted = got.received() + got.lost() + got.incomplete() + got.corrupt();
            assertTrue(accounted >= sent.sent() + sent.cut() - 1 && accounted <= sent.sent() + sent.cut(),
                    "every frame sent received or counted, the last loss unseen at most: " + sent + " / " + got);
            if (receiver == stopped) {
                assertTrue(got.lost() + got.incomplete() > 0, "the frames sent while it was stopped are counted: " + got);
            } else {
                assertEquals(0, got.lost() + got.incomplete() + got.corrupt(), "the other missed nothing: " + got);
            }
        }
    }

    @Test
    void bothEndsCanUseAMediaDriverOfTheirOwnProcess() throws Exception {
        String source = rings.newName("bridge-ext-src");
        String received = rings.newName("bridge-ext-dst");
        String endpoint = "127.0.0.1:" + freeUdpPort();
        Path directory = Path.of("/dev/shm", rings.newName("aeron"));
        try {
            List<String> driverOptions = new ArrayList<>(NanoBrokerProcess.AERON_OPTIONS);
            driverOptions.addAll(List.of("-Daeron.dir=" + directory, "-Daeron.dir.delete.on.shutdown=true",
                    "-Daeron.threading.mode=SHARED"));
            ChildJvm driver = children.startWithOptions(driverOptions, MediaDriver.class);
            Await.until(() -> Files.exists(directory.resolve("cnc.dat")), "the media driver's " + directory);
            ChildJvm receiver = bridge(List.of(), "receive", source, "--from", endpoint, "--as", received,
                    "--aeron-dir", directory.toString(), "--timeout-s", "60");
            awaitReady(receiver, "receiving " + source + " into " + received + ", listening on " + endpoint);
            assertTrue(receiver.stderr().contains("Aeron driver in " + directory) && !receiver.stderr().contains("embedded"),
                    receiver.stderr());
            ChildJvm sender = bridge(List.of(), "send", source, "--to", endpoint, "--aeron-dir", directory.toString(),
                    "--timeout-s", "60");
            ChildJvm producer = nanobroker("produce", "--headless", "--name", source, "--size", "64x64", "--fps", "100",
                    "--frames", "0", "--wait-readers", "1");
            Await.status(received, status -> status.head() > 50, Duration.ofSeconds(60));
            producer.terminate();
            sender.terminate();
            receiver.terminate();
            assertEquals(EXIT_AFTER_SIGTERM, receiver.awaitExit(RUN_LIMIT), receiver.stderr());
            assertEquals(EXIT_AFTER_SIGTERM, sender.awaitExit(RUN_LIMIT), sender.stderr());
            driver.terminate();
            driver.awaitExit(RUN_LIMIT);
        } finally {
            try (var tree = Files.walk(directory)) {
                tree.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (java.nio.file.NoSuchFileException alreadyGone) {
                // the driver removed it
            }
        }
    }

    @Test
    void aReceivingRingOfAnotherGeometryWithALiveProducerIsRefusedInOneLine() throws Exception {
        String source = rings.newName("bridge-geo-src");
        String taken = rings.newName("bridge-geo-taken");
        String endpoint = "127.0.0.1:" + freeUdpPort();
        ChildJvm owner = nanobroker("produce", "--headless", "--name", taken, "--size", "64x64", "--fps", "10", "--frames", "0");
        Await.status(taken, status -> status.producerAlive(), Duration.ofSeconds(60));
        ChildJvm producer = nanobroker("produce", "--headless", "--name", source, "--size", "160x120", "--fps", "50", "--frames", "0");
        ChildJvm receiver = bridge(List.of(), "receive", source, "--from", endpoint, "--as", taken, "--timeout-s", "60");
        awaitReady(receiver, "receiving");
        ChildJvm sender = bridge(List.of(), "send", source, "--to", endpoint, "--timeout-s", "60");
        assertEquals(1, receiver.awaitExit(RUN_LIMIT), receiver.stderr());
        List<String> lines = receiver.stderr().lines().filter(line -> line.startsWith("nanobroker")).toList();
        assertEquals(1, lines.size(), receiver.stderr());
        assertTrue(lines.getFirst().startsWith("nanobroker bridge receive: ring " + taken + " is in use by a live producer"),
                lines.getFirst());
        assertTrue(lines.getFirst().contains("64x64") && lines.getFirst().contains("160x120"), lines.getFirst());
        sender.terminate();
        producer.terminate();
        owner.terminate();
    }

    /**
     * Two network namespaces joined by a veth pair, as two hosts on one wire: A at {@link #A_ADDRESS},
     * B at {@link #B_ADDRESS}, on 198.18.0.0/15 (set aside for network tests, RFC 2544), with a
     * multicast route on each end. Needs root, iproute2 ({@code ip}) and a machine that lets root make
     * namespaces; the test is skipped, saying why, without them. Closing deletes both namespaces, and with them the pair.
     */
    private record VethPair(String a, String b) implements AutoCloseable {

        static final String A_ADDRESS = "198.18.77.1";
        static final String B_ADDRESS = "198.18.77.2";
        /** Odd, as Aeron wants a multicast data group: its control group is the next address. */
        static final String MULTICAST_GROUP = "239.255.77.1";

        static VethPair create() throws Exception {
            Assumptions.assumeTrue((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0,
                    "network namespaces need root (CI runs as root)");
            Assumptions.assumeTrue(run("ip", "-V") == 0, "network namespaces need iproute2's ip");
            String tag = Long.toString(ProcessHandle.current().pid());
            VethPair pair = new VethPair("nbtest-a-" + tag, "nbtest-b-" + tag);
            pair.close(); // what a killed run of this test left
            // Root in a container without CAP_SYS_ADMIN cannot: that is the machine, not the bridge.
            Assumptions.assumeTrue(run("ip", "netns", "add", pair.a()) == 0, "this machine does not let root make network namespaces");
            String[][] steps = {
                    {"ip", "netns", "add", pair.b()},
                    {"ip", "link", "add", "nbveth-a", "netns", pair.a(), "type", "veth", "peer", "name", "nbveth-b", "netns", pair.b()},
                    {"ip", "-n", pair.a(), "addr", "add", A_ADDRESS + "/24", "dev", "nbveth-a"},
                    {"ip", "-n", pair.b(), "addr", "add", B_ADDRESS + "/24", "dev", "nbveth-b"},
                    {"ip", "-n", pair.a(), "link", "set", "nbveth-a", "up"},
                    {"ip", "-n", pair.b(), "link", "set", "nbveth-b", "up"},
                    {"ip", "-n", pair.a(), "link", "set", "lo", "up"},
                    {"ip", "-n", pair.b(), "link", "set", "lo", "up"},
                    {"ip", "-n", pair.a(), "route", "add", "224.0.0.0/4", "dev", "nbveth-a"},
                    {"ip", "-n", pair.b(), "route", "add", "224.0.0.0/4", "dev", "nbveth-b"}};
            for (String[] step : steps) {
                if (run(step) != 0) {
                    pair.close();
                    fail("cannot set up the namespaces: " + String.join(" ", step));
                }
            }
            return pair;
        }

        private static int run(String... command) throws Exception {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor();
        }

        @Override
        public void close() throws Exception {
            run("ip", "netns", "del", a);
            run("ip", "netns", "del", b);
        }
    }
}
