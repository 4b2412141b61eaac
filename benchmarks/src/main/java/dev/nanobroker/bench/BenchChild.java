package dev.nanobroker.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The main class of every child JVM the bench starts:
 * {@code BenchChild ROLE ctl=FILE timeout=SECONDS key=value...}. It runs the one {@link Role} named,
 * made from the {@code key=value} words once ({@link RoleArguments}), and prints what the role
 * reports as the one stdout line that starts with {@code RESULT }, which the bench reads
 * ({@link CaseRunner}); a failure is one line on stderr (and the stack trace) and exit code 1. Every
 * wait of a role ends at the deadline, {@code timeout} seconds after the start.
 */
public final class BenchChild {

    /** Every role, by its name on the command line. */
    private static final Map<String, Class<? extends Role>> ROLES = Map.ofEntries(
            Map.entry("floor-ping", FloorRoles.Ping.class),
            Map.entry("floor-pong", FloorRoles.Pong.class),
            Map.entry("ring-writer", RingLatencyRoles.Writer.class),
            Map.entry("ring-reader", RingLatencyRoles.Reader.class),
            Map.entry("stream-send", StreamRoles.Sender.class),
            Map.entry("stream-recv", StreamRoles.Receiver.class),
            Map.entry("agrona-tx", AgronaRoles.Transmitter.class),
            Map.entry("agrona-rx", AgronaRoles.Receiver.class),
            Map.entry("pingpong-ring-initiator", PingPongRoles.RingInitiator.class),
            Map.entry("pingpong-ring-responder", PingPongRoles.RingResponder.class),
            Map.entry("pingpong-agrona-initiator", PingPongRoles.AgronaInitiator.class),
            Map.entry("pingpong-agrona-responder", PingPongRoles.AgronaResponder.class),
            Map.entry("tp-writer", ThroughputRoles.Writer.class),
            Map.entry("tp-reader", ThroughputRoles.Reader.class),
            Map.entry("fill", ThroughputRoles.FillAlone.class),
            Map.entry("alloc", AllocationRoles.WriteReadLoop.class),
            Map.entry("display-writer", ViewerRoles.DisplayWriter.class),
            Map.entry("display-counter", ViewerRoles.DisplayCounter.class),
            Map.entry("wait-writer", WaitRoles.Writer.class),
            Map.entry("wait-reader", WaitRoles.Reader.class),
            Map.entry("wait-idle-reader", WaitRoles.IdleReader.class));

    private BenchChild() {
    }

    /** The name of {@code role} on the command line and in the bench's messages. */
    static String name(Role role) {
        return ROLES.entrySet().stream().filter(entry -> entry.getValue() == role.getClass()).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(role.getClass().getName() + " is not in BenchChild's roles"))
                .getKey();
    }

    /** The arguments after the main class that run {@code role} with this control file and timeout. */
    static List<String> arguments(Role role, Path controlFile, long timeoutSeconds) {
        List<String> arguments = new ArrayList<>(List.of(name(role), "ctl=" + controlFile, "timeout=" + timeoutSeconds));
        arguments.addAll(RoleArguments.format(role));
        return arguments;
    }

    public static void main(String[] argv) {
        if (argv.length < 1) {
            System.err.println("usage: BenchChild ROLE ctl=FILE timeout=SECONDS key=value...");
            System.exit(2);
        }
        long started = System.nanoTime();
        Map<String, Object> result;
        try {
            Map<String, String> words = RoleArguments.split(List.of(argv).subList(1, argv.length));
            RoleContext context = new RoleContext(Path.of(take(words, "ctl")),
                    started + Duration.ofSeconds(Long.parseLong(take(words, "timeout"))).toNanos());
            Class<? extends Role> type = ROLES.get(argv[0]);
            if (type == null) {
                throw new IllegalArgumentException("unknown role " + argv[0]);
            }
            result = RoleArguments.parse(type, words).run(context);
        } catch (Exception | Error e) {
            System.err.println("bench " + argv[0] + ": " + e);
            e.printStackTrace(System.err);
            System.exit(1);
            return;
        }
        System.out.println(BenchResults.resultLine(result));
        System.out.flush();
        System.exit(0);
    }

    private static String take(Map<String, String> words, String key) {
        String value = words.remove(key);
        if (value == null) {
            throw new IllegalArgumentException("missing argument " + key);
        }
        return value;
    }
}
