package org.mmemu.scenario.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mmemu.core.emu.Finding;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.RunResult;
import org.mmemu.engine.Schedule;
import org.mmemu.engine.StopRule;
import org.mmemu.scenario.EngineSettings;
import org.mmemu.scenario.Scenario;

/**
 * The fit check never refuses what the engine itself prints: every finding's schedule of a real
 * search (interrupts and the rows after them included) passes both halves of the check; and it
 * refuses what does not fit, saying which token.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ScheduleFitTest {
    private static final Scenarios SCENARIOS = Scenarios.standard();

    private static ScenarioProgram program(String name, String protocol) {
        return new ScenarioProgram(SCENARIOS.resolve(name), protocol, KernelWiring.standard());
    }

    @ParameterizedTest(name = "{0} under {1}")
    @CsvSource({"seed-race, mm1", "seed-race, count-one", "seed-race, pre-fix", "seed-race-short-interrupt, no-tests",
        "count-one-two-releases, count-one"})
    void everyScheduleTheSearchPrintsFits(String name, String protocol) {
        ScenarioProgram p = program(name, protocol);
        Scenario s = p.scenario();
        EngineSettings settings = s.engine().overriddenBy(new EngineSettings(null, null, null, null, null, null,
                Duration.ofSeconds(20), null)).withDefaults();
        Exploration e = Engines.controlled(StopRule.never(), Shard.WHOLE).explore(p, settings, Progress.silent());
        assertThat(e.findings()).as(name + " " + protocol).isNotEmpty();
        for (Finding f : e.findings()) {
            Schedule parsed = ScheduleFit.check(f.schedule(), p, settings.delays());
            RunResult r = Traces.replay(p, f.schedule(), ExploreOptions.defaults());
            ScheduleFit.checkRun(parsed, f.schedule(), r);
            assertThat(r.findings()).extracting(Finding::kind).contains(f.kind());
        }
    }

    @Test
    void rowsAfterAnInterruptAreTheInterruptedCpusTurns() {
        ScenarioProgram p = program("seed-race", "count-one");
        String s = "irq:1x13,d4,i0,0x340";
        ScheduleFit.checkRun(ScheduleFit.check(s, p, "irq"), s, Traces.replay(p, s, ExploreOptions.defaults()));
    }

    @Test
    void whatDoesNotFitIsRefusedWithItsToken() {
        ScenarioProgram p = program("seed-race", "mm1");
        assertThatThrownBy(() -> ScheduleFit.check("any:0", p, "irq")).hasMessageContaining("'any' delay model");
        assertThatThrownBy(() -> ScheduleFit.check("irq:2", p, "irq")).hasMessageContaining("token 1 ('2')")
                .hasMessageContaining("names cpu2");
        assertThatThrownBy(() -> ScheduleFit.check("irq:i1", p, "irq")).hasMessageContaining("names interrupt 1");
        String late = "irq:d3,i0,d2,i0";
        assertThatThrownBy(() -> ScheduleFit.check(late, p, "irq")).hasMessageContaining("its max is 1");
        // the file's steps: 400 is the handler's length: a schedule may not shorten it
        assertThatThrownBy(() -> ScheduleFit.check("irq:d3,i0/3", p, "irq"))
                .hasMessageContaining("token 2 ('i0/3')").hasMessageContaining("its length is fixed: steps: 400");
        assertThat(ScheduleFit.check("irq:d3,i0/400", p, "irq").tokens()).hasSize(2);
        String tooLong = "irq:d3000";
        assertThatThrownBy(() -> ScheduleFit.checkRun(ScheduleFit.check(tooLong, p, "irq"), tooLong,
                Traces.replay(p, tooLong, ExploreOptions.defaults()))).hasMessageContaining("before the schedule did");
        String finished = "irq:0x2000";
        assertThatThrownBy(() -> ScheduleFit.checkRun(ScheduleFit.check(finished, p, "irq"), finished,
                Traces.replay(p, finished, ExploreOptions.defaults()))).hasMessageContaining("cpu0 had finished");
    }
}
