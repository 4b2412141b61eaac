package dev.nanobroker.bench;

import dev.nanobroker.process.ManifestVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code nanobroker bench}: its flags, checked and handed to {@link Bench}, which runs every
 * measurement in child JVMs it starts itself (one role per JVM, {@link BenchChild}), one measurement
 * at a time, and prints a side-by-side table with the target checks, or one JSON object.
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        versionProvider = BenchCommand.Version.class,
        description = "Measures on this machine, side by side: the hardware floor (one cache line between two JVMs), "
                + "the ring's publish-to-observe latency (64 B, 1 MB, 1080p; 1 and 4 readers), the same hand-off over a "
                + "Unix domain socket, TCP loopback and a pipe, Agrona's broadcast buffer, a two-JVM ping-pong (ring, Agrona and "
                + "the floor, one way = round trip / 2), 1080p throughput with 1, 4 and "
                + "16 readers, bytes allocated per frame, and the fps of `view` against a minimal JavaFX PixelBuffer app "
                + "(under a private Xvfb when there is no display), and a reader's wake-up latency and CPU use with each "
                + "of its four waits. Every role runs in its own JVM; see docs/benchmarks.md.",
        footer = {"", "Groups for --only: floor, ring, uds, tcp, pipe, agrona, pingpong, throughput, alloc, viewer, wait."})
public final class BenchCommand implements Callable<Integer> {

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"nanobroker bench " + ManifestVersion.of(BenchCommand.class)};
        }
    }

    @Option(names = "--quick", description = "A short version (about a minute; 1 run unless --runs).")
    boolean quick;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Option(names = "--runs", paramLabel = "N", description = "Runs of every measurement (default: 3, with --quick 1).")
    Integer runs;

    @Option(names = "--only", split = ",", paramLabel = "GROUP", description = "Only these groups (comma separated).")
    List<String> only;

    @Option(names = "--json-file", paramLabel = "FILE", description = "Also write the JSON object to FILE.")
    Path jsonFile;

    @Option(names = "--plots", paramLabel = "DIR", description = "Also draw PNG plots into DIR: latency percentile curves "
            + "(" + Plots.LATENCY_64B + ", " + Plots.LATENCY_1080P + "), fps against readers (" + Plots.FPS + ") "
            + "and the reader waits' latency against CPU (" + Plots.WAIT_LATENCY_VS_CPU + ").")
    Path plots;

    @Option(names = "--verbose", description = "Progress and child JVM errors on stderr.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        int runCount = runs != null ? runs : (quick ? 1 : 3);
        if (runCount < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--runs must be at least 1");
        }
        Set<String> groups = new LinkedHashSet<>(only == null ? BenchCases.GROUPS : only);
        for (String group : groups) {
            if (!BenchCases.GROUPS.contains(group)) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "unknown group '" + group + "': use " + String.join(", ", BenchCases.GROUPS));
            }
        }
        return Bench.run(new Bench.Settings(quick, runCount, groups, json, jsonFile, plots, verbose));
    }
}
