package dev.nanobroker.bench;

import dev.nanobroker.bench.BenchCases.Case;
import dev.nanobroker.bench.BenchCases.CaseFiles;
import dev.nanobroker.bench.BenchCases.Child;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class BenchCasesTest {

    @ParameterizedTest(name = "quick = {0}")
    @ValueSource(booleans = {true, false})
    void everyChildOfEveryCaseReadsItsArgumentsBackFromItsCommandLine(boolean quick) {
        CaseFiles files = CaseFiles.numbered("nbbench-test-", 1);
        Set<String> keys = new HashSet<>();
        for (Case c : BenchCases.all(quick)) {
            assertTrue(keys.add(c.key()), "one case per key: " + c.key());
            assertTrue(BenchCases.GROUPS.contains(c.group()), c.key() + " is in a known group");
            List<Child> children = c.children().apply(files);
            assertTrue(children.stream().anyMatch(Child::reports), c.key() + " has a child that reports");
            for (Child child : children) {
                Record program = child.program();
                List<String> words = RoleArguments.format(program);
                assertEquals(program, RoleArguments.parse(program.getClass(), RoleArguments.split(words)), c.key());
                if (program instanceof Role role) {
                    List<String> arguments = BenchChild.arguments(role, files.control(), 40);
                    assertEquals(List.of(BenchChild.name(role), "ctl=" + files.control(), "timeout=40"), arguments.subList(0, 3));
                    assertEquals(words, arguments.subList(3, arguments.size()));
                }
            }
        }
    }

    @ParameterizedTest(name = "quick = {0}")
    @ValueSource(booleans = {true, false})
    void thePingPongGroupRunsBothEndsOfEachTransportWithTheSameRoundTripsThroughTheirOwnFiles(boolean quick) {
        CaseFiles files = CaseFiles.numbered("nbbench-test-", 1);
        List<Case> pingPong = BenchCases.all(quick).stream().filter(c -> c.group().equals("pingpong")).toList();
        assertEquals(List.of("pingpong_floor", "pingpong_ring_64b", "pingpong_agrona_64b", "pingpong_ring_1080p"),
                pingPong.stream().map(Case::key).toList());
        long warmup = quick ? 50_000 : 200_000;
        long count = quick ? 200_000 : 1_000_000;
        List<List<Record>> programs = pingPong.stream()
                .map(c -> c.children().apply(files).stream().map(Child::program).toList()).toList();
        assertEquals(List.of(
                List.of(new FloorRoles.Pong(warmup, count), new FloorRoles.Ping(warmup, count)),
                List.of(new PingPongRoles.RingResponder(files.ring(), files.replyRing(), 16, 1, 1024, warmup, count),
                        new PingPongRoles.RingInitiator(files.ring(), files.replyRing(), 16, 1, 1024, warmup, count)),
                List.of(new PingPongRoles.AgronaResponder(files.agrona(), files.replyAgrona(), warmup, count),
                        new PingPongRoles.AgronaInitiator(files.agrona(), files.replyAgrona(), warmup, count)),
                List.of(new PingPongRoles.RingResponder(files.ring(), files.replyRing(), 1920, 1080, 4, warmup, count),
                        new PingPongRoles.RingInitiator(files.ring(), files.replyRing(), 1920, 1080, 4, warmup, count))),
                programs);
        for (Case c : pingPong) {
            assertEquals(List.of(false, true), c.children().apply(files).stream().map(Child::reports).toList(),
                    c.key() + ": only the initiator reports");
        }
        assertTrue(files.paths().containsAll(List.of(Path.of("/dev/shm", files.replyRing()), Path.of(files.replyAgrona()))),
                "the ways back are removed after each run");
        assertNotEquals(files.ring(), files.replyRing());
        assertNotEquals(files.agrona(), files.replyAgrona());
    }

    @Test
    void aRingPingPongRoleReadsItsArgumentsBackUnderItsOwnName() {
        PingPongRoles.RingInitiator initiator = new PingPongRoles.RingInitiator("a", "b", 1920, 1080, 4, 5, 7);
        assertEquals(List.of("pingpong-ring-initiator", "ctl=/dev/shm/c", "timeout=40", "ring=a", "reply_ring=b", "width=1920",
                "height=1080", "slots=4", "warmup=5", "count=7"), BenchChild.arguments(initiator, Path.of("/dev/shm/c"), 40));
        assertEquals(initiator, RoleArguments.parse(PingPongRoles.RingInitiator.class,
                RoleArguments.split(RoleArguments.format(initiator))));
        assertEquals(List.of("file=x", "reply_file=y", "warmup=5", "count=7"),
                RoleArguments.format(new PingPongRoles.AgronaResponder("x", "y", 5, 7)));
    }

    @Test
    void argumentsAreWrittenInSnakeCaseAndEnumsInLowerCase() {
        assertEquals(List.of("transport=pipe", "address=/dev/shm/p", "size=64", "warmup=2", "count=5"),
                RoleArguments.format(new StreamRoles.Receiver(StreamRoles.Transport.PIPE, "/dev/shm/p", 64, 2, 5)));
        assertEquals(List.of("ring=r", "receivers=4", "fill=false", "slots=8", "warmup_ms=200", "measure_ms=700"),
                RoleArguments.format(new ThroughputRoles.Writer("r", 4, false, 8, 200, 700)));
        assertEquals(List.of("ring=r", "strategy=futex", "warmup=1000", "settle_ms=500", "measure_ms=1500"),
                RoleArguments.format(new WaitRoles.IdleReader("r", WaitRoles.Wait.FUTEX, 1000, 500, 1500)));
    }

    @Test
    void theWaitGroupMeasuresEveryWaitReceivingAndTheSleepingWaitsIdle() {
        for (boolean quick : new boolean[] {true, false}) {
            List<String> keys = BenchCases.all(quick).stream().filter(c -> c.group().equals("wait")).map(Case::key).toList();
            assertTrue(keys.containsAll(List.of("wait_futex", "wait_backoff", "wait_yield", "wait_spin",
                    "wait_futex_idle", "wait_backoff_idle")), keys.toString());
            assertEquals(!quick, keys.containsAll(List.of("wait_yield_idle", "wait_spin_idle")), keys.toString());
        }
    }

    @Test
    void aMissingAnUnknownOrABadArgumentIsAnError() {
        Map<String, String> missing = RoleArguments.split(List.of("warmup=1"));
        assertEquals("missing argument count",
                assertThrows(IllegalArgumentException.class, () -> RoleArguments.parse(FloorRoles.Ping.class, missing)).getMessage());
        Map<String, String> unknown = RoleArguments.split(List.of("warmup=1", "count=2", "gap=3"));
        assertEquals("unknown arguments [gap]",
                assertThrows(IllegalArgumentException.class, () -> RoleArguments.parse(FloorRoles.Ping.class, unknown)).getMessage());
        Map<String, String> bad = RoleArguments.split(List.of("ring=r", "receivers=1", "fill=yes", "slots=8", "warmup_ms=1", "measure_ms=1"));
        assertThrows(IllegalArgumentException.class, () -> RoleArguments.parse(ThroughputRoles.Writer.class, bad));
    }
}
