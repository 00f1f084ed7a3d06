package org.mmemu.scenario.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.engine.DelayModel;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.ExploreResult;
import org.mmemu.engine.control.Explorer;
import org.mmemu.lru.protocol.ProtocolRegistry;
import org.mmemu.scenario.Scenario;
import org.mmemu.scenario.ScenarioLoader;
import org.mmemu.scenario.ops.OperationRegistry;

/**
 * Issue 24, "Must show": the data-race detector on two CPUs that clear one flag of a page and
 * {@code SetPageReferenced()} it. With {@code page->flags &= ~(1 << PG_dirty)} (a plain load and
 * store of the word) it is a data race, named with both sites, on every search that covers
 * the traces; with {@code clear_bit(PG_dirty, &page->flags)} the search covers every trace and
 * finds nothing (the two bitops touch different bits: one trace). The same with the set in the
 * first CPU's own interrupt handler, which may arrive between the load and the store.
 */
class DataRaceOnFlagsTest {
    private static final String TWO_CPUS = """
            name: flags-%s
            machine: { cpus: 2, zones: { Normal: 16 }, protocol: mm1 }
            pages:
              P: { zone: Normal, count: 1, lru: none }
            programs:
              cpu0:
                - clear_page_flag: { page: P, flag: dirty, how: %s }
              cpu1:
                - set_page_referenced: P
            """;
    private static final String OWN_HANDLER = """
            name: flags-irq-%s
            machine: { cpus: 1, zones: { Normal: 16 }, protocol: mm1 }
            pages:
              P: { zone: Normal, count: 1, lru: none }
            programs:
              cpu0:
                - clear_page_flag: { page: P, flag: dirty, how: %s }
            interrupts:
              cpu0: { handler: [ set_page_referenced: P ], max: 1 }
            """;

    private static ExploreResult explore(String text, DelayModel delays) {
        ScenarioLoader loader = new ScenarioLoader(OperationRegistry.standard(), ProtocolRegistry.onClassPath().names());
        Scenario s = loader.parse("flags.yaml", text.getBytes(StandardCharsets.UTF_8));
        ExploreOptions o = ExploreOptions.defaults().withPolicy(delays == DelayModel.ANYWHERE ? "dpor" : "exhaustive")
                .withDelays(delays).withPreemptionBound(delays == DelayModel.ANYWHERE ? -1 : 2)
                .withMaxSchedules(10_000).withTimeLimit(Duration.ofSeconds(60)).withShrink(false);
        return Explorer.explore(new ScenarioProgram(s, "mm1", KernelWiring.standard()), o);
    }

    private static List<Finding> races(ExploreResult r) {
        return r.findings().stream().filter(f -> f.kind() == FindingKind.DATA_RACE).toList();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"two-cpus", "own-handler"})
    void aPlainReadModifyWriteOfFlagsRacesWithSetPageReferenced(String shape) {
        boolean irq = shape.equals("own-handler");
        ExploreResult r = explore((irq ? OWN_HANDLER : TWO_CPUS).formatted("plain", "plain"),
                irq ? DelayModel.IRQ : DelayModel.ANYWHERE);
        assertThat(races(r)).isNotEmpty();
        Finding f = races(r).get(0);
        String both = f.site() + " / " + f.related().get(0).site();
        assertThat(both).contains("clear_page_flag: page->flags &= ~(1 << PG_dirty) [2/2: store page->flags]")
                .contains("SetPageReferenced: set_bit(PG_referenced, &page->flags)");
        assertThat(f.message()).contains("'s flags").contains("plain write").contains("atomic write");
        if (irq) {
            assertThat(f.message()).contains("in interrupt");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"two-cpus", "own-handler"})
    void withClearBitEveryTraceIsClean(String shape) {
        boolean irq = shape.equals("own-handler");
        ExploreResult r = explore((irq ? OWN_HANDLER : TWO_CPUS).formatted("atomic", "clear_bit"),
                irq ? DelayModel.IRQ : DelayModel.ANYWHERE);
        assertThat(r.complete()).as("covered").isTrue();
        assertThat(r.findings()).isEmpty();
        if (irq) {
            assertThat(r.schedules()).as("the handler came before and after the clear").isGreaterThan(1);
        }
    }
}
