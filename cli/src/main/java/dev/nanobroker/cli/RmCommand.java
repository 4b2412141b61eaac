package dev.nanobroker.cli;

import dev.nanobroker.ring.RingException;
import dev.nanobroker.ring.RingStatus;
import dev.nanobroker.ring.SharedRing;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.concurrent.Callable;

/** {@code nanobroker rm NAME}: removes a ring. */
@Command(name = "rm",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        description = {
                "Removes a ring.",
                "",
                "Removes a ring's file from /dev/shm. Refuses while its producer is alive, or when the file",
                "is not a readable ring, unless --force. Processes that mapped it keep their mapping."
        })
final class RmCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "Ring name: the file /dev/shm/NAME.")
    String name;

    @Option(names = {"-f", "--force"}, description = "Remove even while the producer runs, or when the file is not a valid ring.")
    boolean force;

    @Override
    public Integer call() {
        if (!Files.exists(SharedRing.pathOf(name), LinkOption.NOFOLLOW_LINKS)) {
            throw new RingException("ring " + name + " does not exist");
        }
        if (!force) {
            RingStatus status;
            try (SharedRing ring = SharedRing.open(name)) {
                status = ring.status();
            } catch (RingException e) {
                throw new RingException(e.getMessage() + "; use --force to remove the file anyway", e);
            }
            if (status.producerAlive()) {
                throw new RingException("ring " + name + " is in use by a live producer (pid " + status.producerPid()
                        + "); stop it first, or use --force");
            }
        }
        SharedRing.unlink(name);
        spec.commandLine().getOut().println("removed ring " + name);
        return 0;
    }
}
