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
 * Catalogue entry 06 (scenarios/catalogue/06-set-page-dirty-vs-truncate.yaml): 2.5.30's
 * __set_page_dirty_nobuffers() against truncate, fixed by f97b42b287 (2.5.31).
 */
class SetPageDirtyVsTruncateTest {
    private static final Scenario S = load("06-set-page-dirty-vs-truncate.yaml");

    @Test
    void withoutTheRecheckTheSecondListDelDereferencesNull() {
        ScenarioProgram p = on(S, "2.5.31-bk-f97b42b287");
        ExploreResult r = everyTrace(p);
        assertThat(r.complete()).isTrue();
        assertThat(p.expect()).containsExactly(FindingKind.LIST_CORRUPTION);
        assertThat(r.kinds()).contains(FindingKind.LIST_CORRUPTION);
        assertThat(r.findings()).filteredOn(f -> f.kind() == FindingKind.LIST_CORRUPTION)
                .extracting(f -> f.site().toString() + " | " + f.message())
                .allMatch(m -> m.startsWith("__set_page_dirty_nobuffers: list_del(&page->list)") && m.contains("NULL"));
    }

    @Test
    void with2531sRecheckEveryTraceIsClean() {
        ScenarioProgram p = on(S, "2.5.31-bk");
        ExploreResult r = everyTrace(p);
        assertThat(r.complete()).isTrue();
        assertThat(p.expect()).isEmpty();
        assertThat(r.countsByKind()).isEmpty();
        assertThat(r.schedules()).isGreaterThan(10);
    }

    @Test
    void withoutPageListsTheSetPageDirtyMovesNothingAndFindsNothing() {
        Scenario plain = ScenarioRuns.parse("plain", CatalogueScenarios.text("06-set-page-dirty-vs-truncate.yaml").replace("  page-lists: true\n", ""));
        ExploreResult r = everyTrace(on(plain, "2.5.31-bk-f97b42b287"));
        assertThat(r.complete()).isTrue();
        assertThat(r.kinds()).doesNotContain(FindingKind.LIST_CORRUPTION);
    }
}
