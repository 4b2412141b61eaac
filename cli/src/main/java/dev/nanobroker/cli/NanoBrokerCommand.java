package dev.nanobroker.cli;

import dev.nanobroker.bridge.BridgeException;
import dev.nanobroker.codec.CodecException;
import dev.nanobroker.process.ManifestVersion;
import dev.nanobroker.producer.source.SourceException;
import dev.nanobroker.ring.RingException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** The root command: {@code nanobroker <command>}. */
@Command(name = "nanobroker",
        mixinStandardHelpOptions = true,
        versionProvider = NanoBrokerCommand.Version.class,
        scope = CommandLine.ScopeType.INHERIT, // --help and --version for every command, declared once
        description = "Moves live video frames between processes on one machine through a shared-memory ring.",
        subcommands = {
                ProduceCommand.class,
                ViewCommand.class,
                ReadCommand.class,
                LsCommand.class,
                StatCommand.class,
                RmCommand.class,
                DemoCommand.class,
                BridgeCommand.class,
                SoakCommand.class,
                CommandLine.HelpCommand.class
        })
public final class NanoBrokerCommand implements Runnable {

    /** {@code --version}: the version from the jar's manifest, and the Java it runs on. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"nanobroker " + ManifestVersion.of(NanoBrokerCommand.class), "Java " + Runtime.version()};
        }
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * The command line with its streams: tests pass their own writers. Any exception a command
     * throws becomes one line on {@code err} and exit code 1; an unexpected one (a bug) says so, and
     * its stack trace follows only when the environment variable NANOBROKER_DEBUG is set.
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new NanoBrokerCommand());
        // The root's own footer, set after the subcommands took their inherited attributes.
        commandLine.getCommandSpec().usageMessage().footer("", "Run 'nanobroker COMMAND --help' for a command's options.");
        // The commands' descriptions are written as lines of up to about 105 characters: wrapped at
        // picocli's default of 80, each of them broke in two mid-sentence.
        commandLine.setUsageHelpWidth(110);
        commandLine.setOut(out);
        commandLine.setErr(err);
        // A bad flag or value: one line and where to look, not the whole usage scrolling it away.
        commandLine.setParameterExceptionHandler((exception, args) -> {
            CommandLine failed = exception.getCommandLine();
            PrintWriter failure = failed.getErr();
            failure.println(failed.getCommandSpec().qualifiedName() + ": " + (isUnknownCommand(exception)
                    ? unknownCommand(failed, ((CommandLine.UnmatchedArgumentException) exception).getUnmatched().getFirst())
                    : exception.getMessage()));
            CommandLine.UnmatchedArgumentException.printSuggestions(exception, failure);
            failure.println("Run '" + failed.getCommandSpec().qualifiedName() + " --help' for its options.");
            failure.flush();
            return failed.getCommandSpec().exitCodeOnInvalidInput();
        });
        // "nanobroker bogus --help" asks for help about a command that does not exist: say so (exit 2)
        // rather than show the root's help as if all were well.
        commandLine.setExecutionStrategy(parseResult -> {
            if (parseResult.subcommand() == null && !parseResult.unmatched().isEmpty()) {
                throw new CommandLine.UnmatchedArgumentException(parseResult.commandSpec().commandLine(), parseResult.unmatched());
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        commandLine.setExecutionExceptionHandler((exception, failed, parseResult) -> {
            PrintWriter failure = failed.getErr();
            if (exception instanceof RingException || exception instanceof IllegalArgumentException
                    || exception instanceof SourceException || exception instanceof CommandException
                    || exception instanceof BridgeException || exception instanceof CodecException) {
                failure.println(failed.getCommandSpec().qualifiedName() + ": " + exception.getMessage());
            } else {
                failure.println(failed.getCommandSpec().qualifiedName() + ": unexpected error: " + exception
                        + " (set NANOBROKER_DEBUG=1 for the stack trace, and please report it)");
                if (System.getenv("NANOBROKER_DEBUG") != null) {
                    exception.printStackTrace(failure);
                }
            }
            failure.flush();
            return 1;
        });
        return commandLine;
    }

    private static boolean isUnknownCommand(CommandLine.ParameterException exception) {
        return exception instanceof CommandLine.UnmatchedArgumentException unmatched
                && !exception.getCommandLine().getSubcommands().isEmpty()
                && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().getFirst().startsWith("-");
    }

    private static String unknownCommand(CommandLine root, String name) {
        return "unknown command '" + name + "' (the commands: " + String.join(", ", root.getSubcommands().keySet()) + ")";
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
