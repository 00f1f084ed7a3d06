package org.mmemu.scenario.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.StepGate;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.VmStat;
import org.mmemu.scenario.run.KernelWiring;
import org.mmemu.scenario.run.ScenarioProgram;
import org.mmemu.scenario.run.Scenarios;
import org.mmemu.scenario.Scenario;

/**
 * Every operation of {@link OperationRegistry#standard()} runs its module's kernel code: the
 * file {@code good/every-operation.yaml} names each once, one CPU runs them in order, and the
 * machine afterwards shows their effects.
 */
class EveryOperationTest {
    private final Scenario s = Scenarios.standard().resolve("src/test/resources/good/every-operation.yaml");

    @Test
    void theFileNamesEveryRegisteredOperationExceptTheCoreOnes() {
        java.util.Set<String> named = new java.util.HashSet<>();
        s.program(0).forEach(op -> named.add(op.name()));
        java.util.Set<String> all = new java.util.HashSet<>(OperationRegistry.standard().names());
        all.removeAll(java.util.List.of("alloc_pages", "free_pages", "get_page", "page_cache_get"));
        assertThat(named).containsAll(all);
    }

    @Test
    void eachOperationHasItsEffectAndNothingIsFound() {
        ScenarioProgram p = new ScenarioProgram(s, "mm1", KernelWiring.standard());
        Machine m = p.boot(StepGate.FREE);
        World w = ScenarioProgram.world(m);
        Page a = w.page("A", "test");
        Page b = w.page("B", "test");
        p.run(m, m.cpu(0));
        VmStat vm = m.pageAlloc().vmstat();
        assertThat(vm.get(VmStat.Item.pgactivate)).as("mark_page_accessed twice activates A").isPositive();
        assertThat(m.detectors().isFree(a.pfn())).as("A's last reference released").isTrue();
        assertThat(b.count()).as("B: add_to_page_cache took a reference, put_page dropped one").isEqualTo(1);
        assertThat(b.mappingQuietly()).as("B out of its mapping").isNull();
        assertThat(m.detectors().findings()).isEmpty();
    }
}
