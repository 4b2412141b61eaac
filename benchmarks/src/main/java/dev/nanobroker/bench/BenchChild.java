package dev.nanobroker.bench;

import dev.nanobroker.json.Json;
import dev.nanobroker.ring.Frame;
import dev.nanobroker.ring.FrameClaim;
import dev.nanobroker.ring.OverflowPolicy;
import dev.nanobroker.ring.ReadMode;
import dev.nanobroker.ring.RingGeometry;
import dev.nanobroker.ring.RingNotFoundException;
import dev.nanobroker.ring.RingReader;
import dev.nanobroker.ring.RingStatus;
import dev.nanobroker.ring.RingWriter;
import dev.nanobroker.ring.SharedRing;
import dev.nanobroker.ring.WaitStrategy;
import org.HdrHistogram.Histogram;
import org.agrona.IoUtil;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.broadcast.BroadcastBufferDescriptor;
import org.agrona.concurrent.broadcast.BroadcastReceiver;
import org.agrona.concurrent.broadcast.BroadcastTransmitter;
import org.agrona.concurrent.broadcast.CopyBroadcastReceiver;

import java.io.File;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One role of one measurement, in its own JVM: {@code BenchChild ROLE key=value...}. The orchestrator
 * ({@link BenchCommand}) starts every role it needs and reads each result from the one stdout line
 * that starts with {@code RESULT }. Every wait has a deadline ({@code timeout} seconds from start).
 *
 * <p>Latency protocol, the same for every transport: the sender takes t0 = {@link System#nanoTime()},
 * puts t0 and the frame's sequence at the start of the frame and the sequence in its last 8 bytes,
 * and hands the frame over; the receiver, once it has the frame (ring, Agrona: sees it and reads its
 * first and last cache line; streams: has read every byte), takes t1 and records t1 - t0. It then
 * acknowledges the sequence in the control file; the sender waits for every acknowledgement and a
 * gap before the next frame, so there is never more than one frame in flight and no queueing.
 */
public final class BenchChild {

    private final Map<String, String> args;
    private final long deadline;

    private BenchChild(Map<String, String> args) {
        this.args = args;
        this.deadline = System.nanoTime() + Duration.ofSeconds(number("timeout", 60)).toNanos();
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length < 1) {
            System.err.println("usage: BenchChild ROLE key=value...");
            System.exit(2);
        }
        Map<String, String> args = new HashMap<>();
        for (int i = 1; i < argv.length; i++) {
            int eq = argv[i].indexOf('=');
            args.put(argv[i].substring(0, eq), argv[i].substring(eq + 1));
        }
        BenchChild child = new BenchChild(args);
        Map<String, Object> result;
        try {
            result = switch (argv[0]) {
                case "floor-ping" -> child.floorPing();
                case "floor-pong" -> child.floorPong();
                case "ring-writer" -> child.ringWriter();
                case "ring-reader" -> child.ringReader();
                case "stream-send" -> child.streamSend();
                case "stream-recv" -> child.streamReceive();
                case "agrona-tx" -> child.agronaTransmit();
                case "agrona-rx" -> child.agronaReceive();
                case "tp-writer" -> child.throughputWriter();
                case "tp-reader" -> child.throughputReader();
                case "fill" -> child.fillAlone();
                case "alloc" -> child.allocation();
                case "display-writer" -> child.displayWriter();
                case "display-counter" -> child.displayCounter();
                default -> throw new IllegalArgumentException("unknown role " + argv[0]);
            };
        } catch (Exception | Error e) {
            System.err.println("bench " + argv[0] + ": " + e);
            e.printStackTrace(System.err);
            System.exit(1);
            return;
        }
        System.out.println("RESULT " + Json.write(result));
        System.out.flush();
        System.exit(0);
    }

    // ------------------------------------------------------------------ arguments

    private String text(String key) {
        String value = args.get(key);
        if (value == null) {
            throw new IllegalArgumentException("missing argument " + key);
        }
        return value;
    }

    private long number(String key, long fallback) {
        String value = args.get(key);
        return value == null ? fallback : Long.parseLong(value);
    }

    private long number(String key) {
        return Long.parseLong(text(key));
    }

    private Control control() {
        return new Control(Path.of(text("ctl")));
    }

    private void checkDeadline(String doing) {
        if (System.nanoTime() - deadline > 0) {
            throw new IllegalStateException("timed out " + doing);
        }
    }

    private static Map<String, Object> histogramResult(Histogram histogram) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("count", histogram.getTotalCount());
        result.put("p50", histogram.getValueAtPercentile(50));
        result.put("hist", Histograms.encode(histogram));
        return result;
    }

    // ------------------------------------------------------------------ 1. hardware floor

    /** Ping side: writes 2i+1 into the shared word, spins until it reads 2i+2; one-way = round trip / 2. */
    private Map<String, Object> floorPing() {
        long warmup = number("warmup");
        long total = warmup + number("count");
        Histogram histogram = Histograms.create();
        try (Control control = control()) {
            control.ready();
            control.awaitReady(2, deadline);
            for (long i = 0; i < total; i++) {
                long start = System.nanoTime();
                control.setPing(2 * i + 1);
                long want = 2 * i + 2;
                int spins = 0;
                while (control.ping() != want) {
                    if ((++spins & 0xFFFFF) == 0) {
                        checkDeadline("waiting for the pong");
                    }
                    Thread.onSpinWait();
                }
                long roundTrip = System.nanoTime() - start;
                if (i >= warmup) {
                    Histograms.record(histogram, roundTrip / 2);
                }
            }
        }
        return histogramResult(histogram);
    }

    private Map<String, Object> floorPong() {
        long total = number("warmup") + number("count");
        try (Control control = control()) {
            control.ready();
            control.awaitReady(2, deadline);
            for (long i = 0; i < total; i++) {
                long want = 2 * i + 1;
                int spins = 0;
                while (control.ping() != want) {
                    if ((++spins & 0xFFFFF) == 0) {
                        checkDeadline("waiting for the ping");
                    }
                    Thread.onSpinWait();
                }
                control.setPing(want + 1);
            }
        }
        return Map.of();
    }

    // ------------------------------------------------------------------ 2. the ring

    private Map<String, Object> ringWriter() {
        int receivers = (int) number("receivers");
        long total = number("warmup") + number("count");
        long gap = number("gap");
        RingGeometry geometry = RingGeometry.of((int) number("width"), (int) number("height"), (int) number("slots"));
        long last = geometry.frameLength() - 8;
        try (Control control = control();
             SharedRing ring = SharedRing.create(text("ring"), geometry);
             RingWriter writer = ring.writer(OverflowPolicy.block(Duration.ofSeconds(5)))) {
            control.awaitReady(receivers, deadline);
            for (long seq = 0; seq < total; seq++) {
                long t0 = System.nanoTime();
                FrameClaim claim = writer.claim();
                if (claim == null) {
                    throw new IllegalStateException("frame " + seq + " dropped: a reader held the ring for 5 s");
                }
                MemorySegment pixels = claim.pixels();
                pixels.set(JAVA_LONG, 0, t0);
                pixels.set(JAVA_LONG, 8, seq);
                pixels.set(JAVA_LONG, last, seq);
                claim.publish();
                control.awaitAcks(receivers, seq + 1, deadline);
                Control.spinFor(gap);
            }
            return Map.of("published", total, "producer_drops", writer.producerDrops());
        }
    }

    private SharedRing openRing() {
        while (true) {
            try {
                return SharedRing.open(text("ring"));
            } catch (RingNotFoundException e) {
                checkDeadline("waiting for ring " + text("ring"));
                Control.sleepMicros(200);
            }
        }
    }

    private Map<String, Object> ringReader() {
        int id = (int) number("id");
        long warmup = number("warmup");
        long total = warmup + number("count");
        Histogram histogram = Histograms.create();
        // Where the time goes, from the stamps that are there anyway: t0 -> the ring's publish stamp
        // (claim, descriptor), publish stamp -> poll's own clock read, poll -> first and last line read.
        Histogram toStamp = Histograms.create();
        Histogram stampToPoll = Histograms.create();
        Histogram pollToTouched = Histograms.create();
        long mismatches = 0;
        WaitStrategy spin = WaitStrategy.busySpin();
        try (Control control = control(); SharedRing ring = openRing();
             RingReader reader = ring.attachReader(ReadMode.EVERY)) {
            long last = ring.geometry().frameLength() - 8;
            control.ready();
            int idle = 0;
            for (long seen = 0; seen < total; ) {
                Frame frame = reader.poll();
                if (frame == null) {
                    if ((++idle & 0xFFFFF) == 0) {
                        checkDeadline("waiting for frame " + seen);
                    }
                    spin.idle(idle);
                    continue;
                }
                MemorySegment pixels = frame.pixels();
                long t0 = pixels.get(JAVA_LONG, 0);
                long seq = pixels.get(JAVA_LONG, 8);
                long lastLine = pixels.get(JAVA_LONG, last);
                long t1 = System.nanoTime();
                reader.release();
                if (lastLine != seq) {
                    mismatches++;
                }
                if (seq >= warmup) {
                    Histograms.record(histogram, t1 - t0);
                    long published = frame.publishNanos();
                    long observed = published + frame.latencyNanos();
                    Histograms.record(toStamp, published - t0);
                    Histograms.record(stampToPoll, observed - published);
                    Histograms.record(pollToTouched, t1 - observed);
                }
                seen = seq + 1;
                control.ack(id, seen);
            }
            Map<String, Object> result = histogramResult(histogram);
            result.put("mismatches", mismatches);
            result.put("lost", reader.lost());
            result.put("t0_to_publish_stamp_p50", toStamp.getValueAtPercentile(50));
            result.put("publish_stamp_to_poll_p50", stampToPoll.getValueAtPercentile(50));
            result.put("poll_to_touched_p50", pollToTouched.getValueAtPercentile(50));
            return result;
        }
    }

    // ------------------------------------------------------------------ 3. sockets and a pipe

    private Map<String, Object> streamSend() throws IOException {
        String transport = text("transport");
        int size = (int) number("size");
        long total = number("warmup") + number("count");
        long gap = number("gap");
        ByteBuffer frame = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
        for (int i = 0; i < size; i += 4096) {
            frame.put(i, (byte) i);
        }
        try (Control control = control()) {
            control.awaitReady(1, deadline);
            try (ByteChannel channel = switch (transport) {
                case "uds" -> SocketChannel.open(UnixDomainSocketAddress.of(text("address")));
                case "tcp" -> {
                    SocketChannel socket = SocketChannel.open(new InetSocketAddress("127.0.0.1", (int) control.value()));
                    socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    yield socket;
                }
                case "pipe" -> FileChannel.open(Path.of(text("address")), StandardOpenOption.WRITE);
                default -> throw new IllegalArgumentException("unknown transport " + transport);
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
                    control.awaitAcks(1, seq + 1, deadline);
                    Control.spinFor(gap);
                }
            }
        }
        return Map.of("sent", total);
    }

    private Map<String, Object> streamReceive() throws IOException {
        String transport = text("transport");
        int size = (int) number("size");
        long warmup = number("warmup");
        long total = warmup + number("count");
        ByteBuffer frame = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
        Histogram histogram = Histograms.create();
        long mismatches = 0;
        try (Control control = control()) {
            ServerSocketChannel server = null;
            ByteChannel channel;
            switch (transport) {
                case "uds" -> {
                    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                    server.bind(UnixDomainSocketAddress.of(text("address")));
                    control.ready();
                    channel = server.accept();
                }
                case "tcp" -> {
                    server = ServerSocketChannel.open();
                    server.bind(new InetSocketAddress("127.0.0.1", 0));
                    control.setValue(((InetSocketAddress) server.getLocalAddress()).getPort());
                    control.ready();
                    SocketChannel socket = server.accept();
                    socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    channel = socket;
                }
                case "pipe" -> {
                    control.ready();
                    channel = FileChannel.open(Path.of(text("address")), StandardOpenOption.READ);
                }
                default -> throw new IllegalArgumentException("unknown transport " + transport);
            }
            // Sockets: non-blocking reads in a busy loop, like the ring's busy-spinning reader
            // (no wake-up in the measurement). A FileChannel on a FIFO can only block.
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
                            throw new IllegalStateException("sender closed the " + transport + " after " + seen + " frames");
                        }
                        if (n == 0 && (++idle & 0xFFFF) == 0) {
                            checkDeadline("waiting for frame " + seen);
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
        Map<String, Object> result = histogramResult(histogram);
        result.put("mismatches", mismatches);
        return result;
    }

    // ------------------------------------------------------------------ 4. Agrona broadcast

    private static final int AGRONA_CAPACITY = 1 << 16;
    private static final int AGRONA_MESSAGE = 64;

    private Map<String, Object> agronaTransmit() {
        int receivers = (int) number("receivers");
        long total = number("warmup") + number("count");
        long gap = number("gap");
        File file = new File(text("file"));
        MappedByteBuffer mapped = IoUtil.mapNewFile(file, AGRONA_CAPACITY + BroadcastBufferDescriptor.TRAILER_LENGTH);
        try (Control control = control()) {
            BroadcastTransmitter transmitter = new BroadcastTransmitter(new UnsafeBuffer(mapped));
            UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(AGRONA_MESSAGE));
            control.setFlag(1);
            control.awaitReady(receivers, deadline);
            for (long seq = 0; seq < total; seq++) {
                long t0 = System.nanoTime();
                message.putLong(0, t0);
                message.putLong(8, seq);
                message.putLong(AGRONA_MESSAGE - 8, seq);
                transmitter.transmit(1, message, 0, AGRONA_MESSAGE);
                control.awaitAcks(receivers, seq + 1, deadline);
                Control.spinFor(gap);
            }
        } finally {
            IoUtil.unmap(mapped);
        }
        return Map.of("sent", total);
    }

    private Map<String, Object> agronaReceive() {
        int id = (int) number("id");
        long warmup = number("warmup");
        long total = warmup + number("count");
        Histogram histogram = Histograms.create();
        long[] state = new long[2]; // seen, mismatches
        try (Control control = control()) {
            control.awaitFlag(1, deadline);
            MappedByteBuffer mapped = IoUtil.mapExistingFile(new File(text("file")), "agrona broadcast buffer");
            try {
                CopyBroadcastReceiver receiver = new CopyBroadcastReceiver(new BroadcastReceiver(new UnsafeBuffer(mapped)));
                MessageHandler handler = (type, buffer, index, length) -> {
                    long t0 = buffer.getLong(index);
                    long seq = buffer.getLong(index + 8);
                    long lastLine = buffer.getLong(index + length - 8);
                    long t1 = System.nanoTime();
                    if (lastLine != seq) {
                        state[1]++;
                    }
                    if (seq >= warmup) {
                        Histograms.record(histogram, t1 - t0);
                    }
                    state[0] = seq + 1;
                    control.ack(id, seq + 1);
                };
                control.ready();
                int idle = 0;
                while (state[0] < total) {
                    if (receiver.receive(handler) == 0) {
                        if ((++idle & 0xFFFFF) == 0) {
                            checkDeadline("waiting for message " + state[0]);
                        }
                        Thread.onSpinWait();
                    }
                }
            } finally {
                IoUtil.unmap(mapped);
            }
        }
        Map<String, Object> result = histogramResult(histogram);
        result.put("mismatches", state[1]);
        return result;
    }

    // ------------------------------------------------------------------ 7. the viewer

    /**
     * The producer for a viewer: whole opaque frames of a changing grey at a steady rate (above the display's
     * 60 Hz, so every pulse has a new frame), until it is killed. Under {@code block} a display holds
     * two frames and the writer can run {@code slots - 1} ahead of the older one: with too few slots
     * for its rate it is held at every other pulse and the display shows a new frame only then.
     */
    private Map<String, Object> displayWriter() {
        RingGeometry geometry = RingGeometry.of((int) number("width"), (int) number("height"), (int) number("slots"));
        long interval = 1_000_000_000L / number("fps");
        // Opaque, as a producer's frames are: a byte fill would make them translucent (alpha = the
        // grey), and JavaFX's software renderer blends translucent frames several times slower.
        long rowBytes = geometry.width() * 4L;
        MemorySegment[] greyRows = new MemorySegment[16];
        for (int grey = 0; grey < greyRows.length; grey++) {
            greyRows[grey] = Arena.global().allocate(rowBytes, 8);
            for (long at = 0; at < rowBytes; at += 4) {
                greyRows[grey].set(JAVA_INT, at, 0xFF000000 | (grey * 0x111111));
            }
        }
        try (SharedRing ring = SharedRing.create(text("ring"), geometry);
             RingWriter writer = ring.writer(OverflowPolicy.block(Duration.ofSeconds(1)))) {
            long next = System.nanoTime();
            for (long seq = 0; ; seq++) {
                checkDeadline("producing for the viewer");
                FrameClaim claim = writer.claim();
                if (claim != null) {
                    MemorySegment row = greyRows[(int) (seq % greyRows.length)];
                    for (int y = 0; y < geometry.height(); y++) {
                        MemorySegment.copy(row, 0, claim.pixels(), (long) y * geometry.rowStride(), rowBytes);
                    }
                    claim.publish();
                }
                next += interval;
                LockSupport.parkNanos(next - System.nanoTime());
            }
        }
    }

    /**
     * Counts the frames a display shows: waits for a reader line of another process that has shown a
     * frame (a viewer's {@code DisplayReader} counts every frame it shows), then reads that line's
     * frame counter before and after the measured window. Attaches no reader itself.
     */
    private Map<String, Object> displayCounter() throws InterruptedException {
        long warmupNanos = number("warmup_ms") * 1_000_000L;
        long measureNanos = number("measure_ms") * 1_000_000L;
        try (SharedRing ring = openRing()) {
            RingStatus.Reader display;
            while ((display = showingReader(ring.status()).orElse(null)) == null) {
                checkDeadline("waiting for the viewer to show a frame");
                Thread.sleep(20);
            }
            Thread.sleep(warmupNanos / 1_000_000);
            int line = display.line();
            RingStatus before = ring.status();
            long start = System.nanoTime();
            Thread.sleep(measureNanos / 1_000_000);
            RingStatus after = ring.status();
            double seconds = (System.nanoTime() - start) / 1e9;
            long shown = after.readers().get(line).frames() - before.readers().get(line).frames();
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("fps", shown / seconds);
            result.put("producer_fps", (after.head() - before.head()) / seconds);
            return result;
        }
    }

    private static Optional<RingStatus.Reader> showingReader(RingStatus status) {
        return status.readers().stream().filter(r -> r.reading() && r.frames() > 0).findFirst();
    }

    // ------------------------------------------------------------------ 5. throughput

    private static final int TP_WIDTH = 1920;
    private static final int TP_HEIGHT = 1080;

    private Map<String, Object> throughputWriter() {
        int receivers = (int) number("receivers");
        boolean fill = number("fill") != 0;
        long warmupNanos = number("warmup_ms") * 1_000_000L;
        long measureNanos = number("measure_ms") * 1_000_000L;
        RingGeometry geometry = RingGeometry.of(TP_WIDTH, TP_HEIGHT, (int) number("slots"));
        long last = geometry.frameLength() - 8;
        try (Control control = control();
             SharedRing ring = SharedRing.create(text("ring"), geometry);
             RingWriter writer = ring.writer(OverflowPolicy.block(Duration.ofSeconds(5)))) {
            control.awaitReady(receivers, deadline);
            long start = System.nanoTime();
            long measureFrom = start + warmupNanos;
            long measureTo = measureFrom + measureNanos;
            long counted = 0;
            long dropped = 0;
            long blockedAtStart = -1;
            for (long seq = 0; ; seq++) {
                long now = System.nanoTime();
                if (now - measureTo >= 0) {
                    break;
                }
                if (blockedAtStart < 0 && now - measureFrom >= 0) {
                    blockedAtStart = writer.blockedNanos();
                }
                FrameClaim claim = writer.claim();
                if (claim == null) {
                    dropped++;
                    continue;
                }
                MemorySegment pixels = claim.pixels();
                if (fill) {
                    pixels.fill((byte) seq);
                }
                pixels.set(JAVA_LONG, 8, seq);
                pixels.set(JAVA_LONG, last, seq);
                claim.publish();
                if (now - measureFrom >= 0) {
                    counted++;
                }
            }
            long blocked = writer.blockedNanos() - Math.max(0, blockedAtStart);
            control.setFlag(1);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("fps", counted * 1e9 / measureNanos);
            result.put("dropped", dropped);
            result.put("blocked_fraction", blocked / (double) measureNanos);
            return result;
        }
    }

    private Map<String, Object> throughputReader() {
        // What a headless reader does by default (`read`): spin, yield, then park up to 1 ms. Plenty
        // for 8 slots of 1080p frames, and light on a machine whose cores the readers share.
        WaitStrategy wait = WaitStrategy.defaultStrategy();
        long frames = 0;
        long mismatches = 0;
        try (Control control = control(); SharedRing ring = openRing();
             RingReader reader = ring.attachReader(ReadMode.EVERY)) {
            long last = ring.geometry().frameLength() - 8;
            control.ready();
            int idle = 0;
            while (true) {
                Frame frame = reader.poll();
                if (frame == null) {
                    if (idle > 100 && (idle & 0xFF) == 0) {
                        if (control.flag() != 0) {
                            break;
                        }
                        checkDeadline("reading frames");
                    }
                    wait.idle(idle++);
                    continue;
                }
                idle = 0;
                MemorySegment pixels = frame.pixels();
                if (pixels.get(JAVA_LONG, 8) != pixels.get(JAVA_LONG, last)) {
                    mismatches++;
                }
                reader.release();
                frames++;
            }
            return Map.of("frames", frames, "lost", reader.lost(), "mismatches", mismatches);
        }
    }

    /** The producer's fill alone: the same 1080p memset over as many /dev/shm-mapped slots, no ring. */
    private Map<String, Object> fillAlone() throws IOException {
        int slots = (int) number("slots");
        long frameLength = (long) TP_WIDTH * TP_HEIGHT * 4;
        long slotStride = (frameLength + 4095) & ~4095L;
        long warmupNanos = number("warmup_ms") * 1_000_000L;
        long measureNanos = number("measure_ms") * 1_000_000L;
        Path file = Path.of(text("file"));
        try (Arena arena = Arena.ofConfined();
             FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[1]), slotStride * slots - 1);
            MemorySegment whole = channel.map(FileChannel.MapMode.READ_WRITE, 0, slotStride * slots, arena);
            MemorySegment[] slot = new MemorySegment[slots];
            for (int s = 0; s < slots; s++) {
                slot[s] = whole.asSlice(s * slotStride, frameLength);
                slot[s].fill((byte) 0); // touch every page first, like a ring's creation does
            }
            long start = System.nanoTime();
            long measureFrom = start + warmupNanos;
            long measureTo = measureFrom + measureNanos;
            long counted = 0;
            for (long seq = 0; ; seq++) {
                long now = System.nanoTime();
                if (now - measureTo >= 0) {
                    break;
                }
                slot[(int) (seq % slots)].fill((byte) seq);
                if (now - measureFrom >= 0) {
                    counted++;
                }
            }
            double fps = counted * 1e9 / measureNanos;
            return Map.of("fps", fps, "gb_per_s", fps * frameLength / 1e9);
        }
    }

    // ------------------------------------------------------------------ 6. allocation

    /**
     * One thread writes a frame and reads it back, over and over; the thread's allocated-bytes counter
     * is read around the write path (claim, publish) and around the read path (poll, touch, release).
     */
    private Map<String, Object> allocation() {
        long warmup = number("warmup");
        long count = number("count");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        RingGeometry geometry = RingGeometry.of(16, 1, 8);
        try (SharedRing ring = SharedRing.create(text("ring"), geometry);
             RingWriter writer = ring.writer(OverflowPolicy.block(Duration.ofSeconds(1)));
             RingReader reader = ring.attachReader(ReadMode.EVERY)) {
            long[] bytes = new long[3]; // write, read, empty bracket
            runAllocationLoop(threads, writer, reader, warmup, bytes);
            bytes[0] = bytes[1] = bytes[2] = 0;
            runAllocationLoop(threads, writer, reader, count, bytes);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("frames", count);
            result.put("write_bytes", bytes[0]);
            result.put("read_bytes", bytes[1]);
            result.put("bracket_bytes", bytes[2]);
            return result;
        }
    }

    private static void runAllocationLoop(com.sun.management.ThreadMXBean threads, RingWriter writer, RingReader reader,
                                          long frames, long[] bytes) {
        for (long i = 0; i < frames; i++) {
            long a0 = threads.getCurrentThreadAllocatedBytes();
            FrameClaim claim = writer.claim();
            claim.pixels().set(JAVA_LONG, 8, i);
            claim.publish();
            long a1 = threads.getCurrentThreadAllocatedBytes();
            Frame frame = reader.poll();
            long seq = frame.pixels().get(JAVA_LONG, 8);
            reader.release();
            long a2 = threads.getCurrentThreadAllocatedBytes();
            long a3 = threads.getCurrentThreadAllocatedBytes();
            if (seq != i) {
                throw new IllegalStateException("read frame " + seq + ", expected " + i);
            }
            bytes[0] += a1 - a0;
            bytes[1] += a2 - a1;
            bytes[2] += a3 - a2;
        }
    }
}
