package dev.nanobroker.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ByteChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;

/**
 * The same hand-off as the ring's, over a byte stream: a Unix domain socket, TCP loopback or a pipe
 * (a FIFO), one frame in flight at a time ({@link Role}'s latency protocol). The receiver makes the
 * endpoint and says ready; the sender then connects (or opens the FIFO) and writes whole frames.
 *
 * <pre>
 *  stream-send JVM                      the stream                         stream-recv JVM
 *  ---------------                      ----------                         ---------------
 *                                                                          uds: binds ADDRESS; tcp: binds
 *                                                                          a port, writes it in VALUE;
 *                                                                          pipe: makes the FIFO ADDRESS
 *  waits for READY = 1      <-------  control file: READY (tcp: VALUE) --  ready; accepts (pipe: opens)
 *  connects (pipe: opens)
 *  t0, seq in the frame;    ------->  uds: ADDRESS, tcp: 127.0.0.1:PORT,   reads every byte; t1; t1 - t0
 *  writes all SIZE bytes              pipe: the FIFO ADDRESS
 *  waits for ACK[0], a gap  <-------  control file: ACK[0] = seq + 1  <--  ack
 *  (reports nothing)                                                       RESULT line to the bench
 * </pre>
 */
final class StreamRoles {

    private StreamRoles() {
    }

    /** The stream a frame goes through. */
    enum Transport {
        UDS("Unix domain socket"),
        TCP("TCP loopback"),
        PIPE("pipe (FIFO)");

        final String label;

        Transport(String label) {
            this.label = label;
        }

        /** Its name in case keys, groups and on the command line: {@code uds}, {@code tcp}, {@code pipe}. */
        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Writes {@code warmup + count} frames of {@code size} bytes, each once the receiver acknowledged the last. */
    record Sender(Transport transport, String address, int size, long warmup, long count, long gap) implements Role {
        @Override
        public Map<String, Object> run(RoleContext context) throws IOException {
            long total = warmup + count;
            ByteBuffer frame = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
            for (int i = 0; i < size; i += 4096) {
                frame.put(i, (byte) i);
            }
            try (Control control = context.control()) {
                control.awaitReady(1, context.deadlineNanos());
                try (ByteChannel channel = switch (transport) {
                    case UDS -> SocketChannel.open(UnixDomainSocketAddress.of(address));
                    case TCP -> {
                        SocketChannel socket = SocketChannel.open(new InetSocketAddress("127.0.0.1", (int) control.value()));
                        socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
                        yield socket;
                    }
                    case PIPE -> FileChannel.open(Path.of(address), StandardOpenOption.WRITE);
                }) {
                    for (long seq = 0; seq < total; seq++) {
                        long t0 = System.nanoTime();
                        frame.putLong(0, t0);
                        frame.putLong(8, seq);
                        frame.putLong(size - 8, seq);
                        frame.clear();
                        while (frame.hasRemaining()) {
                            channel.write(frame);
                        }
                        control.awaitAcks(1, seq + 1, context.deadlineNanos());
                        Control.spinFor(gap);
                    }
                }
            }
            return Map.of("sent", total);
        }
    }

    /**
     * Makes the endpoint, reads frames in a busy loop and records t1 - t0 of every frame after the
     * warm-up. Sockets are read non-blocking, like the ring's busy-spinning reader (no wake-up in
     * the measurement); a FileChannel on a FIFO can only block.
     */
    record Receiver(Transport transport, String address, int size, long warmup, long count) implements Role {
        @Override
        public Map<String, Object> run(RoleContext context) throws IOException, InterruptedException {
            long total = warmup + count;
            ByteBuffer frame = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
            Histogram histogram = Histograms.create();
            long mismatches = 0;
            try (Control control = context.control()) {
                ServerSocketChannel server = switch (transport) {
                    case UDS -> ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                    case TCP -> ServerSocketChannel.open();
                    case PIPE -> null;
                };
                ByteChannel channel = switch (transport) {
                    case UDS -> {
                        server.bind(UnixDomainSocketAddress.of(address));
                        control.ready();
                        yield server.accept();
                    }
                    case TCP -> {
                        server.bind(new InetSocketAddress("127.0.0.1", 0));
                        control.setValue(((InetSocketAddress) server.getLocalAddress()).getPort());
                        control.ready();
                        SocketChannel socket = server.accept();
                        socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
                        yield socket;
                    }
                    case PIPE -> {
                        makeFifo(address);
                        control.ready();
                        yield FileChannel.open(Path.of(address), StandardOpenOption.READ);
                    }
                };
                if (channel instanceof SocketChannel socket) {
                    socket.configureBlocking(false);
                }
                try (ByteChannel in = channel; ServerSocketChannel listener = server) {
                    for (long seen = 0; seen < total; ) {
                        frame.clear();
                        int idle = 0;
                        while (frame.hasRemaining()) {
                            int n = in.read(frame);
                            if (n < 0) {
                                throw new IllegalStateException("sender closed the " + transport.key() + " after " + seen + " frames");
                            }
                            if (n == 0 && (++idle & 0xFFFF) == 0) {
                                context.checkDeadline("waiting for frame " + seen);
                            }
                        }
                        long t1 = System.nanoTime();
                        long t0 = frame.getLong(0);
                        long seq = frame.getLong(8);
                        if (frame.getLong(size - 8) != seq) {
                            mismatches++;
                        }
                        if (seq >= warmup) {
                            Histograms.record(histogram, t1 - t0);
                        }
                        seen = seq + 1;
                        control.ack(0, seen);
                    }
                }
            }
            Map<String, Object> result = Histograms.summary(histogram);
            result.put("mismatches", mismatches);
            return result;
        }

        private static void makeFifo(String path) throws IOException, InterruptedException {
            Process mkfifo = new ProcessBuilder("mkfifo", "-m", "600", path).inheritIO().start();
            if (mkfifo.waitFor() != 0) {
                throw new IOException("mkfifo failed");
            }
        }
    }
}
