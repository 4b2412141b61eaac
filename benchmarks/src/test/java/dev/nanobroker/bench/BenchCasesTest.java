package dev.nanobroker.bench;

import dev.nanobroker.bench.BenchCases.Case;
import dev.nanobroker.bench.BenchCases.CaseFiles;
import dev.nanobroker.bench.BenchCases.Child;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
