package dev.nanobroker.cli;

import picocli.CommandLine.Option;

/** {@code --allow-other-owner}, mixed into every command that opens a ring. */
final class OtherOwnerOption {

    @Option(names = "--allow-other-owner", description = "Use a ring that another user created (refused by default: its"
            + " owner could replace it with anything).")
    private boolean allowed;

    boolean allowed() {
        return allowed;
    }
}
