package dev.nanobroker.bench;

import dev.nanobroker.bench.BenchCases.Case;
import dev.nanobroker.process.StopSignal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code nanobroker bench} once its flags are read: runs every selected case {@code runs} times, one
 * at a time ({@link CaseRunner}), gathers the results ({@link BenchResults}) and writes them: the
 * table or one JSON object on stdout, and the JSON file and the plots if asked. Progress goes to stderr.
 */
final class Bench {

    /**
     * What to run and where the results go.
     *
     * @param groups   the groups of {@link BenchCases#GROUPS} to run
     * @param json     one JSON object on stdout instead of the table (and no progress unless verbose)
     * @param jsonFile where to write the JSON object as well, or null
     * @param plots    the directory for the PNG plots, or null
     */
    record Settings(boolean quick, int runs, Set<String> groups, boolean json, Path jsonFile, Path plots, boolean verbose) {
    }

    private final Settings settings;

    private Bench(Settings settings) {
        this.settings = settings;
    }

    /** Runs the bench; the exit code: 0, or 1 when a case failed. */
    static int run(Settings settings) throws IOException, InterruptedException {
        return new Bench(settings).run();
    }

    private int run() throws IOException, InterruptedException {
        BenchResults results = new BenchResults(settings.runs());
        List<Case> selected = BenchCases.all(settings.quick()).stream().filter(c -> settings.groups().contains(c.group())).toList();
        long started = System.nanoTime();
        CaseRunner runner = new CaseRunner(settings.quick() ? 40 : 120, settings.verbose());
        // On SIGINT/SIGTERM the runner stops its children and removes its files at once; the loop then
        // ends, and the JVM exits without a report.
        try (StopSignal stop = new StopSignal(runner::close); runner) {
            for (int run = 0; run < settings.runs(); run++) {
                for (Case c : selected) {
                    if (stop.requested()) {
                        return 1;
                    }
                    progress("run " + (run + 1) + "/" + settings.runs() + ": " + c.label());
                    try {
                        results.add(c, runner.run(c));
                    } catch (Exception e) {
                        results.fail(c, e.getMessage());
                        progress("  failed: " + e.getMessage());
                    }
                }
            }
        }
        results.seconds = (System.nanoTime() - started) / 1e9;
        if (settings.jsonFile() != null) {
            Files.writeString(settings.jsonFile(), results.json(settings.quick()) + "\n");
        }
        if (settings.plots() != null) {
            for (Path file : Plots.write(results, settings.plots(), Plots.subtitle(settings.quick(), settings.runs()))) {
                progress("plot: " + file);
            }
        }
        if (settings.json()) {
            System.out.println(results.json(settings.quick()));
        } else {
            results.printTable(System.out, settings.quick());
        }
        return results.failures.isEmpty() ? 0 : 1;
    }

    private void progress(String line) {
        if (settings.verbose() || !settings.json()) {
            System.err.println("bench: " + line);
        }
    }
}
