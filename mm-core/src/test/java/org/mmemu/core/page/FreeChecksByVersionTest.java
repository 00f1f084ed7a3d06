package org.mmemu.core.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mmemu.core.TestMachines.cpu0;
import static org.mmemu.core.page.PageFlags.PG_lru;
import static org.mmemu.core.page.PageFlags.PG_private;

import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.TestMachines;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.KernelBug;
import org.mmemu.core.emu.Site;

/**
 * Issue 23, the allocator's free-time checks by version (mm/page_alloc.c stored text): 2.5.31
 * checks PagePrivate before PageLRU, 2.5.32 and 2.5.33 PageLRU first; 2.6.0's bad_page() prints,
 * fixes the page up and the free carries on (a finding, not an abort); 2.6.6 checks every page
 * of the block.
 */
class FreeChecksByVersionTest {
    private static final Site CALLER = Site.of("test", "free");

    private static String bugOf(FreeChecks checks) {
        Machine m = TestMachines.boot(64);
        m.pageAlloc().setFreeChecks(checks);
        Page p = TestMachines.page(m, 0, PG_lru, PG_private);
        assertThatThrownBy(() -> m.pageAlloc().freePagesOk(cpu0(m), p, 0, CALLER)).isInstanceOf(KernelBug.class);
        return m.detectors().findings().get(0).message();
    }

    @Test
    void theOrderOfTheBugChecksFollowsTheVersion() {
        assertThat(bugOf(FreeChecks.V2_5_31)).isEqualTo("kernel BUG: __free_pages_ok: PagePrivate(page)");
        assertThat(bugOf(FreeChecks.V2_5_32)).isEqualTo("kernel BUG: __free_pages_ok: PageLRU(page)");
        assertThat(bugOf(FreeChecks.V2_5_33)).isEqualTo("kernel BUG: __free_pages_ok: PageLRU(page)");
    }

    @Test
    void badPageOn260IsAFindingTheFreeCarriesOnAfter() {
        Machine m = TestMachines.bootNoStop(1, 64);
        m.pageAlloc().setFreeChecks(FreeChecks.V2_6_0);
        Page p = TestMachines.page(m, 0, PG_private);
        p.setMappingQuietly(new Object());
        m.pageAlloc().freePagesOk(cpu0(m), p, 0, CALLER);
        assertThat(m.detectors().findings()).extracting(Finding::kind).containsExactly(FindingKind.BAD_PAGE);
        assertThat(m.detectors().findings().get(0).message())
                .isEqualTo("bad_page (free_pages_check): page->mapping != NULL, PG_private");
        assertThat(m.detectors().isFree(p.pfn())).as("bad_page() fixes the page up and the free goes on").isTrue();
        assertThat(p.hasFlag(PG_private)).isFalse();
        assertThat(p.mappingQuietly()).isNull();
    }

    @Test
    void badPageThrowsNothingWhereBadPageIsAStopKindTheRunEndsAtTheNextStep() {
        Machine m = TestMachines.boot(64);
        m.pageAlloc().setFreeChecks(FreeChecks.V2_6_0);
        Page p = TestMachines.page(m, 0, PG_private);
        m.pageAlloc().freePagesOk(cpu0(m), p, 0, CALLER);
        assertThat(m.detectors().isFree(p.pfn())).as("the kernel's code ran to the end of the free").isTrue();
        assertThat(m.detectors().stopped()).as("as for any finding of a stop kind").isTrue();
    }

    @Test
    void on266EveryPageOfTheBlockIsChecked() {
        Machine m = TestMachines.bootNoStop(1, 64);
        m.pageAlloc().setFreeChecks(FreeChecks.V2_6_6);
        Page head = m.pageAlloc().rmqueue(cpu0(m), m.zone(org.mmemu.core.page.ZoneType.NORMAL), 1);
        head.setCountQuietly(0);
        Page second = head.zone().pageAt(head.pfn() - head.zone().startPfn() + 1);
        second.setFlagQuietly(PG_private, true);
        m.pageAlloc().freePagesOk(cpu0(m), head, 1, CALLER);
        assertThat(m.detectors().findings()).extracting(Finding::pfn).containsExactly((long) second.pfn());
        m.pageAlloc().setFreeChecks(FreeChecks.V2_6_0);
        Page h2 = m.pageAlloc().rmqueue(cpu0(m), m.zone(org.mmemu.core.page.ZoneType.NORMAL), 1);
        h2.setCountQuietly(0);
        h2.zone().pageAt(h2.pfn() - h2.zone().startPfn() + 1).setFlagQuietly(PG_private, true);
        m.pageAlloc().freePagesOk(cpu0(m), h2, 1, CALLER);
        assertThat(m.detectors().findings()).as("2.6.0 checks the first page only").hasSize(1);
    }
}
