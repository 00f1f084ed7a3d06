package org.mmemu.scenario.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mmemu.scenario.run.ScenarioRuns.everyTrace;
import static org.mmemu.scenario.run.ScenarioRuns.parse;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.StepGate;
import org.mmemu.engine.ExploreResult;
import org.mmemu.scenario.Scenario;
import org.mmemu.scenario.yaml.ScenarioException;

/**
 * {@code machine: { smp: false }} (issue 24, item 4): one CPU whose spinlocks are preempt and irq
 * disabling; interrupts still arrive.
 */
class UniprocessorTest {
    private static final String UP = "name: up\nmachine: { smp: false, zones: { Normal: 64 } }\n"
            + "pages:\n  P: { count: 1, lru: inactive }\n  Q: { count: 1 }\n";

    @Test
    void theSeedRaceMachineWithTwoProgramsIsRefusedAtTheSecond() {
        String yaml = UP + "programs:\n  cpu0: [pagevec_release: [P]]\n  cpu1: [shrink_cache: {nr: 1}]\n";
        assertThatThrownBy(() -> parse("seed-up", yaml)).isInstanceOf(ScenarioException.class)
                .hasMessageStartingWith("seed-up.yaml:8:3: cpu1 but the machine has smp: false");
        assertThatThrownBy(() -> parse("two", UP.replace("smp: false", "smp: false, cpus: 2")
                + "programs:\n  cpu0: [lru_add_drain]\n")).isInstanceOf(ScenarioException.class)
                .hasMessageStartingWith("two.yaml:2:30: machine: smp: false is the uniprocessor build");
    }

    @Test
    void aProgramAndItsHandlerRunWithNoLockWord() {
        Scenario s = parse("up", UP + "programs:\n  cpu0: [page_cache_release: P]\n"
                + "interrupts:\n  cpu0: { handler: [put_page: Q] }\n");
        ExploreResult r = everyTrace(s);
        assertThat(r.complete()).isTrue();
        assertThat(r.countsByKind()).isEmpty();
        assertThat(r.schedules()).as("the interrupt before each of cpu0's steps, or never").isGreaterThan(2);

        List<Access> accesses = new ArrayList<>();
        List<String> sites = new ArrayList<>();
        StepGate gate = (cpu, site, target, field, access) -> {
            accesses.add(access);
            sites.add(site.toString());
        };
        ScenarioProgram program = new ScenarioProgram(s, "mm1", KernelWiring.standard());
        Machine m = program.boot(gate);
        program.run(m, m.cpu(0));
        assertThat(accesses).as("no lock word: nothing to wait on").doesNotContain(Access.LOCK, Access.UNLOCK);
        assertThat(sites).anyMatch(x -> x.contains("(UP: preempt_disable)"));
        assertThat(m.detectors().isFree(ScenarioProgram.world(m).page("P", "t").pfn())).isTrue();
    }

    @Test
    void theSameProgramOnSmpTakesTheLock() {
        Scenario s = parse("smp", UP.replace("smp: false", "cpus: 1")
                + "programs:\n  cpu0: [page_cache_release: P]\n");
        List<Access> accesses = new ArrayList<>();
        ScenarioProgram program = new ScenarioProgram(s, "mm1", KernelWiring.standard());
        Machine m = program.boot((cpu, site, target, field, access) -> accesses.add(access));
        program.run(m, m.cpu(0));
        assertThat(accesses).contains(Access.LOCK, Access.UNLOCK);
    }
}
