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
 * Catalogue entry 05 (scenarios/catalogue/05-page-referenced-lost-unlock.yaml): 2.6.9-rc2's
 * page_referenced() (f7f5e03df0) keeps the page lock when truncate has just cleared
 * {@code page->mapping}; 58765ab99d (2.6.9-rc3) unlocks whatever the mapping.
 */
class PageReferencedLostUnlockTest {
    private static final Scenario S = load("05-page-referenced-lost-unlock.yaml");

    @Test
    void on2697WithRmaplockThePageIsFreedLocked() {
        ScenarioProgram p = on(S, "2.6.7+f7f5e03df0");
        ExploreResult r = everyTrace(p);
        assertThat(r.complete()).isTrue();
        assertThat(p.expect()).containsExactly(FindingKind.LOCK_LEAK);
        assertThat(r.kinds()).as("the emulator's check, then 2.6's own bad_page()")
                .containsExactlyInAnyOrder(FindingKind.LOCK_LEAK, FindingKind.BAD_PAGE);
        assertThat(r.findings()).filteredOn(f -> f.kind() == FindingKind.LOCK_LEAK).extracting(Finding::message)
                .anyMatch(m -> m.startsWith("page freed with PG_locked set (locked by cpu0"));
        assertThat(r.findings()).extracting(f -> f.site() == null ? "" : f.site().toString())
                .anyMatch(site -> site.equals("page_referenced: TestSetPageLocked(page)"));
    }

    @Test
    void withTheFixEveryTraceIsClean() {
        ScenarioProgram p = on(S, "2.6.7+f7f5e03df0+58765ab99d");
        ExploreResult r = everyTrace(p);
        assertThat(r.complete()).isTrue();
        assertThat(p.expect()).isEmpty();
        assertThat(r.countsByKind()).isEmpty();
        assertThat(r.schedules()).isGreaterThan(10);
    }
}
