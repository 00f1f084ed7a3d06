package org.mmemu.core.page;

import static org.mmemu.core.page.PageFlags.*;

import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Detectors;
import org.mmemu.core.emu.Site;

/**
 * What mm/page_alloc.c's {@code prep_new_page()} (2.5.31) does to the head page of a block
 * leaving the buddy allocator: its BUG_ONs, the flags it clears, its first reference.
 *
 * <p>Apart from {@link PageAlloc} as {@link FreeChecks} is: the checks of a page on its way out
 * beside those on its way in, and the allocator left with the free lists and the passes of
 * {@code __alloc_pages()}.
 */
final class PrepNewPage {
    private static final Site PREP = Site.of("prep_new_page", "BUG_ON checks; set_page_count(page, 1)");
    private static final int[] PREP_CLEARS = {PG_uptodate, PG_error, PG_referenced, PG_arch_1, PG_checked};

    private final Detectors detectors;
    private final boolean bugChecks;

    /** @param bugChecks whether the BUG_ONs run ({@code MachineConfig.allocatorBugChecks()}) */
    PrepNewPage(Detectors detectors, boolean bugChecks) {
        this.detectors = detectors;
        this.bugChecks = bugChecks;
    }

    /**
     * mm/page_alloc.c: prep_new_page() (2.5.31): the BUG_ONs of a page leaving the
     * allocator (mapping, Private, Locked, LRU, Active, Dirty, Writeback), the flags it
     * clears, and {@code set_page_count(page, 1)}. Only the head page of a block, as in 2.5.
     * One step: the page is private to the allocating CPU.
     */
    void prepNewPage(Cpu cpu, Page page, int order) {
        cpu.step(PREP, page, Access.WRITE);
        if (bugChecks) {
            checkNew(cpu, page);
        }
        for (int bit : PREP_CLEARS) {
            page.setFlagQuietly(bit, false);
        }
        page.setCountQuietly(1);
    }

    private void checkNew(Cpu cpu, Page page) {
        String bad = null;
        if (page.mappingQuietly() != null) {
            bad = "page->mapping";
        } else if (page.hasFlag(PG_private)) {
            bad = "PagePrivate(page)";
        } else if (page.hasFlag(PG_locked)) {
            bad = "PageLocked(page)";
        } else if (page.hasFlag(PG_lru)) {
            bad = "PageLRU(page)";
        } else if (page.hasFlag(PG_active)) {
            bad = "PageActive(page)";
        } else if (page.hasFlag(PG_dirty)) {
            bad = "PageDirty(page)";
        } else if (page.hasFlag(PG_writeback)) {
            bad = "PageWriteback(page)";
        }
        if (bad != null) {
            throw detectors.kernelBug(cpu, page.pfn(), PREP, "prep_new_page: " + bad);
        }
    }
}
