package dev.nanobroker.cli;

import dev.nanobroker.bridge.AeronConnection;
import dev.nanobroker.ring.BridgeNote;
import dev.nanobroker.ring.testing.Await;
import dev.nanobroker.ring.testing.ChildJvm;
import dev.nanobroker.ring.testing.Children;
import dev.nanobroker.ring.testing.TestRings;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a test of bridge processes needs: a bridge child JVM with Aeron's options, a free UDP port, a wait for a line. */
final class BridgeProcesses {

    private BridgeProcesses() {
    }

    /** {@code nanobroker bridge ARGS} in a child of {@code children}, with Aeron's JVM options and {@code properties} (-Dname=value). */
    static ChildJvm bridge(Children children, List<String> properties, String... args) {
        return bridgeIn(null, children, properties, args);
    }

    /** {@link #bridge} in network namespace {@code namespace}; null: this process's. */
    static ChildJvm bridgeIn(String namespace, Children children, List<String> properties, String... args) {
        List<String> options = new ArrayList<>(NanoBrokerProcess.AERON_OPTIONS);
        options.addAll(properties);
        List<String> command = new ArrayList<>(List.of("bridge"));
        command.addAll(List.of(args));
        String[] commandLine = command.toArray(String[]::new);
        return namespace == null ? children.startWithOptions(options, NanoBrokerCommand.class, commandLine)
                : children.startInNetworkNamespace(namespace, options, NanoBrokerCommand.class, commandLine);
    }

    static int freeUdpPort() throws SocketException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * After a bridge test: stops its processes, removes its rings, and what bridges it killed left
     * behind (their media drivers' directories, their notes).
     */
    static void cleanUp(Children children, TestRings rings) throws Exception {
        children.close();
        rings.close();
        AeronConnection.removeDirectoriesOfDeadProcesses();
        BridgeNote.removeNotesOfDeadProcesses();
    }

    /** Waits until {@code bridge} has said {@code words} on stderr (its ready line, a status), failing if it ended first. */
    static void awaitSaid(ChildJvm bridge, String words) throws InterruptedException {
        Await.until(() -> bridge.stderr().contains(words) || !bridge.process().isAlive(), "'" + words + "' from pid " + bridge.pid());
        assertTrue(bridge.process().isAlive(), () -> "pid " + bridge.pid() + " ended: " + bridge.stderr());
    }
}
