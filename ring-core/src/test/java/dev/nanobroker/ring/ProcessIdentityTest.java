package dev.nanobroker.ring;

import dev.nanobroker.ring.testing.ChildJvm;
import dev.nanobroker.ring.testing.HoldingReaderMain;
import dev.nanobroker.ring.testing.LivenessProbeMain;
import dev.nanobroker.ring.testing.TestFrames;
import dev.nanobroker.ring.testing.TestRings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * docs/ring-layout.md §7: a process is dead only when the OS says so (kill answers ESRCH, or /proc shows
 * a zombie or another start time); a /proc entry that cannot be read or decoded never makes it dead.
 */
class ProcessIdentityTest {

    private static final Duration STARTUP = Duration.ofSeconds(30);

    private final TestRings rings = new TestRings();

    @AfterEach
    void removeRings() throws Exception {
        rings.close();
    }

    @Test
    void statIsDecodedFromBytesAfterTheLastParenthesis() {
        byte[] name = "1234 (kamera-\u00fc) x (y) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 424242 20\n"
                .getBytes(StandardCharsets.UTF_8);
        ProcessIdentity.ProcStat stat = ProcessIdentity.ProcStat.parse(name);
        assertEquals('S', stat.state());
        assertEquals(424242, stat.startTime());
        byte[] invalidUtf8 = {'7', ' ', '(', (byte) 0xff, (byte) 0xc3, ')', ' ', 'Z', ' ', '1', ' ', '2', ' ', '3', ' ', '4', ' ',
                '5', ' ', '6', ' ', '7', ' ', '8', ' ', '9', ' ', '1', '0', ' ', '1', '1', ' ', '1', '2', ' ', '1', '3', ' ', '1', '4',
                ' ', '1', '5', ' ', '1', '6', ' ', '1', '7', ' ', '1', '8', ' ', '9', '9', ' ', '2', '0'};
        ProcessIdentity.ProcStat zombie = ProcessIdentity.ProcStat.parse(invalidUtf8);
        assertEquals('Z', zombie.state());
        assertEquals(99, zombie.startTime());
        assertNull(ProcessIdentity.ProcStat.parse("12 (no closing parenthesis S 1 2".getBytes(StandardCharsets.UTF_8)));
        assertNull(ProcessIdentity.ProcStat.parse("12 (short) S 1 2".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void processesWithNonAsciiSpacesOrParenthesesInTheirNameAreAlive() throws Exception {
        for (String name : new String[] {"kamera-\u00fc", "a) b (c"}) {
            Process sleeper = new ProcessBuilder(ChildJvm.linkAs(name, Path.of("/bin/sleep")).toString(), "60").start();
            try {
                long token = awaitToken(sleeper.pid());
                assertTrue(ProcessIdentity.isAlive(token), name);
            } finally {
                sleeper.destroyForcibly().waitFor();
            }
        }
    }

    private static long awaitToken(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long token;
        while ((token = ProcessIdentity.tokenOf(pid)) == 0) {
            assertTrue(System.nanoTime() < deadline, "no token for live pid " + pid);
            Thread.sleep(1);
        }
        return token;
    }

    @Test
    void aBlockWriterNeverReclaimsTheLineOfALiveReaderWithANonAsciiName() throws Exception {
        String name = rings.newName("comm");
        int slots = 3;
        try (SharedRing ring = SharedRing.create(name, RingGeometry.of(32, 8, slots));
             ChildJvm holder = ChildJvm.startAs("kamera-\u00fc", HoldingReaderMain.class, name)) {
            RingWriter writer = ring.writer(OverflowPolicy.block(Duration.ofMillis(100)));
            holder.awaitLine(line -> line.startsWith("ATTACHED"), STARTUP);
            TestFrames.fill(writer.claim()).publish();
            holder.awaitLine(line -> line.equals("HOLDING 0"), STARTUP);
            for (int i = 1; i < slots; i++) {
                TestFrames.fill(writer.claim()).publish();
            }
            // Frame 0 is held: each claim waits 100 ms (past the 50 ms liveness check) and drops.
            for (int i = 0; i < 3; i++) {
                assertNull(writer.claim(), "frame 0 of a live reader must not be overwritten");
            }
            RingStatus.Reader line = ring.status().readers().stream().filter(RingStatus.Reader::attached).findFirst().orElseThrow();
            assertEquals(holder.pid(), line.pid());
            assertTrue(line.alive());
            assertEquals(0, line.tail());
            assertEquals(3, writer.producerDrops());
        }
    }

    @Test
    void aProcessOutOfFileDescriptorsStillSeesItsPeersAlive() throws Exception {
        try (ChildJvm probe = ChildJvm.startWithOpenFileLimit(256, LivenessProbeMain.class,
                Long.toString(ProcessIdentity.current()), "--exhaust-descriptors")) {
            probe.awaitLine(line -> line.startsWith("EXHAUSTED"), STARTUP);
            assertEquals("ALIVE true", probe.lastLine(STARTUP), probe.stderr());
        }
    }

    @Test
    void exitedZombieAndReusedPidTokensAreDead() throws Exception {
        Process exited = new ProcessBuilder("/bin/true").start();
        long exitedToken = awaitTokenOrZero(exited);
        exited.waitFor();
        assertFalse(ProcessIdentity.isAlive(exitedToken), "an exited process");

        // sh starts a child that exits a second later and becomes sleep, which never reaps it: a zombie.
        // (A child that exits before the exec may be reaped by the shell itself, and then no zombie is left.)
        Process parent = new ProcessBuilder("/bin/sh", "-c", "/bin/sleep 1 & echo $!; exec /bin/sleep 60").start();
        try (BufferedReader out = parent.inputReader()) {
            long zombiePid = Long.parseLong(out.readLine().trim());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            ProcessIdentity.ProcStat stat;
            while ((stat = ProcessIdentity.ProcStat.read(zombiePid)) == null || !stat.zombie()) {
                assertTrue(System.nanoTime() < deadline, "pid " + zombiePid + " never became a zombie");
                Thread.sleep(1);
            }
            long zombieToken = zombiePid << 32 | (stat.startTime() & 0xFFFF_FFFFL);
            assertTrue(ProcessIdentity.pidExists(zombiePid), "a zombie still has its pid");
            assertFalse(ProcessIdentity.isAlive(zombieToken), "a zombie counts as dead");
        } finally {
            parent.destroyForcibly().waitFor();
        }

        long live = ProcessIdentity.current();
        assertTrue(ProcessIdentity.isAlive(live));
        long reused = ProcessIdentity.tokenOf(ProcessHandle.current().pid()) ^ 1; // same pid, another start time
        assertFalse(ProcessIdentity.isAlive(reused), "a pid now used by another process");
        assertFalse(ProcessIdentity.isAlive(0));
    }

    /** The token of a process that may already have exited (0 then: a dead token is all we need). */
    private static long awaitTokenOrZero(Process process) {
        long token = ProcessIdentity.tokenOf(process.pid());
        return token != 0 ? token : process.pid() << 32 | 12345;
    }

    /**
     * /proc mounted with hidepid=2 hides other users' processes: a checker running as another user
     * finds no /proc entry for this process while kill(pid, 0) answers EPERM. Needs root (to mount
     * /proc in a private mount namespace and to become nobody).
     */
    @Test
    void aProcessHiddenByHidepidIsAliveForAnotherUser() throws Exception {
        assumeTrue(isRoot(), "needs root to mount /proc with hidepid in a mount namespace");
        String script = "unshare -m --propagation private sh -c 'mount -t proc -o hidepid=2 proc /proc"
                + " && exec setpriv --reuid=65534 --regid=65534 --clear-groups \"$0\" \"$@\"' \"$0\" \"$@\"";
        try (ChildJvm probe = ChildJvm.startThrough(script, LivenessProbeMain.class, Long.toString(ProcessIdentity.current()))) {
            int exit = probe.awaitExit(STARTUP);
            assumeTrue(probe.stdoutLines().contains("LOOKING"), "could not run the probe as nobody: " + probe.stderr());
            assertEquals(0, exit, probe.stderr());
            assertEquals("ALIVE true", probe.lastLine(STARTUP), probe.stderr());
        }
    }

    private static boolean isRoot() throws Exception {
        return Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0);
    }
}
