package org.mmemu.scenario.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mmemu.scenario.run.ScenarioRuns.everyTrace;
import static org.mmemu.scenario.run.ScenarioRuns.parse;

import org.junit.jupiter.api.Test;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.engine.ExploreResult;

/**
 * The page lock as steps (issue 24, item 5): lock_page waits while another CPU holds the page
 * (the engine sees a CPU that cannot go on), truncate_inode_pages locks each page, and the
 * lock-leak finding, both sides each time.
 */
class PageLockTest {
    private static final String MACHINE = "machine: { cpus: 2, zones: { Normal: 64 } }\n";

    private static ExploreResult run(String programs) {
        return everyTrace(parse("t", "name: t\n" + MACHINE + "pages:\n  P: { count: 1 }\n"
                + "  F: { count: 2, mapping: f }\n" + programs)); // F: the page cache's reference and cpu1's
    }

    @Test
    void twoCpusTakeTurnsOnThePageLock() {
        ExploreResult r = run("programs:\n  cpu0: [lock_page: P, unlock_page: P]\n  cpu1: [lock_page: P, unlock_page: P]\n");
        assertThat(r.complete()).isTrue();
        assertThat(r.countsByKind()).isEmpty();
        assertThat(r.schedules()).as("both orders of the two critical sections").isEqualTo(2);
    }

    @Test
    void aProgramThatEndsHoldingThePageLockLeaksIt() {
        ExploreResult r = run("programs:\n  cpu0: [lock_page: P]\n");
        assertThat(r.kinds()).containsExactly(FindingKind.LOCK_LEAK);
        assertThat(r.findings()).extracting(Finding::message).allMatch(m -> m.contains("the program ended holding"));
    }

    @Test
    void aSecondLockPageOfTheSamePageNeverReturns() {
        ExploreResult r = run("programs:\n  cpu0: [lock_page: P, lock_page: P]\n");
        assertThat(r.kinds()).contains(FindingKind.DEADLOCK);
        assertThat(r.findings()).filteredOn(f -> f.kind() == FindingKind.DEADLOCK).extracting(Finding::message)
                .allMatch(m -> m.contains("cpu0 waits for PG_locked of page pfn") && m.contains("held by cpu0"));
    }

    @Test
    void aPageFreedLockedIsALockLeakBeforeTheKernelsBug() {
        ExploreResult r = run("programs:\n  cpu0: [lock_page: P, put_page: P]\n");
        assertThat(r.kinds()).contains(FindingKind.LOCK_LEAK, FindingKind.KERNEL_BUG);
        assertThat(r.findings()).filteredOn(f -> f.kind() == FindingKind.LOCK_LEAK).extracting(Finding::message)
                .containsExactly("page freed with PG_locked set (locked by cpu0, never unlocked)");
    }

    @Test
    void unlockingAnUnlockedPageIsTheKernelsBug() {
        ExploreResult r = run("programs:\n  cpu0: [unlock_page: P]\n");
        assertThat(r.kinds()).containsExactly(FindingKind.KERNEL_BUG);
    }

    @Test
    void truncateWaitsForTheHolderOfAPageLockAndFreesThePage() {
        ExploreResult r = run("programs:\n  cpu0: [truncate_inode_pages: f]\n"
                + "  cpu1: [lock_page: F, unlock_page: F, put_page: F]\n");
        assertThat(r.complete()).isTrue();
        assertThat(r.countsByKind()).as("truncate waits, then frees F; every order").isEmpty();
        assertThat(r.schedules()).isGreaterThan(1);
    }

    @Test
    void aLostUnlockLeavesTruncateWaitingForever() {
        ExploreResult r = run("programs:\n  cpu0: [truncate_inode_pages: f]\n  cpu1: [lock_page: F]\n");
        assertThat(r.kinds()).contains(FindingKind.LOCK_LEAK, FindingKind.DEADLOCK);
        assertThat(r.findings()).filteredOn(f -> f.kind() == FindingKind.DEADLOCK).extracting(Finding::site)
                .allMatch(s -> s == null || s.toString().contains("wait_on_page_locked"));
    }

    @Test
    void aHandlerThatReturnsHoldingALockIsNamedInTheFinding() {
        ExploreResult r = everyTrace(parse("h", "name: h\n" + MACHINE + "pages:\n  P: { count: 1 }\n"
                + "programs:\n  cpu0: [get_page: P, put_page: P]\ninterrupts:\n  cpu0: { handler: [lock_page: P] }\n"));
        assertThat(r.kinds()).containsExactly(FindingKind.LOCK_LEAK);
        assertThat(r.findings()).extracting(Finding::message)
                .allMatch(m -> m.equals("the handler ended holding the lock of page pfn "
                        + r.findings().get(0).pfn() + " (PG_locked) (cpu0 in irq0 handler)"));
    }
}
