package org.mmemu.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mmemu.core.emu.Finding;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.ExploreResult;
import org.mmemu.engine.StopRule;
import org.mmemu.engine.control.Explorer;
import org.mmemu.lru.protocol.ProtocolRegistry;
import org.mmemu.scenario.EngineSettings;
import org.mmemu.scenario.Scenario;
import org.mmemu.scenario.Shipped;
import org.mmemu.scenario.run.Engines;
import org.mmemu.scenario.run.KernelWiring;
import org.mmemu.scenario.run.ScenarioProgram;
import org.mmemu.scenario.run.Scenarios;

/**
 * State merging on the shipped scenarios (docs/ARCHITECTURE.md §3): on every shipped {@code irq}
 * scenario, under its own protocol, the merged search at preemption bound 0 finds the same
 * finding classes (kind and site) as the plain one ({@code --no-merge}), and both cover the space;
 * and the merged search of the seed race at bound 0 gives the same classes and coverage with one
 * explorer thread as with two, whose visited set is shared.
 */
class IrqMergingScenariosTest {
    static List<String> irqScenarios() {
        return Shipped.names().stream()
                .filter(n -> "irq".equals(Scenarios.standard().resolve(n).engine().withDefaults().delays()))
                .toList();
    }

    private static ScenarioProgram program(String name) {
        Scenario s = Scenarios.standard().resolve(name);
        String protocol = s.machine().protocol() != null ? s.machine().protocol() : ProtocolRegistry.DEFAULT;
        return new ScenarioProgram(s, protocol, KernelWiring.standard());
    }

    private static ExploreOptions options(String name, int bound) {
        EngineSettings settings = Scenarios.standard().resolve(name).engine().withDefaults();
        return Engines.options(settings).withPolicy("exhaustive").withPreemptionBound(bound).withShrink(false)
                .withMaxSchedules(5_000_000).withTimeLimit(Duration.ofMinutes(2));
    }

    private static Set<String> classes(ExploreResult r) {
        Set<String> c = new TreeSet<>();
        for (Finding f : r.findings()) {
            c.add(ExploreResult.classOf(f));
        }
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("irqScenarios")
    void mergedFindsWhatPlainFindsAtBoundZero(String name) {
        ExploreOptions o = options(name, 0);
        ExploreResult plain = Explorer.search(program(name), o.withMerge(false), StopRule.never());
        Assumptions.assumeTrue(plain.complete(), name + ": the plain search is not complete at bound 0");
        ExploreResult merged = Explorer.search(program(name), o, StopRule.never());
        assertThat(merged.complete()).as(name).isTrue();
        assertThat(classes(merged)).as(name).isEqualTo(classes(plain));
        assertThat(merged.stats().distinctStates()).as(name + ": states recorded").isPositive();
    }

    @Test
    void threadsDoNotChangeWhatIsFound() {
        ExploreOptions o = options("seed-race", 0);
        ExploreResult one = Explorer.explore(program("seed-race"), o.withThreads(1), StopRule.never());
        ExploreResult two = Explorer.explore(program("seed-race"), o.withThreads(2), StopRule.never());
        assertThat(one.complete()).isTrue();
        assertThat(two.complete()).isTrue();
        assertThat(classes(two)).isEqualTo(classes(one)).isNotEmpty();
    }
}
