package org.mmemu.odds.exact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.mmemu.odds.TimingProfile;
import org.mmemu.scenario.run.ScenarioProgram;

/**
 * The sweep without interrupts counts each offset t once. Two runs of one class may tell boxes
 * that overlap (a box is sufficient, not necessary), so each class counts from its predecessor's
 * end; counting whole boxes had counted no-tests' kernel bug, lock leak and data race about three
 * times over one stretch of t (found by {@code odds --estimate}'s self-check). With no interrupt
 * sources W is the measure of the offsets at which the run finds the kind, and with every
 * breakpoint a whole cycle a run at each half cycle measures it exactly.
 */
class NoInterruptPartitionTest {
    @Test
    void withoutInterruptsWIsTheMeasureOfTheOffsetsThatFindTheKind() {
        ScenarioProgram noTests = OddsFixtures.program("seed-race", "no-tests");
        TimingProfile quiet = new TimingProfile("quiet", "no interrupts", OddsFixtures.CLOCK, 2, OddsFixtures.COSTS, null,
                List.of(), new TimingProfile.Workload(20_000, 20_000, 450_000, 0.0625, 0.5));
        double from = -2_000;
        double to = 2_000;
        SweepTotals tot = new Sweep(new SweepSetup(noTests, 2, quiet.costs().costTable(), 0, 0, quiet,
                System.nanoTime() + 60_000_000_000L, 100_000, from, to)).run();
        Map<String, Integer> measured = new TreeMap<>();
        for (double t = from + 0.5; t < to; t++) {
            TimedRun.run(noTests, 2, quiet.costs().costTable(), 0, t, 0.5, TimedRun.Plan.NONE, 100_000).run().findings()
                    .stream().map(f -> f.kind().id()).distinct().forEach(k -> measured.merge(k, 1, Integer::sum));
        }
        assertThat(measured).containsKeys("lock-leak", "kernel-bug", "double-free");
        assertThat(tot.windows.keySet()).isEqualTo(measured.keySet());
        measured.forEach((kind, cycles) -> assertThat(tot.windows.get(kind).value().contains(cycles)).as("%s: %s against %s",
                kind, tot.windows.get(kind).value(), cycles).isTrue());
    }
}
