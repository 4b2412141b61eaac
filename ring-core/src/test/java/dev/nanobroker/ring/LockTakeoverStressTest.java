package dev.nanobroker.ring;

import static dev.nanobroker.ring.HeaderWords.*;

import dev.nanobroker.ring.testing.Actors;
import dev.nanobroker.ring.testing.Await;
import dev.nanobroker.ring.testing.ChildJvm;
import dev.nanobroker.ring.testing.DeadTokens;
import dev.nanobroker.ring.testing.Outcomes;
import dev.nanobroker.ring.testing.ParentCommands;
import dev.nanobroker.ring.testing.Payload;
import dev.nanobroker.ring.testing.Stress;
import dev.nanobroker.ring.testing.TestRings;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import static dev.nanobroker.ring.RingLayout.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stress test 4 of issue 11 (jcstress-style): the write lock and its takeover
 * ({@code RingWriter.acquireLock}). Writer processes die holding the lock while other writers, threads
 * and processes, wait for it and race to take it over.
 *
 * <p><b>Actors.</b> One ring in /dev/shm, 8 slots, every writer {@code drop}: it never overwrites, so
 * readers see every published frame, and it never waits holding the lock (a {@code block} writer
 * waits for room inside the lock, and with four of them the lock's unfairness stalled single claims
 * for seconds: docs/reliability.md, "Stress tests"). Survivors: two writer threads here (ids 1, 2)
 * and two in a child JVM (ids 3, 4), publishing as fast as they can;
 * inside each claim a writer fills the whole slot with its id and sequence ({@link Payload}), yields
 * the CPU now and then while holding the lock, and before publishing checks that the slot still holds
 * exactly what it wrote (the per-frame marker) and that {@code HEAD} still equals its sequence.
 * Readers: one {@code every} reader here and one in the child, attached before the first frame, check
 * every frame and count frames per writer id.
 *
 * <p>Deaths holding the lock come two ways. <i>Victims</i>: child JVMs started one after another, each
 * a writer that, on "GO", either claims and half-fills a slot and stops there ({@code hold}), or
 * writes the whole frame and its descriptor and stores the slot's sequence but not {@code HEAD}
 * ({@code sequence-stored}, a writer killed between steps 10 and 11 of §8), or publishes in a loop
 * until it is SIGSTOPped at a random frame ({@code random}); a stopped victim is alive, so whether it
 * holds the lock can be read while it cannot let go of it. Then it is SIGKILLed. <i>Deaths in
 * place</i>, many more, without a JVM start each: now and then a survivor here, inside its claim,
 * half-fills the slot (id 5) or fills it and stores its sequence but not {@code HEAD} (id 6), then
 * swings {@code LOCK_OWNER} and its writers-line entry, one CAS each, from this process's live token to
 * the token of a process that has ended ({@code DeadTokens}): exactly the state a writer SIGKILLed at
 * that point leaves. It abandons that writer, waits for the takeover, and goes on with a new one.
 * Deaths happen one at a time, each only after the last one's lock was taken over. A {@code hold} or
 * {@code sequence-stored} victim waiting for the lock may itself take over from a death in place: it
 * prints its {@code lockTakeovers()} with its HOLDING line; a {@code random} victim writes only while
 * no other death can happen, so every other takeover is a survivor's and all are counted.
 *
 * <p><b>Allowed</b> (docs/ring-layout.md §8 "Claiming a slot" steps 1 and 3, "Lock takeover"):
 * <ul>
 *   <li>{@code write.published}, {@code read.in-order}: frames written, and read in order, whole,
 *       released intact; {@code write.dropped}: claims the full ring refused ({@code drop}, §11).
 *   <li>{@code victim.killed-holding}, {@code victim.killed-free}: victim processes killed with and
 *       without the lock; {@code doom.holding}: deaths in place; {@code takeover.observed}: after a
 *       death holding the lock, the lock passed to a survivor (or was free again already).
 *   <li>{@code takeover.exactly-one}: the writers' {@code lockTakeovers()} add up to exactly the
 *       deaths holding the lock (the takeover CAS from the dead token has one winner).
 *   <li>{@code read.every-frame}, {@code count.match}: each reader read every published sequence, and
 *       per survivor as many frames as it published: none lost, none published twice.
 *   <li>{@code victim.finished-once}: a {@code sequence-stored} victim's frame was read exactly once,
 *       as its own, and the frames of the deaths in place that stored their sequence (id 6) as many
 *       times as there were such deaths: the taker-over finished the publish instead of writing that
 *       sequence again.
 * </ul>
 * <b>Forbidden</b>:
 * <ul>
 *   <li>{@code write.slot-overwritten}: a writer's slot changed between its fill and its publish:
 *       another writer was inside claim..publish at the same time (§8: the lock serialises writers).
 *   <li>{@code write.head-moved}: {@code HEAD} differed from the claimed sequence while the lock was
 *       held; {@code write.not-increasing}: a writer's sequences not increasing.
 *   <li>{@code read.gap}: a reader's frame not the previous one + 1 (every mode under drop: every
 *       sequence exactly once, §11); {@code read.torn}, {@code read.garbled}, {@code read.unknown-writer}.
 *   <li>{@code read.missed}, {@code count.mismatch}: frames read differ from frames published.
 *   <li>{@code takeover.count}: takeovers differ from the deaths holding the lock (two winners, or one
 *       counted for a live owner); {@code takeover.stranger}: the lock went from a dead victim to
 *       someone not waiting for it.
 *   <li>{@code victim.half-frame-published}: a {@code hold} victim's or a half-filled death in
 *       place's (id 5) frame was read;
 *       {@code victim.finished-not-once}: a {@code sequence-stored} victim's complete frame was not read
 *       exactly once (§8 step 3: "Never write a sequence number into a slot twice").
 *   <li>{@code victim.not-holding}, {@code doom.not-holding}: a writer that returned from claim() did
 *       not own the lock.
 * </ul>
 */
class LockTakeoverStressTest {

    static final RingGeometry GEOMETRY = RingGeometry.of(32, 4, 8);
    static final int MAX_ID = 1 << 12;
    static final int PARENT_SURVIVORS = 2;
    static final int CHILD_SURVIVORS = 2;
    static final int SURVIVORS = PARENT_SURVIVORS + CHILD_SURVIVORS; // ids 1..4
    static final long DOOMED_HALF = 5;
    static final long DOOMED_STORED = 6;
    static final int FIRST_VICTIM = 16; // 4 survivors and 3 victims alive: 7 writers of 8
    /** A survivor here dies in place at about one claim in this many. */
    static final int DIE_ONE_IN = 1000;
    static final int MIN_DEATHS_IN_PLACE = 3;
    static final String[] MODES = {"hold", "sequence-stored", "random"};
    private static final Duration STARTUP = Duration.ofSeconds(30);

    static Outcomes outcomes() {
        Outcomes o = new Outcomes("lock takeover: writers killed holding the lock, survivors race to take over");
        o.allowed("write.published", "frames published by the survivors");
        o.allowed("write.dropped", "claims dropped because the ring was full (drop policy)");
        o.forbidden("write.slot-overwritten", "a claimed slot changed before publish: two writers inside at once");
        o.forbidden("write.head-moved", "HEAD != claimed sequence while holding the lock");
        o.forbidden("write.not-increasing", "a writer's claimed sequences not increasing");
        o.allowed("read.in-order", "frame read in order, whole, released intact");
        o.forbidden("read.gap", "frame not the previous one + 1");
        o.forbidden("read.torn", "release() false under drop");
        o.forbidden("read.garbled", "release() true but the payload was not one writer's frame");
        o.forbidden("read.unknown-writer", "a whole frame from a writer id nobody used");
        o.allowed("read.every-frame", "per reader: it read exactly HEAD frames, all intact");
        o.forbidden("read.missed", "a reader's intact frames != HEAD");
        o.allowed("count.match", "a survivor's frames seen by a reader == frames it published");
        o.forbidden("count.mismatch", "a survivor's frames seen by a reader != frames it published");
        o.allowed("victim.killed-holding", "victims SIGKILLed while owning the lock");
        o.allowed("victim.killed-free", "random victims SIGKILLed while not owning the lock");
        o.forbidden("victim.not-holding", "a victim back from claim() did not own the lock");
        o.allowed("doom.holding", "deaths in place: a claim's lock and writer entry swung to an ended process");
        o.forbidden("doom.not-holding", "a survivor inside its claim did not own the lock");
        o.allowed("takeover.observed", "the lock went from a dead owner to a survivor (or was already free again)");
        o.forbidden("takeover.stranger", "the lock went from a dead owner to a process not waiting for it");
        o.allowed("takeover.exactly-one", "survivors' lockTakeovers() sum == deaths holding the lock");
        o.forbidden("takeover.count", "survivors' lockTakeovers() sum != deaths holding the lock");
        o.forbidden("victim.half-frame-published", "a half-written frame of a dead writer was read");
        o.allowed("victim.finished-once", "per reader: a dead writer's complete frame (sequence stored, not HEAD) read once, as its own");
        o.forbidden("victim.finished-not-once", "per reader: such a frame not read exactly once");
        return o;
    }

    /** What a reader saw: frames per writer id. */
    record Seen(long[] perWriter) {
        long total() {
            long total = 0;
            for (long each : perWriter) {
                total += each;
            }
            return total;
        }
    }

    record Victim(long id, String mode, long token) {
    }

    @Test
    void exactlyOneWriterTakesOverPerDeadHolderAndSequencesStayUnique() throws Exception {
        Duration runTime = Stress.runTime(2.0);
        Duration patience = Stress.patience(runTime);
        Outcomes outcomes = outcomes();
        List<Victim> victims = new ArrayList<>();
        long killedHolding = 0;
        long victimTakeovers = 0;
        long slowestVictimClaim = 0;
        long elapsed;
        try (TestRings rings = new TestRings()) {
            String name = rings.newName("takeover");
            ArrayDeque<ChildJvm> waiting = new ArrayDeque<>(); // victims started, not yet let go
            try (SharedRing ring = SharedRing.create(name, GEOMETRY);
                 ChildJvm child = ChildJvm.start(Child.class, name);
                 Actors writers = new Actors();
                 Actors readers = new Actors()) {
                // One victim of each mode starts with the child, before the survivors load the CPUs.
                int started = 0;
                while (started < MODES.length) {
                    waiting.add(startVictim(name, started++));
                }
                child.awaitLine("READY"::equals, STARTUP);
                Set<Long> takers = ConcurrentHashMap.newKeySet(); // who may take a dead owner's lock
                takers.add(ProcessIdentity.current());
                takers.add(child.identityToken());
                RingReader reader = ring.attachReader(ReadMode.EVERY);
                Survived[] survived = new Survived[MAX_ID];
                ReentrantLock deaths = new ReentrantLock(true); // one death at a time
                Dying dying = new Dying(deaths, takers, new AtomicLong());
                AtomicBoolean killing = new AtomicBoolean(true);
                AtomicBoolean writersDone = new AtomicBoolean();
                AtomicReference<Seen> seenHere = new AtomicReference<>();
                long start = System.nanoTime();
                long end = start + runTime.toNanos();
                // The survivors write for the run time, at least until the last victim is dead, and until
                // a few of them died in place.
                Outcomes.Outcome diedInPlace = outcomes.get("doom.holding");
                BooleanSupplier writing = () -> killing.get() || System.nanoTime() - end < 0
                        || diedInPlace.count() < MIN_DEATHS_IN_PLACE;
                readers.start("reader", () -> seenHere.set(read(reader, writersDone::get, outcomes)));
                child.send("GO");
                for (int id = 1; id <= PARENT_SURVIVORS; id++) {
                    int writerId = id;
                    writers.start("writer-" + id, () -> survived[writerId] = survive(ring, writerId, writing, dying, outcomes));
                }

                SplittableRandom randomFrames = new SplittableRandom(11);
                for (int k = 0; !waiting.isEmpty(); k++) {
                    ChildJvm victim = waiting.poll();
                    String mode = MODES[k % MODES.length];
                    victim.awaitLine("READY"::equals, STARTUP);
                    long token = victim.identityToken();
                    victims.add(new Victim(FIRST_VICTIM + k, mode, token));
                    boolean random = mode.equals("random");
                    if (!random) {
                        // Its claim may wait long for the lock behind the busy survivors: deaths in place go
                        // on meanwhile, and it may be the one to take such a lock over. It says so.
                        takers.add(token);
                        long go = System.nanoTime();
                        victim.send("GO");
                        String[] holdingLine = victim.awaitLine(line -> line.startsWith("HOLDING"), STARTUP).split(" ");
                        slowestVictimClaim = Math.max(slowestVictimClaim, System.nanoTime() - go);
                        victimTakeovers += Long.parseLong(holdingLine[2]);
                    }
                    deaths.lock();
                    try {
                        boolean holding;
                        if (random) {
                            // Its takeovers could not be told reliably: no other death while it writes.
                            victim.send("GO");
                            victim.awaitLine("WRITING"::equals, STARTUP);
                            long target = ring.head() + 1 + randomFrames.nextInt(3000);
                            Await.until(() -> ring.head() >= target, "frame " + target);
                            victim.suspend(STARTUP);
                            holding = lockOwner(ring) == token;
                        } else {
                            holding = lockOwner(ring) == token;
                            if (!holding) {
                                outcomes.get("victim.not-holding").add(mode + " victim pid " + victim.pid());
                            }
                        }
                        // Long runs: start another now, so that its JVM starts while this one dies. The
                        // short run stops after the first victim of each mode.
                        if (Stress.isLong() && System.nanoTime() - end < 0 && waiting.size() < 2) {
                            waiting.add(startVictim(name, started++));
                        }
                        victim.kill9();
                        victim.close();
                        takers.remove(token);
                        if (holding) {
                            killedHolding++;
                            outcomes.get("victim.killed-holding").add();
                            awaitTakeover(ring, token, takers, outcomes);
                        } else {
                            outcomes.get("victim.killed-free").add();
                        }
                    } finally {
                        deaths.unlock();
                    }
                }

                // All survivors stop together (one left alone could wait long for a lock the others take
                // back to back: the lock is not fair, docs/reliability.md, "Stress tests"); then, HEAD
                // final, the child's reader reads to the end.
                killing.set(false);
                long deadline = end + patience.toNanos();
                while (writing.getAsBoolean()) {
                    assertTrue(System.nanoTime() - deadline < 0, "survivors still writing: too few deaths in place");
                    Thread.sleep(10);
                }
                child.send("STOP");
                writers.joinAll(patience);
                elapsed = System.nanoTime() - start;
                child.awaitLine("WRITERS-STOPPED"::equals, patience);
                child.send("DRAIN");
                assertEquals(0, child.awaitExit(patience), () -> "child failed: " + child.stderr());
                outcomes.merge(child.stdoutLines(), "child pid " + child.pid());
                writersDone.set(true);
                readers.joinAll(patience);

                Map<String, Long> data = Outcomes.data(child.stdoutLines());
                long[] published = new long[SURVIVORS + 1];
                long takeovers = data.getOrDefault("takeovers", 0L) + victimTakeovers;
                for (int id = 1; id <= SURVIVORS; id++) {
                    if (id <= PARENT_SURVIVORS) {
                        published[id] = survived[id].published();
                        takeovers += survived[id].takeovers();
                    } else {
                        published[id] = data.getOrDefault("published." + id, 0L);
                    }
                }
                long[] seenThere = new long[MAX_ID];
                data.forEach((key, value) -> {
                    if (key.startsWith("seen.")) {
                        seenThere[Integer.parseInt(key.substring(5))] = value;
                    }
                });
                long deathsHolding = killedHolding + outcomes.get("doom.holding").count();
                if (takeovers == deathsHolding) {
                    outcomes.get("takeover.exactly-one").add(deathsHolding);
                } else {
                    outcomes.get("takeover.count").add(takeovers + " takeovers for " + deathsHolding + " deaths holding the lock");
                }
                long head = ring.head();
                check("reader here", seenHere.get(), head, published, victims, dying.stored().get(), outcomes);
                check("reader in child", new Seen(seenThere), head, published, victims, dying.stored().get(), outcomes);
                System.out.printf("lock takeover stress: %.1f s, head %,d, %d victim processes (%d died holding the lock),"
                                + " %d deaths in place; slowest victim claim %d ms%n", elapsed / 1e9, head, victims.size(),
                        killedHolding, outcomes.get("doom.holding").count(), slowestVictimClaim / 1_000_000);
            } finally {
                for (ChildJvm victim : waiting) {
                    victim.close();
                }
            }
        }
        outcomes.print();
        outcomes.assertNoForbidden();
        assertTrue(killedHolding >= 2, "the hold and sequence-stored victims died holding the lock");
        assertTrue(outcomes.get("doom.holding").count() > 0, "survivors died in place");
    }

    static long lockOwner(SharedRing ring) {
        return getLongAcquire(ring.header(), LOCK_OWNER_OFFSET);
    }

    /** Waits for the lock to leave a dead token, and says whom it went to. */
    static void awaitTakeover(SharedRing ring, long dead, Set<Long> takers, Outcomes o) throws InterruptedException {
        Await.until(() -> lockOwner(ring) != dead, "the lock of dead " + Long.toHexString(dead) + " to be taken over");
        long owner = lockOwner(ring);
        if (owner == 0 || takers.contains(owner)) {
            o.get("takeover.observed").add();
        } else {
            o.get("takeover.stranger").add("lock of dead " + Long.toHexString(dead) + " went to " + Long.toHexString(owner));
        }
    }

    /** What deaths in place share: one at a time, who may take over, how many stored their sequence. */
    record Dying(ReentrantLock deaths, Set<Long> takers, AtomicLong stored) {
    }

    /** A writer of this process and its entry in the writers line. */
    record Attached(RingWriter writer, int entry) {
    }

    /** What a survivor did: frames published, lock takeovers by all the writers it used. */
    record Survived(long published, long takeovers) {
    }

    private static Attached attach(SharedRing ring) {
        long me = ProcessIdentity.current();
        synchronized (ring) { // no other writer of this process attaches meanwhile: the new entry is ours
            long[] before = writerEntries(ring.header());
            RingWriter writer = ring.writer(OverflowPolicy.drop());
            long[] after = writerEntries(ring.header());
            for (int entry = 0; entry < MAX_WRITERS; entry++) {
                if (before[entry] != me && after[entry] == me) {
                    return new Attached(writer, entry);
                }
            }
            throw new AssertionError("no writers-line entry for the new writer");
        }
    }

    /**
     * A survivor: claim, check HEAD, fill, check the fill, publish. With {@code dying} (this process
     * only), about one claim in {@value #DIE_ONE_IN} dies in place instead, when no other death is
     * under way: see {@link #dieInClaim}; then it goes on with a new writer.
     */
    static Survived survive(SharedRing ring, long id, BooleanSupplier running, Dying dying, Outcomes o)
            throws InterruptedException {
        Outcomes.Outcome published = o.get("write.published");
        Outcomes.Outcome dropped = o.get("write.dropped");
        SplittableRandom random = new SplittableRandom(id);
        Attached attached = dying == null ? new Attached(ring.writer(OverflowPolicy.drop()), -1) : attach(ring);
        long dead = dying == null ? 0 : DeadTokens.make();
        long frames = 0;
        long takeovers = 0;
        long last = -1;
        while (running.getAsBoolean()) {
            FrameClaim claim = attached.writer().claim();
            if (claim == null) {
                dropped.add();
                continue;
            }
            long sequence = claim.sequence();
            if (ring.head() != sequence) {
                o.get("write.head-moved").add("writer " + id + " claimed " + sequence + ", head " + ring.head());
            }
            if (sequence <= last) {
                o.get("write.not-increasing").add("writer " + id + ": " + sequence + " after " + last);
            }
            if (dying != null && random.nextInt(DIE_ONE_IN) == 0 && dying.deaths().tryLock()) {
                try {
                    dieInClaim(ring, attached, claim, dead, random.nextBoolean(), dying, o);
                } finally {
                    dying.deaths().unlock();
                }
                takeovers += attached.writer().lockTakeovers();
                attached = attach(ring);
                dead = DeadTokens.make();
                continue;
            }
            last = sequence;
            Payload.fill(claim.pixels(), sequence, id);
            if ((sequence & 7) == 0) {
                Thread.yield(); // hold the lock across a reschedule now and then
            }
            if (!Payload.whole(claim.pixels(), sequence, id)) {
                o.get("write.slot-overwritten").add("writer " + id + " frame " + sequence + ": word1="
                        + Payload.writer(claim.pixels()));
            }
            claim.checksum(Payload.mark(sequence, id)).publish();
            published.add();
            frames++;
        }
        return new Survived(frames, takeovers + attached.writer().lockTakeovers());
    }

    /**
     * Dies in place inside a claim: half-fills the slot (id {@value #DOOMED_HALF}) or fills it and
     * stores its sequence but not HEAD (id {@value #DOOMED_STORED}), then swings the lock and the
     * writer's entry, one CAS each, from this process's token to {@code dead}, an ended process's; the
     * writer is abandoned with its claim pending. Waits for a survivor to take the lock over.
     */
    private static void dieInClaim(SharedRing ring, Attached attached, FrameClaim claim, long dead, boolean storeSequence,
                                   Dying dying, Outcomes o) throws InterruptedException {
        MemorySegment header = ring.header();
        long me = ProcessIdentity.current();
        if (storeSequence) {
            Payload.fill(claim.pixels(), claim.sequence(), DOOMED_STORED);
            VictimMain.storeSequenceButNotHead(ring, claim, Payload.mark(claim.sequence(), DOOMED_STORED));
        } else {
            Payload.fillPart(claim.pixels(), claim.sequence(), DOOMED_HALF, claim.pixels().byteSize() / 16);
        }
        if (!compareAndSetLong(header, LOCK_OWNER_OFFSET, me, dead)) {
            o.get("doom.not-holding").add("lock owner " + Long.toHexString(lockOwner(ring)));
            return;
        }
        compareAndSetLong(header, writerTokenOffset(attached.entry()), me, dead);
        o.get("doom.holding").add();
        if (storeSequence) {
            dying.stored().incrementAndGet();
        }
        awaitTakeover(ring, dead, dying.takers(), o);
    }

    private static long[] writerEntries(MemorySegment header) {
        long[] entries = new long[MAX_WRITERS];
        for (int entry = 0; entry < MAX_WRITERS; entry++) {
            entries[entry] = getLongAcquire(header, writerTokenOffset(entry));
        }
        return entries;
    }

    /** Victim {@code k}: id {@code FIRST_VICTIM + k}, the modes in turn. */
    private static ChildJvm startVictim(String name, int k) {
        return ChildJvm.start(VictimMain.class, name, Long.toString(FIRST_VICTIM + k), MODES[k % MODES.length]);
    }

    private static void check(String who, Seen seen, long head, long[] published, List<Victim> victims, long doomedStored,
                              Outcomes o) {
        if (seen.total() == head) {
            o.get("read.every-frame").add();
        } else {
            o.get("read.missed").add(who + ": " + seen.total() + " intact frames of " + head);
        }
        for (int id = 1; id <= SURVIVORS; id++) {
            if (seen.perWriter()[id] == published[id]) {
                o.get("count.match").add();
            } else {
                o.get("count.mismatch").add(who + ": writer " + id + " published " + published[id] + ", seen " + seen.perWriter()[id]);
            }
        }
        if (seen.perWriter()[(int) DOOMED_HALF] != 0) {
            o.get("victim.half-frame-published").add(who + ": doomed writers' half frames seen " + seen.perWriter()[(int) DOOMED_HALF]);
        }
        if (seen.perWriter()[(int) DOOMED_STORED] == doomedStored) {
            o.get("victim.finished-once").add(doomedStored);
        } else {
            o.get("victim.finished-not-once").add(who + ": " + doomedStored + " doomed writers stored their sequence, "
                    + seen.perWriter()[(int) DOOMED_STORED] + " such frames seen");
        }
        for (Victim victim : victims) {
            long frames = seen.perWriter()[(int) victim.id()];
            if (victim.mode().equals("hold") && frames != 0) {
                o.get("victim.half-frame-published").add(who + ": victim " + victim.id() + " seen " + frames + " times");
            } else if (victim.mode().equals("sequence-stored")) {
                if (frames == 1) {
                    o.get("victim.finished-once").add();
                } else {
                    o.get("victim.finished-not-once").add(who + ": victim " + victim.id() + " seen " + frames + " times");
                }
            }
        }
    }

    /** The child process: survivor writers (ids 4, 5) and an every-mode reader. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            ParentCommands.listen();
            Outcomes outcomes = outcomes();
            Seen seen;
            long[] published = new long[MAX_ID];
            long takeovers = 0;
            try (SharedRing ring = SharedRing.open(args[0], true);
                 Actors writers = new Actors();
                 Actors readers = new Actors()) {
                RingReader reader = ring.attachReader(ReadMode.EVERY);
                Survived[] survived = new Survived[SURVIVORS + 1];
                AtomicBoolean writersDone = new AtomicBoolean();
                AtomicReference<Seen> seenHere = new AtomicReference<>();
                System.out.println("READY");
                ParentCommands.await("GO");
                readers.start("reader", () -> seenHere.set(read(reader, writersDone::get, outcomes)));
                BooleanSupplier writing = () -> !ParentCommands.received("STOP");
                for (int id = PARENT_SURVIVORS + 1; id <= SURVIVORS; id++) {
                    int writerId = id;
                    writers.start("writer-" + id, () -> survived[writerId] = survive(ring, writerId, writing, null, outcomes));
                }
                ParentCommands.await("STOP");
                writers.joinAll(Duration.ofSeconds(60));
                System.out.println("WRITERS-STOPPED");
                ParentCommands.await("DRAIN"); // the parent's writers have stopped too: HEAD is final
                writersDone.set(true);
                readers.joinAll(Duration.ofSeconds(60));
                seen = seenHere.get();
                for (int id = PARENT_SURVIVORS + 1; id <= SURVIVORS; id++) {
                    published[id] = survived[id].published();
                    takeovers += survived[id].takeovers();
                }
            }
            outcomes.printForParent(System.out);
            System.out.println("DATA takeovers " + takeovers);
            for (int id = 0; id < MAX_ID; id++) {
                if (published[id] != 0) {
                    System.out.println("DATA published." + id + " " + published[id]);
                }
                if (seen.perWriter()[id] != 0) {
                    System.out.println("DATA seen." + id + " " + seen.perWriter()[id]);
                }
            }
        }
    }

    /** A victim writer process: {@code NAME ID MODE}; attaches, prints READY, and on GO does its MODE. */
    public static final class VictimMain {
        public static void main(String[] args) throws Exception {
            ParentCommands.listen();
            long id = Long.parseLong(args[1]);
            SharedRing ring = SharedRing.open(args[0], true);
            RingWriter writer = ring.writer(OverflowPolicy.drop());
            System.out.println("READY");
            ParentCommands.await("GO");
            switch (args[2]) {
                case "hold" -> {
                    FrameClaim claim = claimSome(writer);
                    Payload.fillPart(claim.pixels(), claim.sequence(), id, claim.pixels().byteSize() / 16);
                    System.out.println("HOLDING " + claim.sequence() + " " + writer.lockTakeovers());
                }
                case "sequence-stored" -> {
                    FrameClaim claim = claimSome(writer);
                    Payload.fill(claim.pixels(), claim.sequence(), id);
                    storeSequenceButNotHead(ring, claim, Payload.mark(claim.sequence(), id));
                    System.out.println("HOLDING " + claim.sequence() + " " + writer.lockTakeovers());
                }
                case "random" -> {
                    for (long frames = 0; ; frames++) {
                        FrameClaim claim = claimSome(writer);
                        Payload.fill(claim.pixels(), claim.sequence(), id);
                        Thread.yield(); // inside the claim: the stop is likelier to find it holding the lock
                        claim.checksum(Payload.mark(claim.sequence(), id)).publish();
                        if (frames == 0) {
                            System.out.println("WRITING");
                        }
                    }
                }
                default -> throw new IllegalArgumentException(args[2]);
            }
            ParentCommands.await("EXIT"); // never sent: it is killed
        }

        /** Claims until the ring has room (drop policy: a full ring returns no slot). */
        private static FrameClaim claimSome(RingWriter writer) {
            FrameClaim claim = writer.claim();
            while (claim == null) {
                Thread.onSpinWait();
                claim = writer.claim();
            }
            return claim;
        }

        /** Steps 9 and 10 of publishing (docs/ring-layout.md §8), not 11 (HEAD) or 12 (unlock). */
        static void storeSequenceButNotHead(SharedRing ring, FrameClaim claim, long checksum) {
            MemorySegment header = ring.header();
            long descriptor = descriptorOffset(claim.slot());
            RingGeometry geometry = ring.geometry();
            putIntOpaque(header, descriptor + DESCRIPTOR_WIDTH_OFFSET, geometry.width());
            putIntOpaque(header, descriptor + DESCRIPTOR_HEIGHT_OFFSET, geometry.height());
            putIntOpaque(header, descriptor + DESCRIPTOR_ROW_STRIDE_OFFSET, geometry.rowStride());
            putLongOpaque(header, descriptor + DESCRIPTOR_CHECKSUM_OFFSET, checksum);
            putLongOpaque(header, descriptor + DESCRIPTOR_PUBLISH_NANOS_OFFSET, System.nanoTime());
            putLongRelease(header, descriptor + DESCRIPTOR_SEQUENCE_OFFSET, claim.sequence());
        }
    }

    /** An every-mode reader from the first frame on, until the writers are done and it has caught up. */
    static Seen read(RingReader reader, BooleanSupplier writersDone, Outcomes o) {
        long[] perWriter = new long[MAX_ID];
        Outcomes.Outcome inOrder = o.get("read.in-order");
        long expected = reader.tail();
        while (true) {
            Frame frame = reader.poll(10_000_000L, WaitStrategy.yielding());
            if (frame == null) {
                if (writersDone.getAsBoolean() && reader.caughtUp()) {
                    return new Seen(perWriter);
                }
                continue;
            }
            long sequence = frame.sequence();
            if (sequence != expected) {
                o.get("read.gap").add("got " + sequence + ", expected " + expected);
            }
            expected = sequence + 1;
            long id = Payload.writer(frame.pixels());
            boolean whole = Payload.whole(frame.pixels(), sequence, id) && frame.checksum() == Payload.mark(sequence, id);
            if (!reader.release()) {
                o.get("read.torn").add("frame " + sequence);
            } else if (!whole) {
                o.get("read.garbled").add("frame " + sequence + " word1=" + id);
            } else if (id <= 0 || id >= MAX_ID || (id > DOOMED_STORED && id < FIRST_VICTIM)) {
                o.get("read.unknown-writer").add("frame " + sequence + " writer " + id);
            } else {
                perWriter[(int) id]++;
                inOrder.add();
            }
        }
    }
}
