package dev.nanobroker.ring.testing;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The outcome table of a stress test, in the spirit of jcstress: every observation an actor makes is
 * one of a fixed set of outcomes, each declared allowed or forbidden up front with what it means.
 * Actors count into it from any thread; child processes print their counts ({@link #printForParent})
 * and the test merges them ({@link #merge}); at the end the test prints the table and fails when any
 * forbidden outcome was seen, with the first few examples of each.
 */
public final class Outcomes {

    public enum Verdict { ALLOWED, FORBIDDEN }

    private static final int EXAMPLES_KEPT = 5;

    /** One outcome: its id, verdict, meaning and count. Thread-safe. */
    public static final class Outcome {
        private final String id;
        private final Verdict verdict;
        private final String meaning;
        private final LongAdder count = new LongAdder();
        private final AtomicInteger examplesTaken = new AtomicInteger();
        private final ConcurrentLinkedQueue<String> examples = new ConcurrentLinkedQueue<>();

        private Outcome(String id, Verdict verdict, String meaning) {
            this.id = id;
            this.verdict = verdict;
            this.meaning = meaning;
        }

        public void add() {
            count.increment();
        }

        public void add(long n) {
            count.add(n);
        }

        /** Counts one and keeps {@code example} (the first few only) to show on failure. */
        public void add(String example) {
            count.increment();
            example(example);
        }

        public void example(String example) {
            if (examplesTaken.getAndIncrement() < EXAMPLES_KEPT) {
                examples.add(example);
            }
        }

        public long count() {
            return count.sum();
        }

        public String id() {
            return id;
        }

        public Verdict verdict() {
            return verdict;
        }
    }

    private final String title;
    private final Map<String, Outcome> outcomes = new LinkedHashMap<>();

    public Outcomes(String title) {
        this.title = title;
    }

    public synchronized Outcome allowed(String id, String meaning) {
        return declare(id, Verdict.ALLOWED, meaning);
    }

    public synchronized Outcome forbidden(String id, String meaning) {
        return declare(id, Verdict.FORBIDDEN, meaning);
    }

    private Outcome declare(String id, Verdict verdict, String meaning) {
        if (id.contains(" ")) {
            throw new IllegalArgumentException("outcome ids have no spaces: " + id);
        }
        if (outcomes.containsKey(id)) {
            throw new IllegalArgumentException("outcome declared twice: " + id);
        }
        Outcome outcome = new Outcome(id, verdict, meaning);
        outcomes.put(id, outcome);
        return outcome;
    }

    public synchronized Outcome get(String id) {
        Outcome outcome = outcomes.get(id);
        if (outcome == null) {
            throw new IllegalArgumentException("undeclared outcome " + id);
        }
        return outcome;
    }

    public synchronized long forbiddenCount() {
        return outcomes.values().stream().filter(o -> o.verdict == Verdict.FORBIDDEN).mapToLong(Outcome::count).sum();
    }

    /** For a child process: one line per outcome and per example, for the parent to {@link #merge}. */
    public synchronized void printForParent(PrintStream out) {
        for (Outcome outcome : outcomes.values()) {
            out.println("OUTCOME " + outcome.id + " " + outcome.count());
            for (String example : outcome.examples) {
                out.println("EXAMPLE " + outcome.id + " " + example.replace('\n', ' '));
            }
        }
        out.flush();
    }

    /**
     * Adds the counts a child printed with {@link #printForParent}. Fails when the child printed
     * none (it died before reporting) or named an outcome this table does not declare.
     */
    public void merge(List<String> childStdout, String who) {
        boolean any = false;
        for (String line : childStdout) {
            if (line.startsWith("OUTCOME ")) {
                String[] parts = line.split(" ");
                get(parts[1]).add(Long.parseLong(parts[2]));
                any = true;
            } else if (line.startsWith("EXAMPLE ")) {
                int idEnd = line.indexOf(' ', 8);
                get(line.substring(8, idEnd)).example(who + ": " + line.substring(idEnd + 1));
            }
        }
        if (!any) {
            throw new AssertionError(who + " reported no outcomes; its stdout: " + childStdout);
        }
    }

    /** {@code DATA key value} lines of a child's stdout, for figures that are not outcomes. */
    public static Map<String, Long> data(List<String> childStdout) {
        Map<String, Long> data = new LinkedHashMap<>();
        for (String line : childStdout) {
            if (line.startsWith("DATA ")) {
                String[] parts = line.split(" ");
                data.merge(parts[1], Long.parseLong(parts[2]), Long::sum);
            }
        }
        return data;
    }

    public synchronized String table() {
        int width = outcomes.keySet().stream().mapToInt(String::length).max().orElse(10);
        StringBuilder text = new StringBuilder();
        text.append("== ").append(title).append('\n');
        for (Outcome outcome : outcomes.values()) {
            text.append(String.format("  %-9s %-" + width + "s %,15d  %s%n", outcome.verdict, outcome.id, outcome.count(),
                    outcome.meaning));
        }
        return text.toString();
    }

    /** Prints the table (always, so a passing run shows its counts too). */
    public void print() {
        System.out.print(table());
        System.out.flush();
    }

    /** Fails with the table and the first examples of every forbidden outcome seen. */
    public synchronized void assertNoForbidden() {
        if (forbiddenCount() == 0) {
            return;
        }
        List<String> lines = new ArrayList<>();
        for (Outcome outcome : outcomes.values()) {
            if (outcome.verdict == Verdict.FORBIDDEN && outcome.count() > 0) {
                lines.add("FORBIDDEN " + outcome.id + " x" + outcome.count() + ": " + outcome.meaning);
                for (String example : outcome.examples) {
                    lines.add("    e.g. " + example);
                }
            }
        }
        throw new AssertionError(title + ": forbidden outcomes seen\n" + String.join("\n", lines) + "\n" + table());
    }
}
