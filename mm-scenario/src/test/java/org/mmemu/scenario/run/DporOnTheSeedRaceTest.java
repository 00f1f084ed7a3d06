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
 * {@code dpor} on the shipped seed race and its three-CPU variant under {@code anywhere} delays,
 * with no preemption bound: each clean protocol is clean on every Mazurkiewicz trace and the
 * search says it covered them; each broken one shows the double free. And within a preemption
 * bound dpor agrees with {@code exhaustive} on the kinds of finding (bounded, dpor backtracks
 * conservatively and runs more executions than exhaustive with its sleep sets; the counts are
 * printed).
 */
class DporOnTheSeedRaceTest {
    private static ExploreOptions dpor() {
        return ExploreOptions.defaults().withPolicy("dpor").withDelays(DelayModel.ANYWHERE).withPreemptionBound(-1)
                .withMaxSchedules(200_000).withTimeLimit(Duration.ofSeconds(100)).withShrink(false);
    }

    private static ExploreResult explore(String scenario, String protocol, ExploreOptions o) {
        Scenario s = Scenarios.standard().resolve(scenario);
        return Explorer.explore(new ScenarioProgram(s, protocol, KernelWiring.standard()), o);
    }

    @ParameterizedTest(name = "{1} on {0}")
    @CsvSource({
        "seed-race, always-lock", "seed-race, dec-and-lock", "seed-race, testone", "seed-race, unless-zero",
        "seed-race-three-cpus, always-lock", "seed-race-three-cpus, dec-and-lock",
        "seed-race-three-cpus, testone", "seed-race-three-cpus, unless-zero"})
    void aCleanProtocolIsCleanOnEveryTrace(String scenario, String protocol) {
        ExploreResult r = explore(scenario, protocol, dpor());
        System.out.println(scenario + " [" + protocol + "] dpor: " + r.schedules() + " executions, " + r.steps()
                + " steps");
        assertThat(r.complete()).as("covered").isTrue();
        assertThat(r.countsByKind()).isEmpty();
    }

    @ParameterizedTest(name = "{1} on {0}")
    @CsvSource({"seed-race, pre-fix", "seed-race, mm1", "seed-race-three-cpus, pre-fix",
        "seed-race-three-cpus, mm1"})
    void aBrokenProtocolFreesTwice(String scenario, String protocol) {
        ExploreResult r = explore(scenario, protocol, dpor().withStopAtFirst(true));
        assertThat(r.countsByKind()).containsKey(FindingKind.DOUBLE_FREE);
    }

    @ParameterizedTest(name = "{0}, preemption bound {1}")
    @CsvSource({"mm1, 1", "dec-and-lock, 1", "unless-zero, 2", "always-lock, 1"})
    void dporAgreesWithExhaustiveWithinABound(String protocol, int bound) {
        ExploreOptions o = dpor().withPreemptionBound(bound).withStopAtFirst(false);
        ExploreResult d = explore("seed-race-three-cpus", protocol, o);
        ExploreResult x = explore("seed-race-three-cpus", protocol, o.withPolicy("exhaustive"));
        System.out.println(protocol + " bound " + bound + ": dpor " + d.schedules() + ", exhaustive "
                + x.schedules() + " executions");
        assertThat(d.complete()).isTrue();
        assertThat(x.complete()).isTrue();
        assertThat(d.kinds()).isEqualTo(x.kinds());
    }
}
