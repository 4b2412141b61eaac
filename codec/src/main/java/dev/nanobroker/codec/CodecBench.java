package dev.nanobroker.codec;

import dev.nanobroker.frame.ClockReading;
import dev.nanobroker.frame.LatencyClock;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * What each codec costs per frame of the clock pattern, at 1280x720 and 1920x1080: encode and decode
 * time (the median wall time of one call; and the whole process's CPU time per call, mean, which
 * counts FFmpeg's slice threads too and is read in steps of 1 ms), payload bytes (the mean, keyframes
 * included; the largest, for H.264 a keyframe) and the rate the mean makes at 60 fps, the Java heap
 * allocated per call, and whether every decoded frame's clock reads back its own number. For
 * comparison it also runs the JDK's ImageIO JPEG at the same quality. Prints a Markdown table
 * (docs/bridge-codecs.md has one).
 *
 * <p>{@code java --enable-native-access=ALL-UNNAMED -cp CLASSPATH dev.nanobroker.codec.CodecBench [FRAMES]}
 * with FRAMES measured frames per case (default 120) after 30 to warm up.
 */
public final class CodecBench {

    private static final int WARM_UP = 30;
    private static final int[][] SIZES = {{1280, 720}, {1920, 1080}};
    private static final long FRAME_NANOS = 16_666_667L;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean SYSTEM =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private CodecBench() {
    }

    /** One call's cost: wall time, process CPU time, heap bytes allocated by this thread. */
    private record Cost(long wallNanos, long cpuNanos, long allocatedBytes) {
    }

    /** Samples a call's cost; the samplers themselves allocate nothing. */
    private static final class Meter {
        private long wall;
        private long cpu;
        private long allocated;

        void start() {
            allocated = THREADS.getCurrentThreadAllocatedBytes();
            cpu = SYSTEM.getProcessCpuTime();
            wall = System.nanoTime();
        }

        Cost stop() {
            long wallNow = System.nanoTime();
            long cpuNow = SYSTEM.getProcessCpuTime();
            long allocatedNow = THREADS.getCurrentThreadAllocatedBytes();
            return new Cost(wallNow - wall, cpuNow - cpu, allocatedNow - allocated);
        }
    }

    public static void main(String[] args) {
        int frames = args.length == 0 ? 120 : args[0].matches("[1-9][0-9]{0,5}") ? Integer.parseInt(args[0]) : -1;
        if (frames < 0 || args.length > 1) {
            System.err.println("usage: CodecBench [FRAMES]  (frames measured per case, 1 to 999999; default 120)");
            System.exit(2);
        }
        System.out.println("| codec | size | encode µs p50 | encode CPU µs | decode µs p50 | decode CPU µs | bytes/frame | largest | Mbit/s at 60 fps | heap B/frame enc + dec | clock read back |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        List<FrameCodec> codecs = List.of(FrameCodec.named("raw"), FrameCodec.named("jpeg"), FrameCodec.named("h264"));
        for (int[] size : SIZES) {
            for (FrameCodec codec : codecs) {
                System.out.println(row(codec.name() + describe(codec), size[0], size[1],
                        measure(through(codec, size[0], size[1]), size[0], size[1], frames)));
            }
            System.out.println(row("jpeg, ImageIO (JDK), q" + FrameCodec.Jpeg.DEFAULT_QUALITY, size[0], size[1],
                    measure(throughImageIo(size[0], size[1]), size[0], size[1], frames)));
        }
    }

    private static String describe(FrameCodec codec) {
        return switch (codec) {
            case FrameCodec.Raw _ -> "";
            case FrameCodec.Jpeg jpeg -> ", q" + jpeg.quality();
            case FrameCodec.H264 h264 -> ", " + h264.bitsPerSecond() / 1_000_000 + " Mbit/s";
        };
    }

    /** What a case measured, per frame. */
    private record Result(Cost[] encode, Cost[] decode, long[] bytes, int clocksRead) {
    }

    /** One codec's two halves, as the bench drives them: encode a frame, decode what that made. */
    private interface RoundTrip extends AutoCloseable {
        /** Encodes the frame and keeps the payload; returns its size in bytes. */
        long encode(MemorySegment source, int stride);

        /** Decodes the payload {@link #encode} kept; whether the target now holds the frame. */
        boolean decode(MemorySegment target, int stride);

        @Override
        void close();
    }

    /** A codec of this module. */
    private static RoundTrip through(FrameCodec codec, int width, int height) {
        FrameEncoder encoder = codec.newEncoder(width, height);
        FrameDecoder decoder = codec.newDecoder(width, height);
        return new RoundTrip() {
            private MemorySegment payload;

            @Override
            public long encode(MemorySegment source, int stride) {
                payload = encoder.encode(source, stride);
                return payload.byteSize();
            }

            @Override
            public boolean decode(MemorySegment target, int stride) {
                return decoder.decode(payload, target, stride);
            }

            @Override
            public void close() {
                encoder.close();
                decoder.close();
            }
        };
    }

    /**
     * The JDK's JPEG (ImageIO, libjpeg inside the JDK) at the default quality, used the way the codec
     * would have to: the slot copied into a BufferedImage, written to a byte stream, read back into a
     * new image and copied into the target.
     */
    private static RoundTrip throughImageIo(int width, int height) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam parameters = writer.getDefaultWriteParam();
        parameters.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        parameters.setCompressionQuality(FrameCodec.Jpeg.DEFAULT_QUALITY / 100f);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] imagePixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        ValueLayout.OfInt pixel = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return new RoundTrip() {
            @Override
            public long encode(MemorySegment source, int stride) {
                MemorySegment.copy(source, pixel, 0, imagePixels, 0, width * height);
                out.reset();
                try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
                    writer.setOutput(stream);
                    writer.write(null, new IIOImage(image, null, null), parameters);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return out.size();
            }

            @Override
            public boolean decode(MemorySegment target, int stride) {
                try {
                    BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(out.toByteArray()));
                    MemorySegment.copy(decoded.getRGB(0, 0, width, height, null, 0, width), 0, target, pixel, 0, width * height);
                    return true;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void close() {
                writer.dispose();
            }
        };
    }

    /** Encodes and decodes clock frames, {@code WARM_UP} of them unmeasured, then {@code frames}. */
    private static Result measure(RoundTrip roundTrip, int width, int height, int frames) {
        int stride = width * 4;
        LatencyClock clock = new LatencyClock();
        Meter meter = new Meter();
        Cost[] encode = new Cost[frames];
        Cost[] decode = new Cost[frames];
        long[] bytes = new long[frames];
        int clocksRead = 0;
        try (roundTrip; Arena arena = Arena.ofConfined()) {
            MemorySegment source = arena.allocate((long) stride * height, 8);
            MemorySegment target = arena.allocate((long) stride * height, 8);
            for (int i = -WARM_UP; i < frames; i++) {
                long sequence = i + WARM_UP;
                clock.render(source, width, height, stride, sequence, sequence * FRAME_NANOS);
                meter.start();
                long payloadBytes = roundTrip.encode(source, stride);
                Cost encoded = meter.stop();
                meter.start();
                boolean shown = roundTrip.decode(target, stride);
                Cost decoded = meter.stop();
                if (i >= 0) {
                    encode[i] = encoded;
                    decode[i] = decoded;
                    bytes[i] = payloadBytes;
                    if (shown && new ClockReading(sequence, sequence * FRAME_NANOS).equals(LatencyClock.decode(target, width, height, stride))) {
                        clocksRead++;
                    }
                }
            }
        }
        return new Result(encode, decode, bytes, clocksRead);
    }

    private static String row(String name, int width, int height, Result result) {
        double meanBytes = Arrays.stream(result.bytes).average().orElse(0);
        return String.format(Locale.ROOT, "| %s | %dx%d | %.0f | %.0f | %.0f | %.0f | %.0f | %d | %.1f | %.0f + %.0f | %d/%d |",
                name, width, height,
                medianMicros(result.encode, Cost::wallNanos), meanMicros(result.encode, Cost::cpuNanos),
                medianMicros(result.decode, Cost::wallNanos), meanMicros(result.decode, Cost::cpuNanos),
                meanBytes, Arrays.stream(result.bytes).max().orElse(0), meanBytes * 8 * 60 / 1e6,
                mean(result.encode, Cost::allocatedBytes), mean(result.decode, Cost::allocatedBytes),
                result.clocksRead, result.bytes.length);
    }

    private static double medianMicros(Cost[] costs, ToLongFunction<Cost> part) {
        List<Long> values = new ArrayList<>();
        for (Cost cost : costs) {
            values.add(part.applyAsLong(cost));
        }
        values.sort(null);
        return values.get(values.size() / 2) / 1e3;
    }

    private static double meanMicros(Cost[] costs, ToLongFunction<Cost> part) {
        return mean(costs, part) / 1e3;
    }

    private static double mean(Cost[] costs, ToLongFunction<Cost> part) {
        return Arrays.stream(costs).mapToLong(part).average().orElse(0);
    }
}
