package dev.nanobroker.cli;

import dev.nanobroker.ring.OverflowPolicy;
import dev.nanobroker.ring.ReadMode;
import dev.nanobroker.ring.RingGeometry;
import dev.nanobroker.ring.RingLayout;
import dev.nanobroker.ring.RingReader;
import dev.nanobroker.ring.RingWriter;
import dev.nanobroker.ring.SharedRing;
import dev.nanobroker.ring.testing.TestFrames;
import dev.nanobroker.ring.testing.TestRings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** The commands run in this JVM through the same factory as main: exit codes, messages, output. */
class CommandLineTest {

    private final TestRings rings = new TestRings();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void removeRings() throws IOException {
        rings.close();
    }

    private int run(String... args) {
        return NanoBrokerCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    private String errLines() {
        return err.toString().strip();
    }

    @Test
    void helpListsEveryCommandAndVersionPrints() {
        assertEquals(0, run("--help"));
        for (String command : new String[] {"produce", "view", "read", "ls", "stat", "rm", "demo", "soak", "bridge"}) {
            assertTrue(out.toString().contains("  " + command + " "), command + " in " + out);
        }
        assertEquals(0, run("--version"));
        assertTrue(out.toString().contains("nanobroker "));
        assertEquals(0, run("read", "--help"));
        assertTrue(out.toString().contains("--hold-ms"));
    }

    @Test
    void badUsageExitsWithTwoAndSaysWhy() {
        assertEquals(2, run("produce", "--headless", "--name", rings.newName("usage"), "--size", "0x0"));
        assertTrue(errLines().startsWith("nanobroker produce: frame size 0x0 is out of range"), errLines());
        err.getBuffer().setLength(0);
        assertEquals(2, run("produce", "--headless", "--name", rings.newName("usage"), "--size", "big"));
        assertTrue(errLines().contains("'big' is not a frame size: use WIDTHxHEIGHT"), errLines());
        err.getBuffer().setLength(0);
        assertEquals(2, run("produce", "--headless", "--name", rings.newName("usage"), "--fps", "-1"));
        assertTrue(errLines().startsWith("nanobroker produce: frame rate -1.0 is out of range"), errLines());
        err.getBuffer().setLength(0);
        assertEquals(2, run("produce", "--headless", "--name", rings.newName("usage"), "--policy", "maybe"));
        assertTrue(errLines().startsWith("nanobroker produce: unknown overflow policy 'maybe'"), errLines());
        err.getBuffer().setLength(0);
        assertEquals(2, run("produce", "--headless", "--pattern", "nosuch"));
        assertTrue(errLines().startsWith("nanobroker produce: unknown pattern 'nosuch': use one of sequence"), errLines());
        err.getBuffer().setLength(0);
        assertEquals(2, run("read"));
        assertTrue(errLines().startsWith("nanobroker read: Missing required parameter: 'NAME'"), errLines());
        err.getBuffer().setLength(0);
        assertEquals(2, run("read", "x", "--mode", "sometimes"));
        assertTrue(errLines().startsWith("nanobroker read: unknown read mode 'sometimes'"), errLines());
    }

    @Test
    void aUsageErrorIsOneLineAndAHintNotTheWholeUsage() {
        assertEquals(2, run("produce", "--fps", "abc"));
        assertEquals(List.of("nanobroker produce: Invalid value for option '--fps': 'abc' is not a double",
                "Run 'nanobroker produce --help' for its options."), errLines().lines().toList());
    }

    @Test
    void anUnknownCommandIsAnErrorEvenWithHelp() {
        for (String[] args : new String[][] {{"bogus"}, {"bogus", "--help"}}) {
            err.getBuffer().setLength(0);
            out.getBuffer().setLength(0);
            assertEquals(2, run(args), String.join(" ", args));
            assertTrue(errLines().startsWith("nanobroker: unknown command 'bogus' (the commands: produce, view, read"), errLines());
            assertEquals("", out.toString(), "no help as if all were well");
        }
    }

    @Test
    void listPatternsPrintsOneNameALine() {
        assertEquals(0, run("produce", "--list-patterns"));
        assertTrue(out.toString().lines().toList().contains("sequence"), out.toString());
        assertTrue(out.toString().lines().allMatch(line -> line.matches("[a-z0-9-]+")), out.toString());
    }

    @Test
    void runtimeErrorsAreOneLineAndExitOne() {
        String missing = rings.newName("missing");
        assertEquals(1, run("stat", missing));
        assertEquals("nanobroker stat: ring " + missing + " does not exist (no /dev/shm/" + missing + ")", errLines());
        err.getBuffer().setLength(0);
        assertEquals(1, run("read", missing, "--timeout-s", "0.2"));
        assertEquals("nanobroker read: ring " + missing + " did not appear within 0.2 s", errLines());
        err.getBuffer().setLength(0);
        assertEquals(1, run("read", "../etc/passwd"));
        assertTrue(errLines().startsWith("nanobroker read: invalid ring name '../etc/passwd'"), errLines());
        err.getBuffer().setLength(0);
        assertEquals(1, run("rm", missing));
        assertEquals("nanobroker rm: ring " + missing + " does not exist", errLines());
    }

    @Test
    void truncatedRingIsReportedNotCrashedOn() throws IOException {
        String name = rings.newName("truncated");
        SharedRing.create(name, RingGeometry.of(16, 16, 2)).close();
        try (FileChannel file = FileChannel.open(rings.pathOf(name), StandardOpenOption.WRITE)) {
            file.truncate(5000);
        }
        assertEquals(1, run("read", name, "--timeout-s", "1"));
        assertTrue(errLines().startsWith("nanobroker read: ring " + name + " is truncated"), errLines());
        assertEquals(1, run("rm", name));
        assertTrue(errLines().contains("use --force"), errLines());
        assertEquals(0, run("rm", name, "--force"));
        assertFalse(Files.exists(rings.pathOf(name)));
    }

    @Test
    void statAndLsShowTheRingItsProducerAndReaders() {
        String name = rings.newName("stat");
        try (SharedRing ring = SharedRing.create(name, RingGeometry.of(64, 32, 4))) {
            RingWriter writer = ring.writer(OverflowPolicy.drop());
            RingReader reader = ring.attachReader(ReadMode.LATEST);
            for (int i = 0; i < 3; i++) {
                TestFrames.fill(writer.claim()).publish();
            }
            reader.poll();
            reader.release();

            assertEquals(0, run("stat", name, "--json"));
            String json = out.toString().strip();
            StatReport report = JsonReports.read(json, StatReport.class);
            assertEquals(name, report.name());
            assertEquals(64, report.width());
            assertEquals(32, report.height());
            assertEquals(4, report.slots());
            assertEquals(3, report.head());
            assertEquals(ProcessHandle.current().pid(), report.producer().pid());
            assertTrue(json.contains("\"producer\":{\"pid\":" + ProcessHandle.current().pid() + ",\"alive\":true"), json);
            assertTrue(json.contains("\"readers\":[{\"slot\":" + reader.line() + ",\"pid\":" + ProcessHandle.current().pid()
                    + ",\"alive\":true,\"mode\":\"latest\",\"tail\":3,\"lag\":0,\"frames\":1,\"skipped\":2,\"lost\":0"), json);

            out.getBuffer().setLength(0);
            assertEquals(0, run("stat", name));
            assertTrue(out.toString().contains("SLOT PID"), out.toString());

            out.getBuffer().setLength(0);
            assertEquals(0, run("ls", "--json"));
            assertTrue(out.toString().contains("{\"name\":\"" + name + "\",\"width\":64,\"height\":32,\"slots\":4"), out.toString());
            out.getBuffer().setLength(0);
            assertEquals(0, run("ls"));
            assertTrue(out.toString().lines().anyMatch(line -> line.startsWith(name) && line.contains("alive")), out.toString());

            assertEquals(1, run("rm", name));
            assertTrue(errLines().contains("is in use by a live producer"), errLines());
            writer.close();
            assertEquals(0, run("rm", name));
            assertFalse(Files.exists(rings.pathOf(name)));
        }
    }

    @Test
    void seventeenthReaderIsToldAllSlotsAreTaken() {
        String name = rings.newName("full");
        try (SharedRing ring = SharedRing.create(name, RingGeometry.of(8, 8, 2))) {
            for (int i = 0; i < RingLayout.MAX_READERS; i++) {
                ring.attachReader(ReadMode.EVERY);
            }
            assertEquals(1, run("read", name, "--timeout-s", "1"));
            assertEquals("nanobroker read: all 16 reader slots of " + name + " are taken", errLines());
        }
    }

    /** {@link #run} with stderr emptied first: each bridge check looks at its own run's lines. */
    private int runAfresh(String... args) {
        err.getBuffer().setLength(0);
        return run(args);
    }

    /** The lines on stderr that say what went wrong (not the status lines of a run). */
    private String bridgeFailure() {
        return String.join("\n", err.toString().lines().filter(line -> line.startsWith("nanobroker")).toList());
    }

    private static int freeUdpPort() throws SocketException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    // The bridge's commands: each test runs them on an Aeron media driver embedded in this JVM.

    @Test
    void bridgeHelpNamesBothEnds() {
        assertEquals(0, runAfresh("bridge", "--help"));
        assertTrue(out.toString().contains("  send ") && out.toString().contains("  receive "), out.toString());
        assertEquals(0, runAfresh("bridge", "send", "--help"));
        assertTrue(out.toString().contains("--to=HOST:PORT") && out.toString().contains("--aeron-dir"), out.toString());
    }

    @Test
    void badBridgeFlagsExitWithTwoInOneLine() {
        assertUsage("nanobroker bridge send: give --to HOST:PORT (one or more) or --channel URI, not both", "bridge", "send", "x");
        assertUsage("nanobroker bridge send: 'nowhere' is not HOST:PORT", "bridge", "send", "x", "--to", "nowhere");
        assertUsage("nanobroker bridge send: port 70000 is out of range", "bridge", "send", "x", "--to", "127.0.0.1:70000");
        assertUsage("nanobroker bridge send: a multicast group reaches every receiver by itself", "bridge", "send", "x",
                "--to", "239.1.2.3:40456", "--to", "127.0.0.1:40457");
        assertUsage("nanobroker bridge send: give --to HOST:PORT (one or more) or --channel URI, not both", "bridge", "send", "x",
                "--to", "127.0.0.1:40456", "--channel", "aeron:udp?endpoint=127.0.0.1:40456");
        assertUsage("nanobroker bridge receive: 'udp://x' is not an Aeron channel URI", "bridge", "receive", "x", "--channel", "udp://x");
        assertUsage("nanobroker bridge receive: unknown overflow policy 'maybe'", "bridge", "receive", "x", "--from",
                "127.0.0.1:40456", "--policy", "maybe");
        assertUsage("nanobroker bridge receive: --seconds and --timeout-s must not be negative", "bridge", "receive", "x",
                "--from", "127.0.0.1:40456", "--seconds", "-1");
        assertUsage("nanobroker demo: --bridged shows a viewer of the bridged ring: leave out --headless", "demo", "--bridged",
                "--headless");
    }

    @Test
    void badCodecFlagsExitWithTwoInOneLine() {
        String[] send = {"bridge", "send", "x", "--to", "127.0.0.1:40456"};
        assertUsage("nanobroker bridge send: unknown codec 'vp9': use raw, jpeg or h264", with(send, "--codec", "vp9"));
        assertUsage("nanobroker bridge send: JPEG quality 0 is out of range: use 1 to 100", with(send, "--codec", "jpeg", "--quality", "0"));
        assertUsage("nanobroker bridge send: --quality is for --codec jpeg, not h264", with(send, "--codec", "h264", "--quality", "80"));
        assertUsage("nanobroker bridge send: --bitrate is for --codec h264, not raw", with(send, "--bitrate", "8M"));
        assertUsage("nanobroker bridge send: --bitrate 'fast' is not a bit rate", with(send, "--codec", "h264", "--bitrate", "fast"));
        assertUsage("nanobroker bridge send: H.264 bitrate 50000 bit/s is out of range", with(send, "--codec", "h264", "--bitrate", "50k"));
        assertUsage("nanobroker bridge send: --mtu 9000 is not a datagram size Aeron takes", with(send, "--mtu", "9000"));
        assertUsage("nanobroker bridge send: --mtu goes with --to; with --channel, write mtu= in the URI",
                new String[] {"bridge", "send", "x", "--channel", "aeron:udp?endpoint=127.0.0.1:40456", "--mtu", "8192"});
        assertUsage("nanobroker bridge send: --probe-port 70000 is not a UDP port (0 to 65535)", with(send, "--probe-port", "70000"));
        assertEquals(8_000_000, BridgeSendCommand.bitsPerSecond("8M"));
        assertEquals(500_000, BridgeSendCommand.bitsPerSecond("500k"));
        assertEquals(2_500_000, BridgeSendCommand.bitsPerSecond("2.5m"));
        assertEquals(1_000_000, BridgeSendCommand.bitsPerSecond("1000000"));
    }

    private static String[] with(String[] args, String... more) {
        return Stream.concat(Arrays.stream(args), Arrays.stream(more)).toArray(String[]::new);
    }

    private void assertUsage(String firstLine, String... args) {
        assertEquals(2, runAfresh(args), err::toString);
        assertTrue(bridgeFailure().startsWith(firstLine), bridgeFailure());
    }

    @Test
    void aSenderWithoutAReceiverSaysSoInOneLine() throws Exception {
        String name = rings.newName("bridge-alone");
        String endpoint = "127.0.0.1:" + freeUdpPort();
        try (SharedRing ring = SharedRing.openForWriting(name, RingGeometry.of(64, 64, 4));
             RingWriter writer = ring.writer(OverflowPolicy.drop())) {
            assertEquals(1, runAfresh("bridge", "send", name, "--to", endpoint, "--timeout-s", "1"), err::toString);
            assertEquals("nanobroker bridge send: no receiver connected to " + endpoint + " within 1.0 s (is 'bridge receive'"
                    + " running there, for ring " + name + ", and is its UDP port open?)", bridgeFailure());
        }
    }

    @Test
    void aSenderWithoutItsRingAndAReceiverWithoutASenderSaySo() throws Exception {
        String name = rings.newName("bridge-nothing");
        String endpoint = "127.0.0.1:" + freeUdpPort();
        assertEquals(1, runAfresh("bridge", "send", name, "--to", endpoint, "--timeout-s", "0.5"), err::toString);
        assertEquals("nanobroker bridge send: ring " + name + " did not appear within 0.5 s", bridgeFailure());
        assertEquals(1, runAfresh("bridge", "receive", name, "--from", endpoint, "--timeout-s", "0.5"), err::toString);
        assertTrue(bridgeFailure().startsWith("nanobroker bridge receive: no sender of " + name + " reached " + endpoint + " within 0.5 s"),
                bridgeFailure());
        assertFalse(java.nio.file.Files.exists(rings.pathOf(name)), "no frame came: no ring was made");
    }

    @Test
    void aPortInUseIsOneLine() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            String endpoint = "127.0.0.1:" + taken.getLocalPort();
            assertEquals(1, runAfresh("bridge", "receive", rings.newName("bridge-port"), "--from", endpoint, "--timeout-s", "1"),
                    err::toString);
            assertEquals("nanobroker bridge receive: cannot receive on " + endpoint
                    + ": the UDP port is in use (another bridge receive on it?)", bridgeFailure());
        }
    }

    @Test
    void aProbePortInUseIsOneLine() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(0)) {
            int port = taken.getLocalPort();
            assertEquals(1, runAfresh("bridge", "send", rings.newName("bridge-probe"), "--to", "127.0.0.1:40456", "--probe-port",
                    Integer.toString(port), "--timeout-s", "1"), err::toString);
            assertEquals("nanobroker bridge send: cannot take clock probes on UDP port " + port
                    + ": the UDP port is in use (name another with --probe-port)", bridgeFailure());
        }
    }

    @Test
    void anAeronDirectoryWithoutADriverIsOneLine() {
        assertEquals(1, runAfresh("bridge", "send", "x", "--to", "127.0.0.1:40456", "--aeron-dir", "/tmp/nbtest-no-driver"), err::toString);
        assertTrue(bridgeFailure().startsWith("nanobroker bridge send: no Aeron media driver runs in /tmp/nbtest-no-driver"), bridgeFailure());
    }
}
