package org.mmemu.scenario.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mmemu.scenario.run.CatalogueScenarios.everyTrace;
import static org.mmemu.scenario.run.CatalogueScenarios.load;
import static org.mmemu.scenario.run.CatalogueScenarios.on;

import org.junit.jupiter.api.Test;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.engine.ExploreResult;
import org.mmemu.scenario.Scenario;

/**
 * Catalogue entry 04 (scenarios/catalogue/04-up-chainlock-lockup.yaml): refill_inactive()'s
 * bare {@code test_and_set_bit(PG_chainlock)} (637e8ec953) against the no-op
 * {@code pte_chain_unlock()} of a uniprocessor build, fixed by ed612d3580 (2.5.32).
 */
class UpChainlockLockupTest {
    private static final Scenario S = load("04-up-chainlock-lockup.yaml");

    @Test
    void onTheBkTreeOfAugust18TheBitIsLeftSetAndTheSecondPassDeactivatesNothing() {
        ScenarioProgram p = on(S, "2.5.31-bk");
        ExploreResult r = everyTrace(p);
        assertThat(r.complete()).isTrue();
        assertThat(r.kinds()).containsExactly(FindingKind.LOCK_LEAK);
        assertThat(p.expect()).containsExactly(FindingKind.LOCK_LEAK);
        assertThat(r.findings()).extracting(Finding::message).allMatch(m -> m.startsWith(
                "the program ended holding the bit spinlock PG_chainlock of page pfn"));
        assertThat(r.findings()).extracting(f -> f.site().toString())
                .allMatch(site -> site.contains("refill_inactive") && site.contains("test_and_set_bit(PG_chainlock"));
        assertThat(p.firstRunVmstat().orElseThrow()).as("P sent back unexamined by pass 2").containsEntry("pgdeactivate", 0L);
    }

    @Test
    void on2532ThePageIsExaminedAgainAndDeactivatedCleanly() {
        ScenarioProgram p = on(S, "2.5.32");
        ExploreResult r = everyTrace(p);
        assertThat(r.complete()).isTrue();
        assertThat(r.countsByKind()).isEmpty();
        assertThat(p.expect()).isEmpty();
        assertThat(r.schedules()).as("the interrupt before each step, or never").isGreaterThan(1);
        assertThat(p.firstRunVmstat().orElseThrow()).containsEntry("pgdeactivate", 1L);
    }

    @Test
    void theBuggyKernelOnAnSmpBuildClearsTheBitAndIsClean() {
        Scenario smp = ScenarioRuns.parse("smp", CatalogueScenarios.text("04-up-chainlock-lockup.yaml").replace("  smp: false\n", ""));
        ExploreResult r = everyTrace(on(smp, "2.5.31-bk"));
        assertThat(r.complete()).isTrue();
        assertThat(r.countsByKind()).isEmpty();
    }
}
