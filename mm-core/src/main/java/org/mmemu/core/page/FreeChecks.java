package org.mmemu.core.page;

import static org.mmemu.core.page.PageFlags.PG_active;
import static org.mmemu.core.page.PageFlags.PG_locked;
import static org.mmemu.core.page.PageFlags.PG_lru;
import static org.mmemu.core.page.PageFlags.PG_private;
import static org.mmemu.core.page.PageFlags.PG_slab;
import static org.mmemu.core.page.PageFlags.PG_writeback;
import static org.mmemu.core.page.PageFlags.PTE_MAPPED;

import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Detectors;
import org.mmemu.core.emu.Site;

/**
 * The free-time checks of mm/page_alloc.c: __free_pages_ok() by version (stored text), as
 * {@code KernelProfile.freeChecks()} names them for a kernel; {@link PageAlloc} calls
 * {@link #check} on every free.
 */
public enum FreeChecks {
    /** 2.5.31 (84-98): BUG_ONs Private, mapping, Locked, LRU, Active, Writeback, pte.chain; dirty cleared; BUG_ON count. */
    V2_5_31,
    /**
     * 2.5.32 (84-99): as 2.5.31 with a second {@code BUG_ON(PageLRU)} first (PageLRU checked
     * twice). BK of 18 Aug is taken to have it too (not stored: inferred).
     */
    V2_5_32,
    /**
     * 2.5.33 (82-96): the {@code BUG_ON(PageLRU)} first, the second removed. -mm1 is taken
     * to have 2.5.33's (not determinable from the stored text: inferred); 2.5.39 too.
     */
    V2_5_33,
    /**
     * 2.6.0 (171-174, 64-74): {@code free_pages_check()}: one condition (mapped, mapping,
     * count, lru|private|locked|active|reclaim|slab|writeback); {@code bad_page()} prints,
     * fixes the page up and the free carries on; dirty cleared after.
     */
    V2_6_0,
    /** 2.6.6, 2.6.7 (171-174): as 2.6.0 and every page of the block is checked. */
    V2_6_6;

    /** Whether these checks are BUG()s that end the run (2.5), not 2.6's bad_page() that carries on. */
    boolean bugs() {
        return this != V2_6_0 && this != V2_6_6;
    }

    /**
     * mm/page_alloc.c: __free_pages_ok()'s checks of this version on the block of
     * {@code 1 << order} pages at {@code pageIdx} in {@code zone}: 2.5's BUG()s on its first
     * page, or 2.6's free_pages_check() on its first page (2.6.0) or on every page (2.6.6:
     * {@code for (i = 0; i < (1 << order); ++i) free_pages_check(__FUNCTION__, page + i)}).
     */
    void check(Cpu cpu, Detectors detectors, Site site, Zone zone, int pageIdx, int order) {
        if (bugs()) {
            bugChecks(cpu, detectors, site, zone.pageAt(pageIdx), pageIdx, order);
            return;
        }
        int n = this == V2_6_6 ? 1 << order : 1;
        for (int i = 0; i < n; i++) {
            freePagesCheck(cpu, detectors, site, zone.pageAt(pageIdx + i));
        }
    }

    /**
     * The BUG() checks of {@code __free_pages_ok()} (2.5.31-2.5.39) in the order of
     * this version's text: 2.5.31 PagePrivate, {@code page->mapping}, PageLocked, PageLRU,
     * PageActive, PageWriteback, {@code page->pte.chain} (the {@link PageFlags#PTE_MAPPED} shim),
     * count; 2.5.32 the same after a first PageLRU (PageLRU twice); 2.5.33 the first PageLRU and
     * not the second. Then the block's alignment ({@code page_idx & ~mask}, in the buddy loop).
     * The count BUG comes after the dirty clear in the text; the clear changes no checked bit,
     * so the order does not show. PG_reserved is not checked here: {@code __free_pages()}
     * never gets that far with a reserved page.
     */
    private void bugChecks(Cpu cpu, Detectors detectors, Site site, Page page, int pageIdx, int order) {
        String bad = null;
        boolean lruFirst = this != V2_5_31;
        boolean lruBetween = this != V2_5_33;
        if (lruFirst && page.hasFlag(PG_lru)) {
            bad = "PageLRU(page)";
        } else if (page.hasFlag(PG_private)) {
            bad = "PagePrivate(page)";
        } else if (page.mappingQuietly() != null) {
            bad = "page->mapping != NULL";
        } else if (page.hasFlag(PG_locked)) {
            bad = "PageLocked(page)";
        } else if (lruBetween && page.hasFlag(PG_lru)) {
            bad = "PageLRU(page)";
        } else if (page.hasFlag(PG_active)) {
            bad = "PageActive(page)";
        } else if (page.hasFlag(PG_writeback)) {
            bad = "PageWriteback(page)";
        } else if (page.hasFlag(PTE_MAPPED)) {
            bad = "page->pte.chain != NULL";
        } else if (page.count() != 0) {
            bad = "page_count(page) != 0";
        } else if ((pageIdx & ((1 << order) - 1)) != 0) {
            bad = "page_idx & ~mask (block not aligned to its order)";
        }
        if (bad != null) {
            throw detectors.kernelBug(cpu, page.pfn(), site, "__free_pages_ok: " + bad);
        }
    }

    /**
     * mm/page_alloc.c: free_pages_check() and bad_page() (2.6.0 171-174 and 64-74; 2.6.6):
     * {@code page_mapped(page) || page->mapping != NULL || page_count(page) != 0 ||
     * (page->flags & (lru | private | locked | active | reclaim | slab | writeback))} calls
     * {@code bad_page()}, which prints, clears those flags, sets the count to 0 and the mapping
     * to NULL, and returns: the free carries on. Here a {@code bad-page} finding that does not
     * end the run, then the same fix-up. Departure: 2.6.6's {@code PG_maplock}, {@code PG_anon},
     * {@code PG_swapcache} and 2.6.0's {@code PG_reclaim} have no bit on this machine (no code
     * here sets them), so they are not tested.
     */
    private static void freePagesCheck(Cpu cpu, Detectors detectors, Site site, Page page) {
        java.util.List<String> why = new java.util.ArrayList<>();
        if (page.hasFlag(PTE_MAPPED)) {
            why.add("page_mapped");
        }
        if (page.mappingQuietly() != null) {
            why.add("page->mapping != NULL");
        }
        if (page.count() != 0) {
            why.add("page_count " + page.count());
        }
        int[] bits = {PG_lru, PG_private, PG_locked, PG_active, PG_slab, PG_writeback};
        String[] names = {"PG_lru", "PG_private", "PG_locked", "PG_active", "PG_slab", "PG_writeback"};
        for (int i = 0; i < bits.length; i++) {
            if (page.hasFlag(bits[i])) {
                why.add(names[i]);
            }
        }
        if (why.isEmpty()) {
            return;
        }
        detectors.badPage(cpu, page.pfn(), site, "bad_page (free_pages_check): " + String.join(", ", why));
        for (int bit : bits) {
            page.setFlagQuietly(bit, false);
        }
        page.setFlagQuietly(PTE_MAPPED, false);
        page.setCountQuietly(0);
        page.setMappingQuietly(null);
    }
}

