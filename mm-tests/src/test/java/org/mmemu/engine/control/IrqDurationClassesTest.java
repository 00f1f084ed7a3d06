package org.mmemu.engine.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.engine.DelayModel;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.ExploreResult;
import org.mmemu.engine.InterruptSpec;
import org.mmemu.engine.Program;
import org.mmemu.scenario.EngineSettings;
import org.mmemu.scenario.InterruptDecl;
import org.mmemu.scenario.Scenario;
import org.mmemu.scenario.run.KernelWiring;
import org.mmemu.scenario.run.ScenarioProgram;
import org.mmemu.scenario.run.Scenarios;

/**
 * The {@code irq} model's duration classes ({@link IrqScheduler}) against every length of a busy
 * handler offered at its arrival ({@link Explorer#exploreEveryDuration}): the same verdicts on
 * the seed race's footnote scenarios, and the same shortest interrupt that makes the double free.
 * (In package {@code org.mmemu.engine} to reach that package-private reference search; the
 * scenarios live in this module.)
 */
class IrqDurationClassesTest {
    /** Scenario interrupts busy their CPU for exactly N steps; here the engine explores lengths 1..N. */
    private static Program withBusyHandlersUpTo(String name, int cap) {
        Scenario s = Scenarios.standard().resolve(name);
        ScenarioProgram p = new ScenarioProgram(s, s.machine().protocol(), KernelWiring.standard());
        List<InterruptSpec> irqs = new ArrayList<>();
        for (InterruptDecl d : s.interrupts().values()) {
            assertThat(d.handler()).as("a busy interrupt").isEmpty();
            irqs.add(InterruptSpec.busy(d.cpu(), Math.min(cap, d.steps()), d.max()));
        }
        return p.withInterrupts(irqs);
    }

    private static ExploreOptions options(String name) {
        EngineSettings e = Scenarios.standard().resolve(name).engine().withDefaults();
        return ExploreOptions.defaults().withDelays(DelayModel.byId(e.delays())).withPreemptionBound(e.preemptionBound())
                .withSkew(e.skew()).withShrink(false).withTimeLimit(Duration.ofSeconds(100)).withThreads(2);
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void footnoteScenariosGiveTheSameVerdictsAsEveryDuration() {
        // handlers of up to 30 steps: past the 26 the seed race needs, short enough to enumerate
        for (String name : List.of("seed-race", "seed-race-short-interrupt", "seed-race-another-page",
                "seed-race-second-in-pagevec")) {
            Program p = withBusyHandlersUpTo(name, 30);
            ExploreResult classes = Explorer.search(p, options(name));
            ExploreResult every = Explorer.exploreEveryDuration(p, options(name));
            System.out.println(name + ": classes " + classes + "\n" + name + ": every length " + every);
            assertThat(classes.complete()).as(name).isTrue();
            assertThat(every.complete()).as(name).isTrue();
            assertThat(classes.countsByKind().keySet()).as(name).isEqualTo(every.countsByKind().keySet());
            assertThat(classes.schedules()).as(name).isLessThanOrEqualTo(every.schedules());
        }
    }

    private static boolean doubleFrees(int maxSteps, boolean classes) {
        Program p = withBusyHandlersUpTo("seed-race", maxSteps);
        ExploreOptions o = options("seed-race").withStopAtFirst(true);
        ExploreResult r = classes ? Explorer.search(p, o) : Explorer.exploreEveryDuration(p, o);
        boolean found = r.countsByKind().containsKey(FindingKind.DOUBLE_FREE);
        assertThat(found || r.complete()).as("a search that found nothing covered its space").isTrue();
        return found;
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theShortestInterruptThatDoubleFreesIsTheSame() {
        // start from the figure in docs/BENCHMARKS.md (26 steps) and walk to the threshold
        int t = 26;
        while (!doubleFrees(t, true)) {
            t++;
        }
        while (t > 1 && doubleFrees(t - 1, true)) {
            t--;
        }
        System.out.println("shortest interrupt that double-frees on seed-race (duration classes): " + t + " steps");
        assertThat(doubleFrees(t, false)).as("every length up to " + t).isTrue();
        assertThat(doubleFrees(t - 1, false)).as("every length up to " + (t - 1)).isFalse();
    }
}
