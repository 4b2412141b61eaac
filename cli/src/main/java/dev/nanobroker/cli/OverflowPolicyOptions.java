package dev.nanobroker.cli;

import dev.nanobroker.producer.ProducerSettings;
import dev.nanobroker.ring.OverflowPolicy;
import picocli.CommandLine.Option;

/**
 * {@code --policy} and {@code --block-timeout-ms}, mixed into the commands that write a ring
 * ({@code produce}, {@code bridge receive}): what the writer does when its slowest reader is a
 * whole ring behind.
 */
final class OverflowPolicyOptions {

    @Option(names = "--policy", defaultValue = "block", paramLabel = "POLICY",
            description = "When the slowest reader is a whole ring behind: block (wait, up to --block-timeout-ms, then drop),"
                    + " drop (skip the frame), overwrite (write anyway). Default: ${DEFAULT-VALUE}.")
    String name;

    @Option(names = "--block-timeout-ms", defaultValue = "1000", paramLabel = "T",
            description = "Longest wait for a slow reader under block before dropping the frame (default: ${DEFAULT-VALUE}).")
    long blockTimeoutMillis;

    /** @throws IllegalArgumentException for an unknown name or a negative timeout, in words for the user */
    OverflowPolicy policy() {
        return ProducerSettings.overflowPolicy(name, blockTimeoutMillis);
    }
}
