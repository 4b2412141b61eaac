package dev.nanobroker.cli;

import dev.nanobroker.ring.RingGeometry;
import dev.nanobroker.ring.SharedRing;
import dev.nanobroker.ring.testing.Await;
import dev.nanobroker.ring.testing.ChildJvm;
import dev.nanobroker.ring.testing.Children;
import dev.nanobroker.ring.testing.TestRings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.nanobroker.cli.BridgeProcesses.awaitSaid;
import static dev.nanobroker.cli.BridgeProcesses.bridge;
import static dev.nanobroker.cli.BridgeProcesses.freeUdpPort;
import static dev.nanobroker.cli.MultiProcessTest.EXIT_AFTER_SIGTERM;
import static dev.nanobroker.cli.MultiProcessTest.summary;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code bridge send --codec jpeg|h264} in real processes over real UDP on loopback: a clock
 * producer, the two bridge ends and a {@code read --verify --decode-clock} of the received ring, each
 * its own JVM, at 320x240 and 30 fps for a few seconds.
 */
class BridgeCodecProcessTest {

    private static final int WIDTH = 320;
    private static final int HEIGHT = 240;

    private final TestRings rings = new TestRings();
    private final Children children = new Children();

    @AfterEach
    void cleanUp() throws Exception {
        BridgeProcesses.cleanUp(children, rings);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpeg", "h264"})
    void everyFrameArrivesDecodedWithItsOwnClockAndVerifies(String codec) throws Exception {
        Run run = run(codec, 90, 0, List.of());
        BridgeSendReport sent = run.sent();
        BridgeReceiveReport received = run.received();
        assertTrue(sent.codec().startsWith(codec), sent::toString);
        // The producer waits for the sender, and 30 fps is slow for it: every frame goes.
        assertEquals(0, sent.skipped() + sent.torn() + sent.cut(), "every frame sent: " + sent);
        assertEquals(90, sent.sent(), sent::toString);
        assertTrue(sent.encodeNs().p50() > 0 && sent.encodeNs().p50() <= sent.publishToSentNs().p99(), sent::toString);

        assertEquals(codec, received.codec());
        assertEquals(sent.sent(), received.received(), "each frame sent was shown: " + received);
        assertEquals(0, received.lost() + received.incomplete() + received.corrupt() + received.awaitingKeyframe(), received::toString);
        assertEquals(sent.bytesPerFrame(), received.bytesPerFrame());
        assertTrue(received.bytesPerFrame() > 0 && received.bytesPerFrame() < WIDTH * HEIGHT * 4 / 10,
                "compressed to under a tenth of the raw frame: " + received);
        assertTrue(received.decodeNs().p50() > 0, received::toString);

        ReadReport read = run.read();
        assertEquals(received.received(), read.frames(), read::toString);
        assertEquals(0, read.checksumFailures(), "each decoded frame carries the checksum of its decoded pixels: " + read);
        assertEquals(0, read.torn() + read.unchecked(), read::toString);
        assertEquals(read.frames(), read.clock().decoded(), "every frame's clock names its own frame number: " + read);
        System.out.printf("bridge %s 320x240: %d frames, %d B/frame, encode p50 %.2f ms, decode p50 %.2f ms, publish→republished p50 %.2f ms%n",
                codec, received.received(), received.bytesPerFrame(), sent.encodeNs().p50() / 1e6, received.decodeNs().p50() / 1e6,
                received.hopsNs().publishToRepublished().p50() / 1e6);
    }

    @Test
    void afterAnH264FrameIsLostNothingIsShownUntilTheNextKeyframe() throws Exception {
        // One part a frame at this size: every 25th frame dropped on arrival, as if the network had lost it.
        Run run = run("h264", 120, 1, List.of("-Dnanobroker.bridge.faults=drop=25"));
        BridgeSendReport sent = run.sent();
        BridgeReceiveReport received = run.received();
        assertTrue(received.faults().droppedParts() >= 3, received::toString);
        assertTrue(received.lost() >= 3, received::toString);
        assertTrue(received.awaitingKeyframe() > 0, "frames after a lost one wait for a keyframe: " + received);
        long accounted = received.received() + received.lost() + received.incomplete() + received.corrupt() + received.dropped()
                + received.awaitingKeyframe();
        assertTrue(accounted == sent.sent() || accounted == sent.sent() - 1, "every frame counted once (a last frame lost whole"
                + " is never seen): sent " + sent.sent() + ", " + received);
        // A keyframe comes at least every second (30 frames here), so no loss hides more than that; and
        // the receiver asks for one over its back channel, which the sender takes up.
        assertTrue(received.awaitingKeyframe() <= received.lost() * 30, received::toString);
        assertTrue(received.keyframeRequests() > 0, received::toString);
        assertTrue(sent.keyframeRequests() > 0 && sent.keyframeRequests() <= received.keyframeRequests(), sent::toString);
        System.out.printf("bridge h264, every 25th frame dropped: %d lost, %d awaiting keyframe (%.1f a loss), %d keyframes asked%n",
                received.lost(), received.awaitingKeyframe(), (double) received.awaitingKeyframe() / received.lost(),
                received.keyframeRequests());

        ReadReport read = run.read();
        assertEquals(received.received(), read.frames(), read::toString);
        assertEquals(0, read.checksumFailures() + read.torn(), read::toString);
        // Every frame shown is a whole picture: its clock's box row (with its CRC) reads back.
        assertEquals(0, read.clock().unreadable(), "no frame decoded from a missing reference was shown: " + read);
        // The received ring's frames keep the source's sequence, which the clock's pixels show, gaps and all.
        assertEquals(read.frames(), read.clock().decoded(), "every frame's clock names its source frame: " + read);
    }

    /**
     * Producer → send --codec → receive → read --verify --decode-clock, {@code frames} clock frames at
     * 30 fps, until every frame sent is accounted for by the receiver (but {@code unseenAtTheEnd}).
     */
    private Run run(String codec, int frames, int unseenAtTheEnd, List<String> receiverProperties) throws Exception {
        String source = rings.newName("bcodec-src");
        String received = rings.newName("bcodec-dst");
        String endpoint = "127.0.0.1:" + freeUdpPort();
        // Made ahead with the geometry the receiver will ask for, so that the reader is attached before the first frame.
        SharedRing.create(received, RingGeometry.of(WIDTH, HEIGHT, 8)).close();
        ChildJvm reader = children.start(NanoBrokerCommand.class, "read", received, "--verify", "--decode-clock", "--json",
                "--timeout-s", "60");
        Await.status(received, status -> status.attachedReaders() == 1, Duration.ofSeconds(60));
        ChildJvm receiver = bridge(children, receiverProperties, "receive", source, "--from", endpoint, "--as", received, "--json",
                "--timeout-s", "60");
        awaitSaid(receiver, "receiving " + source);
        ChildJvm sender = bridge(children, List.of(), "send", source, "--to", endpoint, "--codec", codec, "--json", "--timeout-s", "60");
        awaitSaid(sender, "receiver connected"); // before the first frame: none is skipped for want of a receiver
        ChildJvm producer = children.start(NanoBrokerCommand.class, "produce", "--headless", "--name", source, "--size",
                WIDTH + "x" + HEIGHT, "--slots", "8", "--pattern", "clock", "--fps", "30", "--frames", Integer.toString(frames),
                "--wait-readers", "1", "--json");
        assertEquals(frames, JsonReports.read(summary(producer, 0), ProduceReport.class).published());

        Await.status(source, status -> status.readers().stream()
                .anyMatch(line -> line.attached() && line.pid() == sender.pid() && line.tail() == status.head()), Duration.ofSeconds(60));
        sender.terminate();
        BridgeSendReport sent = JsonReports.read(summary(sender, EXIT_AFTER_SIGTERM), BridgeSendReport.class);
        awaitAccounted(receiver, sent.sent() + sent.cut() - unseenAtTheEnd);
        receiver.terminate();
        BridgeReceiveReport got = JsonReports.read(summary(receiver, EXIT_AFTER_SIGTERM), BridgeReceiveReport.class);
        int readerExit = reader.awaitExit(MultiProcessTest.RUN_LIMIT);
        ReadReport read = JsonReports.read(reader.lastLine(MultiProcessTest.RUN_LIMIT), ReadReport.class);
        assertEquals(0, readerExit, reader.stderr());
        return new Run(sent, got, read);
    }

    private record Run(BridgeSendReport sent, BridgeReceiveReport received, ReadReport read) {
    }

    private static final Pattern COUNTS = Pattern.compile(
            "received (\\d+) .*lost (\\d+), incomplete (\\d+), corrupt (\\d+), dropped (\\d+)(?:, awaiting keyframe (\\d+)[^;]*)?;");

    /** Waits until the receiver's status line counts {@code frames}, each once: received, lost, incomplete, corrupt, dropped, awaiting keyframe. */
    private static void awaitAccounted(ChildJvm receiver, long frames) throws InterruptedException {
        Await.until(() -> {
            long accounted = -1;
            for (Matcher counts = COUNTS.matcher(receiver.stderr()); counts.find(); ) {
                accounted = 0;
                for (int group = 1; group <= 6; group++) {
                    accounted += counts.group(group) == null ? 0 : Long.parseLong(counts.group(group));
                }
            }
            return accounted >= frames;
        }, frames + " frames accounted by the receiver: " + receiver.stderr().lines().reduce((first, last) -> last).orElse(""));
    }
}
