package org.mmemu.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.engine.DelayModel;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.ExploreResult;
import org.mmemu.engine.StopRule;
import org.mmemu.engine.control.Explorer;
import org.mmemu.lru.protocol.ProtocolRegistry;
import org.mmemu.scenario.Scenario;
import org.mmemu.scenario.ops.BadInput;
import org.mmemu.scenario.run.Engines;
import org.mmemu.scenario.run.KernelWiring;
import org.mmemu.scenario.run.ScenarioProgram;
import org.mmemu.scenario.run.Scenarios;

/**
 * The claim the {@code irq} search's interleaving check stands on (docs/ARCHITECTURE.md §3,
 * "Interleavings first"): every {@code irq} schedule is an interleaving, so what the {@code irq}
 * search finds, the complete {@code dpor} search of every interleaving finds too. Checked on every
 * shipped {@code irq} scenario under its own protocol and the ones that differ most (a buggy one,
 * count-one's leak, and the fixes), at bound 0 with the state merging the other tests check
 * against the plain search; and where {@code dpor} finds nothing, {@link Explorer#explore} answers
 * with it: complete, policy {@code dpor}, no bound.
 */
class InterleavingCheckTest {
    static Stream<Arguments> pairs() {
        List<Arguments> l = new ArrayList<>();
        for (String s : IrqMergingScenariosTest.irqScenarios()) {
            Scenario sc = Scenarios.standard().resolve(s);
            String own = sc.machine().protocol() != null ? sc.machine().protocol() : ProtocolRegistry.DEFAULT;
            for (String p : new java.util.LinkedHashSet<>(List.of(own, "mm1", "count-one", "always-lock", "testone"))) {
                l.add(Arguments.of(s, p));
            }
        }
        return l.stream();
    }

    @ParameterizedTest(name = "{0} x {1}")
    @MethodSource("pairs")
    void whatTheIrqSearchFindsSomeInterleavingHas(String name, String protocol) {
        Scenario s = Scenarios.standard().resolve(name);
        ScenarioProgram program = new ScenarioProgram(s, protocol, KernelWiring.standard());
        ExploreOptions irq = Engines.options(s.engine().withDefaults()).withPolicy("exhaustive")
                .withPreemptionBound(0).withShrink(false).withMaxSchedules(5_000_000)
                .withTimeLimit(Duration.ofMinutes(2));
        ExploreOptions any = irq.withDelays(DelayModel.ANYWHERE).withPolicy("dpor").withPreemptionBound(-1);
        ExploreResult interleavings;
        ExploreResult timed;
        try {
            interleavings = Explorer.search(program, any, StopRule.never());
            timed = Explorer.search(program, irq, StopRule.never());
        } catch (RuntimeException thrown) {
            Assumptions.assumeTrue(BadInput.in(thrown).isEmpty(), "the wiring refuses this protocol here");
            throw thrown;
        }
        assertThat(timed.complete()).as("irq complete at bound 0").isTrue();
        assertThat(interleavings.complete()).as("dpor complete").isTrue();
        Set<FindingKind> found = timed.kinds();
        assertThat(interleavings.kinds()).as(name + " x " + protocol + ": the interleavings' kinds")
                .containsAll(found);
        if (interleavings.kinds().isEmpty() && interleavings.warningCounts().isEmpty()) {
            ExploreResult answered = Explorer.explore(program, irq, StopRule.never());
            assertThat(answered.complete()).isTrue();
            assertThat(answered.stats().policy()).isEqualTo("dpor");
            assertThat(answered.preemptionBound()).as("no bound cut it").isNegative();
            assertThat(answered.schedules()).isEqualTo(interleavings.schedules());
        }
    }
}
