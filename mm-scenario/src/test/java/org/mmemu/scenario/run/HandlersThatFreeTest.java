package org.mmemu.scenario.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.ExploreResult;
import org.mmemu.engine.control.Explorer;
import org.mmemu.scenario.Scenario;

/**
 * Issue 24's "interrupt handlers that free pages": the shipped {@code seed-race-irq-frees}, the
 * seed race whose interrupt's handler also put_pages a page of its own, still shows mm1's double
 * free and is clean, the space covered, under the four clean protocols; the handler's page is
 * freed in every execution (no leak of it, no finding in the handler).
 */
class HandlersThatFreeTest {
    private static ExploreResult explore(String protocol, boolean stopAtFirst) {
        Scenario s = Scenarios.standard().resolve("seed-race-irq-frees");
        ExploreOptions o = Engines.options(s.engine().withDefaults()).withTimeLimit(Duration.ofSeconds(120))
                .withStopAtFirst(stopAtFirst).withShrink(false);
        return Explorer.explore(new ScenarioProgram(s, protocol, KernelWiring.standard()), o);
    }

    @ParameterizedTest
    @ValueSource(strings = {"always-lock", "testone", "dec-and-lock", "unless-zero"})
    void aCleanProtocolStaysCleanWithTheHandlerFreeing(String protocol) {
        ExploreResult r = explore(protocol, false);
        System.out.println("seed-race-irq-frees [" + protocol + "]: " + r.schedules() + " executions");
        assertThat(r.complete()).as("covered").isTrue();
        assertThat(r.countsByKind()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mm1", "pre-fix"})
    void mm1StillFreesTwice(String protocol) {
        ExploreResult r = explore(protocol, true);
        assertThat(r.countsByKind()).containsKey(FindingKind.DOUBLE_FREE);
    }
}
