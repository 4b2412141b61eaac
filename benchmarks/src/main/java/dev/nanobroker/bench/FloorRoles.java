package dev.nanobroker.bench;

import org.HdrHistogram.Histogram;

import java.util.Map;

/**
 * The hardware floor: one cache line passed back and forth between two JVMs, the least that any
 * hand-off through shared memory can cost. The word is the control file's ping word.
 *
 * <pre>
 *  floor-ping JVM                  control file (/dev/shm)              floor-pong JVM
 *  --------------                  -----------------------              --------------
 *  t0; PING = 2i+1  ------------->  PING word, one cache line  -------> spins until 2i+1
 *  spins until 2i+2 <-------------  PING word                  <------- PING = 2i+2
 *  records (now - t0) / 2 as one way; RESULT line to the bench          (reports nothing)
 * </pre>
 */
final class FloorRoles {

    private FloorRoles() {
    }

    /** Writes 2i+1 into the shared word and spins until it reads 2i+2; one way = round trip / 2. */
    record Ping(long warmup, long count) implements Role {
        @Override
        public Map<String, Object> run(RoleContext context) {
            long total = warmup + count;
            Histogram histogram = Histograms.create();
            try (Control control = context.control()) {
                control.ready();
                control.awaitReady(2, context.deadlineNanos());
                for (long i = 0; i < total; i++) {
                    long start = System.nanoTime();
                    control.setPing(2 * i + 1);
                    awaitPing(control, 2 * i + 2, context, "waiting for the pong");
                    long roundTrip = System.nanoTime() - start;
                    if (i >= warmup) {
                        Histograms.record(histogram, roundTrip / 2);
                    }
                }
            }
            return Histograms.summary(histogram);
        }
    }

    /** Spins until the word is 2i+1 and answers 2i+2. */
    record Pong(long warmup, long count) implements Role {
        @Override
        public Map<String, Object> run(RoleContext context) {
            long total = warmup + count;
            try (Control control = context.control()) {
                control.ready();
                control.awaitReady(2, context.deadlineNanos());
                for (long i = 0; i < total; i++) {
                    awaitPing(control, 2 * i + 1, context, "waiting for the ping");
                    control.setPing(2 * i + 2);
                }
            }
            return Map.of();
        }
    }

    /** Spins until the ping word is {@code want}. */
    private static void awaitPing(Control control, long want, RoleContext context, String waitingFor) {
        int spins = 0;
        while (control.ping() != want) {
            if ((++spins & 0xFFFFF) == 0) {
                context.checkDeadline(waitingFor);
            }
            Thread.onSpinWait();
        }
    }
}
