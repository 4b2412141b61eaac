package dev.nanobroker.cli;

import dev.nanobroker.ring.testing.Await;
import dev.nanobroker.ring.testing.ChildJvm;
import dev.nanobroker.ring.testing.Children;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a test of bridge processes needs: a bridge child JVM with Aeron's options, a free UDP port, a wait for a line. */
final class BridgeProcesses {

    /** What a JVM running Aeron needs (the root pom's aeron.jvm.options, which the launcher passes too). */
    private static final List<String> AERON_OPTIONS = Arrays.asList(System.getProperty("nanobroker.aeronJvmOptions", "").split(" "));

    private BridgeProcesses() {
    }

    /** {@code nanobroker bridge ARGS} in a child of {@code children}, with Aeron's JVM options and {@code properties} (-Dname=value). */
    static ChildJvm bridge(Children children, List<String> properties, String... args) {
        List<String> options = new ArrayList<>(AERON_OPTIONS);
        options.addAll(properties);
        List<String> command = new ArrayList<>(List.of("bridge"));
        command.addAll(List.of(args));
        return children.startWithOptions(options, NanoBrokerCommand.class, command.toArray(String[]::new));
    }

    static int freeUdpPort() throws SocketException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Waits until {@code bridge} has said {@code words} on stderr (its ready line, a status), failing if it ended first. */
    static void awaitSaid(ChildJvm bridge, String words) throws InterruptedException {
        Await.until(() -> bridge.stderr().contains(words) || !bridge.process().isAlive(), "'" + words + "' from pid " + bridge.pid());
        assertTrue(bridge.process().isAlive(), () -> "pid " + bridge.pid() + " ended: " + bridge.stderr());
    }
}
