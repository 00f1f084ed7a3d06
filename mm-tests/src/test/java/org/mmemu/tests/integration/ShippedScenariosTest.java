package org.mmemu.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mmemu.scenario.ops.BadInput;
import org.mmemu.scenario.ops.NotWired;
import org.mmemu.scenario.run.Engines;
import org.mmemu.scenario.run.Exploration;
import org.mmemu.scenario.run.KernelWiring;
import org.mmemu.scenario.run.Progress;
import org.mmemu.lru.protocol.ProtocolRegistry;
import org.mmemu.scenario.run.ScenarioProgram;
import org.mmemu.scenario.run.Scenarios;
import org.mmemu.scenario.run.Verdict;
import org.mmemu.scenario.EngineSettings;
import org.mmemu.scenario.Scenario;
import org.mmemu.scenario.Shipped;

/**
 * Every shipped scenario explored by the controlled engine under its own protocol, its
 * {@code expect:} checked. A scenario that needs a module not yet wired into the command line is
 * skipped (aborted with the reason), so this test turns itself on as the modules arrive.
 */
class ShippedScenariosTest {
    static List<String> shipped() {
        return Shipped.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shipped")
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void itsExpectationsHold(String name) {
        Scenario s = Scenarios.standard().resolve(name);
        String protocol = s.machine().protocol() != null ? s.machine().protocol() : ProtocolRegistry.DEFAULT;
        ScenarioProgram program = new ScenarioProgram(s, protocol, KernelWiring.standard());
        EngineSettings settings = s.engine().withDefaults();
        Exploration e;
        try {
            e = Engines.controlled().explore(program, settings, Progress.silent());
        } catch (RuntimeException thrown) {
            // Engines wrap what a CPU thread threw; a module not wired yet skips the scenario.
            RuntimeException bad = BadInput.in(thrown).orElseThrow(() -> thrown);
            if (bad instanceof NotWired) {
                Assumptions.abort(bad.getMessage());
                return;
            }
            throw bad;
        }
        Verdict v = Verdict.of(program.expect(), e);
        // A clean verdict needs the bounded space covered: a shipped scenario's own settings must
        // be enough to reach one, except that a sampling policy (random, pct) never covers a
        // space, so its clean result can only be inconclusive (exit 4), never a pass.
        boolean samples = Engines.samples(settings.policy());
        if (samples && program.expect().isEmpty()) {
            assertThat(v.outcome()).as(name + ": " + v.summary()).isEqualTo(Verdict.Outcome.INCONCLUSIVE);
        } else {
            assertThat(v.holds()).as(name + ": " + v.summary()).isTrue();
        }
    }
}
