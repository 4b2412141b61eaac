package dev.nanobroker.ring;

import static dev.nanobroker.ring.HeaderWords.*;

import dev.nanobroker.ring.testing.Actors;
import dev.nanobroker.ring.testing.Await;
import dev.nanobroker.ring.testing.ChildJvm;
import dev.nanobroker.ring.testing.DeadTokens;
import dev.nanobroker.ring.testing.Outcomes;
import dev.nanobroker.ring.testing.ParentCommands;
import dev.nanobroker.ring.testing.Stress;
import dev.nanobroker.ring.testing.TestRings;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static dev.nanobroker.ring.RingLayout.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stress test 3 of issue 11 (jcstress-style): the reclaim CAS of {@code SharedRing.reclaimDeadReaders}.
 * Several reclaimers free the same dead reader lines at once while live readers attach and detach.
 *
 * <p><b>Actors.</b> One ring in /dev/shm. Dead lines come from two sources: a <i>planter</i> thread
 * takes a free line (owner CAS 0 to its own, live, token, as an attach would), gives it a tail and a
 * mode, then swings the owner in one CAS to the identity token of a process that has ended (short
 * {@code cat} children, {@link DeadTokens}), so the line looks exactly like one a reader left by dying;
 * a quarter of them get the token with {@code RECLAIM_BIT}, as a reclaimer that died half-way leaves
 * them. And <i>holder</i> child JVMs attach 3 readers each and are SIGKILLed, one after another.
 * Reclaimers: two threads here and one in a child JVM, calling {@code reclaimDeadReaders()} in a
 * loop. Live readers: two threads here and one in the child, attaching, checking several times that
 * their line still names them and keeps their tail, and closing. An observer thread classifies every
 * owner word it sees. At most 4 planted lines are dead at once, so with 3 holder lines and 3 live
 * readers no attach ever finds the lines full (which would make {@code attachReader} reclaim
 * uncounted); the planter takes lines from the top, attaches take them from the bottom.
 *
 * <p><b>Allowed</b> (docs/ring-layout.md §10 steps 1-4; §7 liveness; §9 "Close"):
 * <ul>
 *   <li>{@code plant.*}, {@code holder.killed-lines}: dead lines made; {@code reclaim.freed},
 *       {@code reclaim.final-sweep}: lines freed by the reclaimers, and by one last sweep at the end;
 *       {@code reclaim.sweeps}: sweeps made.
 *   <li>{@code live.kept}: a live reader kept its line and tail from attach to close;
 *       {@code holder.kept}: a holder's 3 lines survived every sweep until it was killed.
 *   <li>{@code state.*} (observer): free, owned by a live process, owned by a dead one, being freed by
 *       a live reclaimer (owner = its token | RECLAIM_BIT, transient, §10 "While the owner word holds
 *       mine"), or half-freed by a dead reclaimer (planted).
 *   <li>{@code end.freed-exactly-once}: at the end every dead line was freed, and the frees that
 *       reclaimers reported add up to exactly the lines made dead.
 * </ul>
 * <b>Forbidden</b>:
 * <ul>
 *   <li>{@code live.line-lost}, {@code holder.line-lost}: a live reader's owner word or tail changed
 *       under it: a live line freed (§10 step 1 skips live owners; §7: a live process is never dead).
 *   <li>{@code end.freed-count}: the reported frees differ from the dead lines made: a line freed twice
 *       (two reclaimers' CAS of §10 step 2 both succeeding) or a live one freed (more), or a dead one
 *       never freed (fewer).
 *   <li>{@code end.half-freed}: after every reclaimer finished, a line still holds a live (or cleanly
 *       finished) reclaimer's token with RECLAIM_BIT (§10 steps 3-4 always follow a won CAS).
 *   <li>{@code end.not-free}: after the final sweep a line is not free (owner 0, tail TAIL_FREE).
 *   <li>{@code end.live-line-left}: a line still names a reader that closed (§9 "Close").
 *   <li>{@code plant.stolen}: the planter's own (live) line changed owner under it.
 *   <li>{@code state.unknown-owner}: an owner word that no process wrote (a torn or stray word).
 *   <li>{@code live.no-line}: no free line for a live reader, though at most 10 are ever taken (4
 *       planted, 3 of a holder, 3 live readers).
 * </ul>
 */
class ReclaimStressTest {

    static final RingGeometry GEOMETRY = RingGeometry.of(8, 2, 2);
    static final int MAX_PLANTED = 4;
    static final int HOLDER_LINES = 3;
    static final int DEAD_TOKENS = 8;
    private static final Duration STARTUP = Duration.ofSeconds(30);

    static Outcomes outcomes() {
        Outcomes o = new Outcomes("reclaim CAS: reclaimers race on dead reader lines while live readers attach");
        o.allowed("plant.dead", "lines made dead: owner swung to an ended process's token");
        o.allowed("plant.half-freed", "lines made half-freed: owner = ended process's token | RECLAIM_BIT");
        o.forbidden("plant.stolen", "the planter's own live line changed owner under it");
        o.allowed("holder.killed-lines", "lines left by SIGKILLed holder processes");
        o.allowed("holder.kept", "a holder's lines survived every sweep while it lived");
        o.forbidden("holder.line-lost", "a live holder's line was freed or taken");
        o.allowed("reclaim.sweeps", "reclaimDeadReaders() calls");
        o.allowed("reclaim.freed", "lines the reclaimers reported freed");
        o.allowed("reclaim.final-sweep", "lines freed by one last sweep after every actor stopped");
        o.allowed("live.kept", "a live reader kept its line and tail from attach to close");
        o.forbidden("live.line-lost", "a live reader's owner or tail changed under it");
        o.forbidden("live.no-line", "no free reader line although at most 10 are taken");
        o.allowed("state.free", "observer: owner 0");
        o.allowed("state.live", "observer: owner a live process");
        o.allowed("state.dead", "observer: owner an ended process");
        o.allowed("state.being-freed", "observer: owner a live reclaimer | RECLAIM_BIT (mid-reclaim)");
        o.allowed("state.dead-half-freed", "observer: owner an ended process | RECLAIM_BIT");
        o.forbidden("state.unknown-owner", "observer: an owner word no process wrote");
        o.allowed("end.freed-exactly-once", "dead lines made, each freed exactly once (frees == lines)");
        o.forbidden("end.freed-count", "frees reported != dead lines made");
        o.forbidden("end.half-freed", "a line left with RECLAIM_BIT by a reclaimer that finished");
        o.forbidden("end.not-free", "a line not free after the final sweep");
        o.forbidden("end.live-line-left", "a line still naming a reader that closed");
        return o;
    }

    @Test
    void eachDeadLineIsFreedExactlyOnceAndNoLiveLineEver() throws Exception {
        Duration runTime = Stress.runTime(2.0);
        Duration patience = Stress.patience(runTime);
        Outcomes outcomes = outcomes();
        long[] pool = new long[DEAD_TOKENS];
        Set<Long> dead = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < pool.length; i++) {
            pool[i] = DeadTokens.make();
            dead.add(pool[i]);
        }
        long elapsed;
        Set<Long> live = ConcurrentHashMap.newKeySet();
        live.add(ProcessIdentity.current());
        try (TestRings rings = new TestRings()) {
            String name = rings.newName("reclaim");
            ChildJvm holder = null;
            try (SharedRing ring = SharedRing.create(name, GEOMETRY);
                 ChildJvm child = ChildJvm.start(Child.class, name);
                 Actors actors = new Actors()) {
                holder = ChildJvm.start(Holder.class, name);
                child.awaitLine("READY"::equals, STARTUP);
                long childToken = child.identityToken();
                live.add(childToken);
                AtomicBoolean running = new AtomicBoolean(true);
                long start = System.nanoTime();
                child.send("GO");
                actors.start("planter", () -> plant(ring, pool, dead, running::get, outcomes));
                for (int i = 0; i < 2; i++) {
                    actors.start("reclaimer-" + i, () -> reclaim(ring, running::get, outcomes));
                    long seed = i;
                    actors.start("live-" + i, () -> readLive(ring, seed, running::get, outcomes));
                }
                actors.start("observer", () -> observe(ring, dead, live, running::get, outcomes));

                long end = start + runTime.toNanos();
                do {
                    ChildJvm current = holder;
                    current.awaitLine("READY"::equals, STARTUP);
                    long token = current.identityToken();
                    live.add(token);
                    current.send("GO");
                    long[] lines = Arrays.stream(current.awaitLine(l -> l.startsWith("HOLDING"), STARTUP).split(" "))
                            .skip(1).mapToLong(Long::parseLong).toArray();
                    holder = System.nanoTime() - end < 0 ? ChildJvm.start(Holder.class, name) : null;
                    // Let the reclaimers look at the live holder's lines many times, then kill it.
                    long sweeps = outcomes.get("reclaim.sweeps").count();
                    Await.until(() -> outcomes.get("reclaim.sweeps").count() > sweeps + 200, "200 sweeps");
                    boolean kept = true;
                    for (long line : lines) {
                        long owner = owner(ring, (int) line);
                        if (owner != token) {
                            outcomes.get("holder.line-lost").add("line " + line + " of pid " + current.pid()
                                    + " now owned by " + Long.toHexString(owner));
                            kept = false;
                        }
                    }
                    if (kept) {
                        outcomes.get("holder.kept").add();
                    }
                    dead.add(token);
                    current.kill9();
                    current.close();
                    outcomes.get("holder.killed-lines").add(lines.length);
                    Await.until(() -> Arrays.stream(lines).allMatch(line -> owner(ring, (int) line) != token),
                            "the killed holder's lines to be reclaimed");
                } while (holder != null);

                running.set(false);
                actors.joinAll(patience);
                elapsed = System.nanoTime() - start;
                child.send("STOP");
                assertEquals(0, child.awaitExit(patience), () -> "child failed: " + child.stderr());
                outcomes.merge(child.stdoutLines(), "child pid " + child.pid());
                checkTheEnd(ring, Set.of(ProcessIdentity.current(), childToken), outcomes);
            } finally {
                if (holder != null) {
                    holder.close();
                }
            }
        }
        System.out.printf("reclaim stress: actors ran %.1f s%n", elapsed / 1e9);
        outcomes.print();
        outcomes.assertNoForbidden();
        assertTrue(outcomes.get("end.freed-exactly-once").count() > 0, "lines were made dead and freed");
    }

    /** After every actor stopped: nothing half-freed by a finished reclaimer, then all free, frees == dead lines. */
    private static void checkTheEnd(SharedRing ring, Set<Long> reclaimers, Outcomes o) {
        for (int line = 0; line < MAX_READERS; line++) {
            long owner = owner(ring, line);
            long clean = owner & ~RECLAIM_BIT;
            if (owner != clean && reclaimers.contains(clean)) {
                o.get("end.half-freed").add("line " + line + " owner " + Long.toHexString(owner));
            } else if (owner == clean && reclaimers.contains(clean)) {
                o.get("end.live-line-left").add("line " + line + " owner " + Long.toHexString(owner));
            }
        }
        o.get("reclaim.final-sweep").add(ring.reclaimDeadReaders());
        for (int line = 0; line < MAX_READERS; line++) {
            long tail = getLongAcquire(ring.header(), readerOffset(line) + READER_TAIL_OFFSET);
            if (owner(ring, line) != 0 || tail != TAIL_FREE) {
                o.get("end.not-free").add("line " + line + " owner " + Long.toHexString(owner(ring, line)) + " tail " + tail);
            }
        }
        long made = o.get("plant.dead").count() + o.get("plant.half-freed").count() + o.get("holder.killed-lines").count();
        long freed = o.get("reclaim.freed").count() + o.get("reclaim.final-sweep").count();
        if (freed == made) {
            o.get("end.freed-exactly-once").add(made);
        } else {
            o.get("end.freed-count").add(freed + " frees reported for " + made + " dead lines");
        }
    }

    /** The child process: a reclaimer and a live reader. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            ParentCommands.listen();
            Outcomes outcomes = outcomes();
            try (SharedRing ring = SharedRing.open(args[0]); Actors actors = new Actors()) {
                System.out.println("READY");
                ParentCommands.await("GO");
                BooleanSupplier running = () -> !ParentCommands.received("STOP");
                actors.start("reclaimer", () -> reclaim(ring, running, outcomes));
                actors.start("live", () -> readLive(ring, 100, running, outcomes));
                ParentCommands.await("STOP");
                actors.joinAll(Duration.ofSeconds(60));
            }
            outcomes.printForParent(System.out);
        }
    }

    /** A holder process: attaches {@value #HOLDER_LINES} readers on "GO" and keeps them until killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            ParentCommands.listen();
            SharedRing ring = SharedRing.open(args[0]);
            System.out.println("READY");
            ParentCommands.await("GO");
            StringBuilder lines = new StringBuilder("HOLDING");
            for (int i = 0; i < HOLDER_LINES; i++) {
                lines.append(' ').append(ring.attachReader(ReadMode.EVERY).line());
            }
            System.out.println(lines);
            ParentCommands.await("EXIT"); // never sent: it is killed
        }
    }

    static long owner(SharedRing ring, int line) {
        return getLongAcquire(ring.header(), readerOffset(line) + READER_OWNER_OFFSET);
    }

    static void plant(SharedRing ring, long[] pool, Set<Long> dead, BooleanSupplier running, Outcomes o) {
        MemorySegment header = ring.header();
        long me = ProcessIdentity.current();
        SplittableRandom random = new SplittableRandom(7);
        while (running.getAsBoolean()) {
            int deadLines = 0;
            for (int line = 0; line < MAX_READERS; line++) {
                long owner = owner(ring, line);
                if (owner != 0 && dead.contains(owner & ~RECLAIM_BIT)) {
                    deadLines++;
                }
            }
            if (deadLines >= MAX_PLANTED) {
                Thread.yield();
                continue;
            }
            int taken = -1;
            for (int line = MAX_READERS - 1; line >= 0 && taken < 0; line--) {
                long ownerOffset = readerOffset(line) + READER_OWNER_OFFSET;
                if (owner(ring, line) == 0 && compareAndSetLong(header, ownerOffset, 0L, me)) {
                    taken = line;
                }
            }
            if (taken < 0) {
                continue;
            }
            long base = readerOffset(taken);
            putIntRelease(header, base + READER_MODE_OFFSET, MODE_EVERY);
            putLongRelease(header, base + READER_TAIL_OFFSET, 1000L + random.nextInt(1000));
            boolean halfFreed = random.nextInt(4) == 0;
            long token = pool[random.nextInt(pool.length)];
            // The reader "dies": its line now names an ended process, all in one atomic step.
            if (compareAndSetLong(header, base + READER_OWNER_OFFSET, me, halfFreed ? token | RECLAIM_BIT : token)) {
                o.get(halfFreed ? "plant.half-freed" : "plant.dead").add();
            } else {
                o.get("plant.stolen").add("line " + taken + " now " + Long.toHexString(owner(ring, taken)));
            }
        }
    }

    static void reclaim(SharedRing ring, BooleanSupplier running, Outcomes o) {
        Outcomes.Outcome freed = o.get("reclaim.freed");
        Outcomes.Outcome sweeps = o.get("reclaim.sweeps");
        while (running.getAsBoolean()) {
            freed.add(ring.reclaimDeadReaders());
            sweeps.add();
        }
    }

    static void readLive(SharedRing ring, long seed, BooleanSupplier running, Outcomes o) {
        SplittableRandom random = new SplittableRandom(seed);
        MemorySegment header = ring.header();
        long me = ProcessIdentity.current();
        while (running.getAsBoolean()) {
            RingReader reader;
            try {
                reader = ring.attachReader(ReadMode.EVERY);
            } catch (RingFullException e) {
                o.get("live.no-line").add(e.getMessage());
                continue;
            }
            long base = readerOffset(reader.line());
            boolean kept = true;
            for (int check = 1 + random.nextInt(20); check > 0 && kept; check--) {
                long owner = getLongAcquire(header, base + READER_OWNER_OFFSET);
                long tail = getLongAcquire(header, base + READER_TAIL_OFFSET);
                if (owner != me || tail != reader.tail()) {
                    o.get("live.line-lost").add("line " + reader.line() + " owner " + Long.toHexString(owner)
                            + " (mine " + Long.toHexString(me) + ") tail " + tail + " (mine " + reader.tail() + ")");
                    kept = false;
                }
                Thread.yield();
            }
            if (kept) {
                o.get("live.kept").add();
            }
            reader.close();
        }
    }

    static void observe(SharedRing ring, Set<Long> dead, Set<Long> live, BooleanSupplier running, Outcomes o) {
        while (running.getAsBoolean()) {
            for (int line = 0; line < MAX_READERS; line++) {
                long owner = owner(ring, line);
                long clean = owner & ~RECLAIM_BIT;
                boolean marked = owner != clean;
                if (owner == 0) {
                    o.get("state.free").add();
                } else if (dead.contains(clean)) {
                    o.get(marked ? "state.dead-half-freed" : "state.dead").add();
                } else if (live.contains(clean)) {
                    o.get(marked ? "state.being-freed" : "state.live").add();
                } else {
                    o.get("state.unknown-owner").add("line " + line + " owner " + Long.toHexString(owner));
                }
            }
            Thread.yield();
        }
    }
}
