package dev.nanobroker.cli;

import dev.nanobroker.frame.FrameSize;
import dev.nanobroker.process.StopSignal;
import dev.nanobroker.producer.ProducerEngine;
import dev.nanobroker.producer.ProducerSettings;
import dev.nanobroker.producer.ProducerStats;
import dev.nanobroker.producer.pattern.PatternCatalog;
import dev.nanobroker.producer.pattern.PatternOptions;
import dev.nanobroker.producer.source.SourceSpec;
import dev.nanobroker.producer.ui.ProducerApp;
import dev.nanobroker.ring.RingAccess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code nanobroker produce}: the producer, in its window or headless. */
@Command(name = "produce",
        description = {
                "Creates (or joins) a ring and publishes test-pattern frames into it.",
                "",
                "Opens the producer window (preview, controls, readers) and starts producing.",
                "With --headless it runs without a window and prints a summary at the end.",
                "Every frame carries a checksum: 'nanobroker read NAME --verify' checks each one."
        })
final class ProduceCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--headless", description = "Run without a window.")
    boolean headless;

    @Option(names = "--paused", description = "Open the window without starting to produce (press Start).")
    boolean paused;

    @CommandLine.Mixin
    WindowOptions window;

    @Option(names = "--list-patterns", description = "Print the pattern names, one a line, and exit.")
    boolean listPatterns;

    @Option(names = {"-n", "--name"}, defaultValue = "nanobroker", paramLabel = "NAME",
            description = "Ring name: the file /dev/shm/NAME (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--size", defaultValue = "1280x720", converter = FrameSizeConverter.class, paramLabel = "WxH",
            description = "Frame size (default: ${DEFAULT-VALUE}).")
    FrameSize size;

    @Option(names = "--slots", defaultValue = "8", paramLabel = "K", description = "Frames the ring holds (default: ${DEFAULT-VALUE}).")
    int slots;

    @Option(names = "--fps", paramLabel = "F",
            description = "Frames per second; 0 = as fast as it can (a camera or file: its own rate)."
                    + " Default: 60 for patterns, the source's own rate for a camera or file.")
    Double fps;

    @Option(names = "--source", defaultValue = "pattern", paramLabel = "SOURCE",
            description = "pattern, webcam (= /dev/video0), webcam:DEVICE, or file:PATH (a video, played in a loop)."
                    + " A camera or file sets the frame size. Default: ${DEFAULT-VALUE}.")
    String source;

    @Option(names = "--frames", defaultValue = "0", paramLabel = "M", description = "Frames to produce, then stop; 0 = until stopped (default: ${DEFAULT-VALUE}).")
    long frames;

    @Mixin
    OverflowPolicyOptions overflow;

    @Option(names = "--wait-readers", defaultValue = "0", paramLabel = "R",
            description = "Start publishing once R readers are attached (default: ${DEFAULT-VALUE}).")
    int waitReaders;

    @Option(names = "--pattern", paramLabel = "NAME",
            description = "Test pattern; see --list-patterns. Default: smpte in the window, sequence (one flat colour"
                    + " per frame) headless.")
    String pattern;

    @Option(names = "--cell", defaultValue = "64", paramLabel = "PX", description = "Checkerboard cell size (default: ${DEFAULT-VALUE}).")
    int cellSize;

    @Option(names = "--colour", defaultValue = "#2080C0", paramLabel = "#RRGGBB",
            description = "Colour of the solid pattern, #RRGGBB or #AARRGGBB (default: ${DEFAULT-VALUE}).")
    String colour;

    @Option(names = "--speed", defaultValue = "8", paramLabel = "PX", description = "Pixels per frame for moving patterns (default: ${DEFAULT-VALUE}).")
    int speed;

    @Option(names = "--overlay", description = "Burn the frame number and time into every frame.")
    boolean overlay;

    @Option(names = "--checksum", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Store each frame's checksum for 'read --verify' (about 1 ms per 1080p frame; default: on).")
    boolean checksum;

    @Option(names = "--mode", paramLabel = "OCTAL",
            description = "File mode of a new ring (default 0600, owner only; 0660 with --group).")
    String mode;

    @Option(names = "--group", paramLabel = "GROUP", description = "Share a new ring with this group (read-write: readers need it).")
    String group;

    @Mixin
    OtherOwnerOption otherOwner;

    @Option(names = "--unlink", description = "Remove the ring's file when done.")
    boolean unlink;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        if (listPatterns) {
            PatternCatalog.names().forEach(out::println);
            return 0;
        }
        if (pattern == null) {
            pattern = headless ? "sequence" : "smpte";
        }
        ProducerSettings settings;
        RingAccess access;
        try {
            settings = settings();
            access = mode != null ? RingAccess.parse(mode, group) : group != null ? RingAccess.forGroup(group) : RingAccess.OWNER_ONLY;
            PatternCatalog.create(pattern, settings.patternOptions()); // an unknown pattern is a usage error
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!headless) {
            CommandException.requireDisplay("add --headless to produce without a window");
            ProducerApp.run(settings, !paused, window.placement(spec.commandLine()), access, otherOwner.allowed());
            return 0;
        }
        PrintWriter err = spec.commandLine().getErr();
        // The stop signal is closed last: on Ctrl-C the JVM exits only after the ring is closed,
        // removed if asked, and the summary printed.
        try (StopSignal stop = new StopSignal()) {
            ProducerStats stats;
            try (ProducerEngine engine = new ProducerEngine(settings, access, otherOwner.allowed())) {
                if (!json.on()) {
                    err.printf("producing %s into %s: %s, policy %s%s%n", engine.sourceDescription(), engine.ring().path(),
                            engine.ring().geometry(), overflow.name, settings.fps() > 0 ? String.format(", %.1f fps", settings.fps())
                                    : settings.source() instanceof SourceSpec.Pattern ? ", as fast as possible" : ", at the source's rate");
                    if (waitReaders > 0) {
                        err.printf("waiting for %d reader(s) to attach to %s ...%n", waitReaders, name);
                    }
                    err.flush();
                }
                engine.awaitReaders(stop::requested);
                engine.run(stop::requested);
                stats = engine.stats();
            }
            ProduceReport report = ProduceReport.of(name, settings.source(), pattern, stats, overflow.name);
            out.println(json.on() ? JsonReports.write(report) : report.text());
            out.flush();
        }
        return 0;
    }

    private ProducerSettings settings() {
        SourceSpec from = SourceSpec.parse(source);
        return ProducerSettings.defaults(name)
                .withSize(size.width(), size.height())
                .withSlots(slots)
                .withFps(fps != null ? fps : from instanceof SourceSpec.Pattern ? 60 : 0)
                .withFrames(frames)
                .withPolicy(overflow.policy())
                .withWaitReaders(waitReaders)
                .withSource(from)
                .withPattern(pattern)
                .withPatternOptions(new PatternOptions(cellSize, PatternOptions.parseColour(colour), speed))
                .withOverlay(overlay)
                .withChecksum(checksum)
                .withUnlink(unlink);
    }
}
