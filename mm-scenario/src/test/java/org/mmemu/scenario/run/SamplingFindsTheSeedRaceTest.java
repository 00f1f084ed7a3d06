package org.mmemu.scenario.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.engine.DelayModel;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.ExploreResult;
import org.mmemu.engine.control.Explorer;
import org.mmemu.scenario.Scenario;

/**
 * The randomized policies find mm1's double free on the shipped seed race ({@code delays: irq},
 * preemption bound 0 as the file says, and the default bound 2) within 20,000 schedules, for
 * seeds 1 to 5, stopping at the first finding: PCT at depth 3 (its change points include the
 * interrupt's arrival) and POS. Each line prints how many schedules it took.
 */
class SamplingFindsTheSeedRaceTest {
    private static final int BUDGET = 20_000;

    @ParameterizedTest(name = "{0}, preemption bound {1}")
    @CsvSource({"pct, 0", "pct, 2", "pos, 0"})
    void findsTheDoubleFreeForSeedsOneToFive(String policy, int bound) {
        Scenario s = Scenarios.standard().resolve("seed-race");
        for (long seed = 1; seed <= 5; seed++) {
            ScenarioProgram program = new ScenarioProgram(s, "mm1", KernelWiring.standard());
            ExploreOptions o = ExploreOptions.defaults().withPolicy(policy).withPctDepth(3).withSeed(seed)
                    .withPreemptionBound(bound).withDelays(DelayModel.IRQ).withMaxSchedules(BUDGET)
                    .withStopAtFirst(true).withShrink(false).withTimeLimit(Duration.ofSeconds(60));
            ExploreResult r = Explorer.explore(program, o);
            System.out.println(policy + " bound " + bound + " seed " + seed + ": first double free after "
                    + r.schedules() + " schedules");
            assertThat(r.countsByKind()).as("%s, seed %d", policy, seed).containsKey(FindingKind.DOUBLE_FREE);
        }
    }
}
