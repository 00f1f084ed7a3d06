package org.mmemu.odds.exact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmemu.odds.HandlerDuration;
import org.mmemu.odds.TimingProfile;
import org.mmemu.scenario.run.ScenarioProgram;

/**
 * The cut-off bound covers the offsets where the CPUs do not meet without an interrupt
 * ({@code MoreArrivals.apart}): there, handlers on the CPU that runs first can still delay it into the
 * other, and the upper end must hold their expected time, λ·T·(E[D] + ½). With interrupts only on
 * reclaim's CPU, rare (μ ≈ 0.03 over its scan) and long (10⁶ cycles), E[H] is tens of thousands of
 * cycles; the no-interrupt sweep, which adds it, must hold it (the one-interrupt sweep adds the runs
 * with more interrupts where the CPUs meet, which this test does not run).
 */
class FarOffsetBoundTest {
    @Test
    void theUpperEndHoldsTheHandlerTimeOfTheCpuThatRunsFirst() {
        ScenarioProgram mm1 = OddsFixtures.program("seed-race", "mm1");
        HandlerDuration longOne = new HandlerDuration.Fixed(1_000_000);
        double rate = 500; // per second, on cpu1 only
        TimingProfile profile = new TimingProfile("far", "reclaim's CPU interrupted, rarely and long",
                OddsFixtures.CLOCK, 2, OddsFixtures.COSTS, null,
                List.of(new TimingProfile.InterruptSource("irq1", List.of(1), rate, longOne)),
                new TimingProfile.Workload(20_000, 20_000, 450_000, 0.0625, 0.5));
        SweepSetup setup = new SweepSetup(mm1, 2, profile.costs().costTable(), 0, 0, profile,
                System.nanoTime() + 60_000_000_000L, 100_000);
        SweepTotals totals = new Sweep(setup).runNoInterrupt();
        assertThat(totals.timedOut).isFalse();
        // far above the last edge cpu0 starts after reclaim has run: reclaim runs first, alone
        TimedRun.Result alone = TimedRun.run(mm1, 2, profile.costs().costTable(), 0, 1e12 + 0.5, 0,
                TimedRun.Plan.NONE, 100_000);
        double exposure = alone.exposure()[1].c();
        assertThat(exposure).as("reclaim's own time").isGreaterThan(10_000);
        double handlerTime = rate / OddsFixtures.CLOCK * exposure * (1_000_000 + TimedRun.ENTRY);
        assertThat(totals.moreArrivals.value().hi()).isGreaterThanOrEqualTo(handlerTime * (1 - 1e-9));
        assertThat(handlerTime).as("E[H] dwarfs the rest of the bound").isGreaterThan(10_000);
    }
}
