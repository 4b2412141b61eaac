package dev.nanobroker.cli;

import picocli.CommandLine.Option;

/** {@code --json}, mixed into every command with a result: that result as JSON instead of text. */
final class JsonOption {

    @Option(names = "--json", description = "Print the result as JSON instead of text: one object (stat --watch: one a line).")
    private boolean on;

    boolean on() {
        return on;
    }
}
