package dev.nanobroker.cli;

import dev.nanobroker.ring.RingException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** The root command: {@code nanobroker <command>}. */
@Command(name = "nanobroker",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        description = "Moves live video frames between processes on one machine through a shared-memory ring.",
        subcommands = {
                ProduceCommand.class,
                ReadCommand.class,
                LsCommand.class,
                StatCommand.class,
                RmCommand.class,
                DemoCommand.class,
                CommandLine.HelpCommand.class
        },
        footer = {"", "Run 'nanobroker COMMAND --help' for a command's options."})
public final class NanoBrokerCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * The command line with its streams: tests pass their own writers. A {@link RingException} or
     * {@link IllegalArgumentException} becomes one line on {@code err} and exit code 1.
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new NanoBrokerCommand());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((exception, failed, parseResult) -> {
            if (exception instanceof RingException || exception instanceof IllegalArgumentException) {
                failed.getErr().println("nanobroker " + failed.getCommandName() + ": " + exception.getMessage());
                failed.getErr().flush();
                return 1;
            }
            throw exception;
        });
        return commandLine;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int exitCode = commandLine(out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(exitCode);
    }
}
