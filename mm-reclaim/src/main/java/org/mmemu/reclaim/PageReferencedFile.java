package org.mmemu.reclaim;

import static org.mmemu.core.page.PageFlags.PG_locked;
import static org.mmemu.core.page.PageFlags.PG_referenced;

import org.mmemu.core.RmapShape;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.page.Page;

/**
 * mm/rmap.c: page_referenced() and page_referenced_file() (2.6.9-rc2, "rmaplock: kill
 * page_map_lock", f7f5e03df0, Hugh Dickins, 23 Aug 2004; and 2.6.9-rc3, "fix missing
 * unlock_page in mm/rmap.c", 58765ab99d, Nick Piggin, 17 Sep 2004), as refill_inactive_zone()
 * calls them: with {@code is_locked} 0, so that page_referenced() takes the page lock itself to
 * hold {@code page->mapping} still against truncation. Read in the history-token repository at
 * 58765ab99d^ and 58765ab99d (mm/rmap.c).
 *
 * <p>Departures: {@code page_test_and_clear_young()} (s390's storage key) makes no step; no
 * page has PG_anon here (no code sets it), so {@code PageAnon()} makes no step and
 * page_referenced_anon() is not reached (an anonymous page has no mapping here, and fails the
 * {@code page->mapping} test); page_referenced_file()'s {@code BUG_ON(PageAnon)}, its
 * {@code spin_lock(&mapping->i_mmap_lock)} and its vma walk are the rmap shim's pte walk
 * ({@link Rmap#ptesReferenced}): no vma is emulated, and the only other user of
 * {@code i_mmap_lock}, truncate's {@code unmap_mapping_range()}, runs here under the page lock.
 */
final class PageReferencedFile {
    private static final Site CLEAR = Site.of("page_referenced", "TestClearPageReferenced(page)");
    /** {@code atomic_read(&page->_mapcount)}: against page_remove_rmap()'s atomic, no data race in 2.6. */
    private static final Site MAPPED = Site.of("page_referenced", "page_mapped(page)").dataRace();
    /** Marked {@code data_race()}: the unlocked look, taken again under the page lock (f7f5e03df0's design). */
    private static final Site MAPPING = Site.of("page_referenced", "page->mapping").dataRace();
    private static final Site TRYLOCK = Site.of("page_referenced", "TestSetPageLocked(page)");
    private static final Site MAPPING_AGAIN = Site.of("page_referenced", "if (page->mapping) (page locked)");
    private static final Site UNLOCK = Site.of("page_referenced", "unlock_page(page)");
    private static final Site LOCKED = Site.of("page_referenced_file", "BUG_ON(!PageLocked(page))");

    private PageReferencedFile() {
    }

    /**
     * page_referenced(page, 0) in {@code form} ({@link RmapShape.PageReferenced#PAGE_LOCK_LOST_UNLOCK}:
     * 2.6.9-rc2, the unlock only {@code else if (page->mapping)}; {@link RmapShape.PageReferenced#PAGE_LOCK}:
     * 2.6.9-rc3, the unlock whatever the mapping). How many references it saw; a page whose lock
     * another holds counts as referenced.
     */
    static int pageReferenced(Cpu cpu, Rmap rmap, Page page, RmapShape.PageReferenced form) {
        int referenced = 0;
        if (page.testClearFlag(cpu, CLEAR, PG_referenced)) {
            referenced++;
        }
        cpu.step(MAPPED, page, Access.PTE_CHAIN, Access.READ);
        if (rmap.mapcountQuietly(page) == 0 || page.mapping(cpu, MAPPING) == null) {
            return referenced;
        }
        if (page.testSetPageLocked(cpu, TRYLOCK)) {
            return referenced + 1;
        }
        boolean mapped = page.mapping(cpu, MAPPING_AGAIN) != null;
        if (mapped) {
            referenced += pageReferencedFile(cpu, rmap, page);
        }
        if (mapped || form == RmapShape.PageReferenced.PAGE_LOCK) {
            page.unlockPage(cpu, UNLOCK);
        }
        return referenced;
    }

    /** page_referenced_file() (2.6.9-rc2): the page locked by the caller; the walk of its ptes. */
    private static int pageReferencedFile(Cpu cpu, Rmap rmap, Page page) {
        if (!page.testFlag(cpu, LOCKED, PG_locked)) {
            throw cpu.detectors().kernelBug(cpu, page.pfn(), LOCKED, "page_referenced_file: !PageLocked(page)");
        }
        return rmap.ptesReferenced(cpu, page);
    }
}
