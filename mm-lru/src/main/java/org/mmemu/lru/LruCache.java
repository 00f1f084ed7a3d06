package org.mmemu.lru;

import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.VmStat;

/**
 * The LRU functions of mm/swap.c that do not need a pagevec: the 2.5.31 direct
 * {@code lru_cache_add()}, {@code activate_page()}, {@code mark_page_accessed()}, and the entry
 * points of the release side, {@code page_cache_release()} and {@code put_page()}, which hand
 * over to the machine's {@link LruProtocol}. The deferred, per-CPU {@code lru_cache_add()} of
 * 2.5.32 needs a pagevec and lives in mm-pagevec ({@code LruAddPvecs}).
 *
 * <p>Every function finds the machine's LRU through its CPU ({@link Lru#of(Cpu)}).
 *
 * <p>Versions: the list work is done with 2.5.33's {@code (zone, page)} helpers of
 * include/linux/mm_inline.h ({@link ZoneLru}), on -mm1's per-zone irq-safe lock, because that
 * is the machine's LRU. So {@code lru_cache_add()} is 2.5.31's direct form on 2.5.33 helpers
 * (the 2.5.31 swap.h macro's {@code DEBUG_LRU_PAGE} is not done), and {@code activate_page()}
 * is 2.5.33's body (del, {@code SetPageActive}, add), which is what 2.5.31's macros expanded to
 * less their DEBUG checks. Each method's first line names the version it follows.
 */
public final class LruCache {
    static final Site ADD_TEST_SET_LRU = Site.of("lru_cache_add", "if (!TestSetPageLRU(page))");
    static final Site ACT_LRU = Site.of("activate_page", "if (PageLRU(page) && !PageActive(page))");
    static final Site ACT_SET_ACTIVE = Site.of("activate_page", "SetPageActive(page)");
    static final Site MPA_ACTIVE = Site.of("mark_page_accessed", "if (!PageActive(page) && PageReferenced(page))");
    static final Site MPA_REFERENCED = Site.of("mark_page_accessed", "PageReferenced(page)");
    static final Site MPA_CLEAR_REF = Site.of("mark_page_accessed", "ClearPageReferenced(page)");
    static final Site MPA_SET_REF = Site.of("mark_page_accessed", "SetPageReferenced(page)");

    private LruCache() {
    }

    /**
     * mm/swap.c: lru_cache_add() (2.5.31's direct form, with 2.5.33's helpers; docs/FIDELITY.md):
     * {@code TestSetPageLRU}; if it was already set, nothing; else lock, add to the inactive list,
     * unlock. Departure: 2.5.31's {@code pagemap_lru_lock} was a plain spin_lock; this machine's
     * lock is -mm1's irq-safe per-zone lock, so it is taken with {@code spin_lock_irq} as every
     * user of that lock must.
     */
    public static void lruCacheAdd(Cpu cpu, Page page) {
        if (page.testSetPageLru(cpu, ADD_TEST_SET_LRU)) {
            return;
        }
        ZoneLru zl = Lru.of(cpu).zoneOf(page);
        zl.lruLock().spinLockIrq(cpu);
        zl.addPageToInactiveList(cpu, page);
        zl.lruLock().spinUnlockIrq(cpu);
    }

    /**
     * mm/swap.c: activate_page() (2.5.33, F4; 2.5.31's logic with patch 11's irq-safe lock):
     * under the lock, a page on the inactive list moves to the active list and gets PG_active.
     * Counts {@code pgactivate}.
     */
    public static void activatePage(Cpu cpu, Page page) {
        Lru lru = Lru.of(cpu);
        ZoneLru zl = lru.zoneOf(page);
        zl.lruLock().spinLockIrq(cpu);
        if (page.pageLru(cpu, ACT_LRU) && !page.pageActive(cpu, ACT_LRU)) {
            zl.delPageFromInactiveList(cpu, page);
            page.setPageActive(cpu, ACT_SET_ACTIVE);
            zl.addPageToActiveList(cpu, page);
            lru.machine().pageAlloc().vmstat().inc(VmStat.Item.pgactivate);
        }
        zl.lruLock().spinUnlockIrq(cpu);
    }

    /**
     * mm/swap.c: mark_page_accessed() (2.5.31; docs/FIDELITY.md, [I]): an inactive page that was
     * referenced before is activated and loses PG_referenced; an unreferenced page gets it.
     * The 2.6 form also requires PageLRU for the activation; this is the 2.5.31 one.
     */
    public static void markPageAccessed(Cpu cpu, Page page) {
        if (!page.pageActive(cpu, MPA_ACTIVE) && page.pageReferenced(cpu, MPA_ACTIVE)) {
            activatePage(cpu, page);
            page.clearPageReferenced(cpu, MPA_CLEAR_REF);
        } else if (!page.pageReferenced(cpu, MPA_REFERENCED)) {
            page.setPageReferenced(cpu, MPA_SET_REF);
        }
    }

    /**
     * include/linux/pagemap.h: page_cache_release() (2.5.32): the machine's protocol's release
     * side ({@link LruProtocol#pageCacheRelease}).
     */
    public static void pageCacheRelease(Cpu cpu, Page page) {
        Lru.of(cpu).protocol().pageCacheRelease(cpu, page);
    }

    /**
     * include/linux/mm.h: put_page() (2.5.32, "put_page() consolidation" in 2.5.33): the same as
     * page_cache_release() ({@code put_page_testzero} then {@code __page_cache_release}).
     */
    public static void putPage(Cpu cpu, Page page) {
        Lru.of(cpu).protocol().pageCacheRelease(cpu, page);
    }
}
