package org.mmemu.scenario.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Site;
import org.mmemu.core.emu.StepGate;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.PageFlags;
import org.mmemu.scenario.ops.World;
import org.mmemu.scenario.Scenario;

class ScenarioProgramTest {
    private final Scenario twoPuts = Scenarios.standard().resolve("src/test/resources/good/two-puts.yaml");

    @Test
    void bootSetsThePagesUpQuietlyAndWatchesThem() {
        List<Site> seen = new ArrayList<>();
        StepGate gate = (cpu, site, target, field, access) -> seen.add(site);
        ScenarioProgram program = new ScenarioProgram(twoPuts, "mm1", KernelWiring.standard());
        Machine m = program.boot(gate);

        assertThat(seen).as("setup steps reach no engine").isEmpty();
        World w = ScenarioProgram.world(m);
        Page p = w.page("P", "test");
        Page d = w.page("D", "test");
        assertThat(p.count()).isEqualTo(2);
        assertThat(p.zone().name()).isEqualTo("Normal");
        assertThat(d.zone().name()).isEqualTo("DMA");
        assertThat(d.hasFlag(PageFlags.PG_dirty)).isTrue();
        assertThat(d.hasFlag(PageFlags.PG_private)).isTrue();
        assertThat(d.privateData()).isEqualTo(7);
        assertThat(m.watched()).containsExactly(p, d);
        assertThat(program.pageName(p.pfn())).isEqualTo("P");
        assertThat(m.detectors().isFree(p.pfn())).isFalse();

        program.run(m, m.cpu(0));
        assertThat(seen).as("the programs' steps do").isNotEmpty();
        assertThat(p.count()).isEqualTo(1);
    }

    @Test
    void everyBootGivesTheSameNamesTheSamePageFrames() {
        ScenarioProgram program = new ScenarioProgram(twoPuts, "mm1", KernelWiring.standard());
        Machine a = program.boot(StepGate.FREE);
        Machine b = program.boot(StepGate.FREE);
        assertThat(ScenarioProgram.world(a).page("D", "t").pfn()).isEqualTo(ScenarioProgram.world(b).page("D", "t").pfn());
        assertThat(a).isNotSameAs(b);
    }

    @Test
    void interruptsBecomeInterruptSpecs() {
        ScenarioProgram program = new ScenarioProgram(twoPuts, "mm1", KernelWiring.standard());
        assertThat(program.interrupts()).singleElement().satisfies(i -> {
            assertThat(i.cpu()).isEqualTo(1);
            assertThat(i.max()).isEqualTo(2);
            assertThat(i.handler()).isNotNull();
        });
        Machine m = program.boot(StepGate.FREE);
        Page d = ScenarioProgram.world(m).page("D", "t");
        m.cpu(1).runInterrupt(() -> program.interrupts().get(0).handler().accept(m, m.cpu(1)));
        assertThat(d.count()).isEqualTo(2);
    }

    @Test
    void theBiasedCountFollowsTheProtocol() {
        assertThat(new ScenarioProgram(twoPuts, "testone", KernelWiring.standard()).config().biasedCount()).isTrue();
        assertThat(new ScenarioProgram(twoPuts, "mm1", KernelWiring.standard()).config().biasedCount()).isFalse();
    }
}
