package org.mmemu.reclaim;

import static org.mmemu.core.page.PageFlags.PG_lru;

import org.mmemu.core.Machine;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.page.Page;
import org.mmemu.lru.Lru;
import org.mmemu.lru.ZoneLru;
import org.mmemu.pagevec.Pagevec;

/**
 * The entry points of mm/swap.c (2.5.31 / 2.5.32) that reclaim and the workloads call:
 * {@code lru_cache_add}, {@code lru_add_drain}, {@code mark_page_accessed},
 * {@code activate_page}, {@code page_cache_release}, {@code pagevec_release} and
 * {@code __pagevec_release_nonlru}. The release paths go through the machine's protocol; the
 * rest are gathered here so that reclaim names each kernel function once.
 */
final class LruOps {
    private static final Site ADD_TESTSET = Site.of("lru_cache_add", "TestSetPageLRU(page)");
    private static final Site ACT_LRU = Site.of("activate_page", "PageLRU(page)");
    private static final Site ACT_ACTIVE = Site.of("activate_page", "PageActive(page)");
    private static final Site MPA_ACTIVE = Site.of("mark_page_accessed", "PageActive(page)");
    private static final Site MPA_REF = Site.of("mark_page_accessed", "PageReferenced(page)");
    private static final Site MPA_CLEAR = Site.of("mark_page_accessed", "ClearPageReferenced(page)");
    private static final Site MPA_SET = Site.of("mark_page_accessed", "SetPageReferenced(page)");
    private static final Site NONLRU_LRU = Site.of("__pagevec_release_nonlru", "BUG_ON(PageLRU(page))");
    private static final Site NONLRU_PUT = Site.of("__pagevec_release_nonlru", "put_page_testzero(page)");

    private final Machine machine;
    private final Lru lru;

    LruOps(Machine machine, Lru lru) {
        this.machine = machine;
        this.lru = lru;
    }

    /**
     * mm/swap.c: lru_cache_add() (2.5.31 direct form): TestSetPageLRU; if it was clear, take the
     * zone's lru_lock and add the page to the inactive list.
     */
    void lruCacheAdd(Cpu cpu, Page page) {
        if (page.testSetPageLru(cpu, ADD_TESTSET)) {
            return;
        }
        ZoneLru zl = lru.zoneOf(page);
        zl.lruLock().spinLockIrq(cpu);
        zl.addPageToInactiveList(cpu, page);
        zl.lruLock().spinUnlockIrq(cpu);
    }

    /** mm/swap.c: lru_add_drain() (2.5.32): nothing to drain with the direct lru_cache_add. */
    void lruAddDrain(Cpu cpu) {
    }

    /** mm/swap.c: activate_page() (2.5.31-mm1): under lru_lock, inactive → active if on the LRU. */
    void activatePage(Cpu cpu, Page page) {
        ZoneLru zl = lru.zoneOf(page);
        zl.lruLock().spinLockIrq(cpu);
        if (page.pageLru(cpu, ACT_LRU) && !page.pageActive(cpu, ACT_ACTIVE)) {
            zl.delPageFromInactiveList(cpu, page);
            page.setPageActive(cpu, ACT_ACTIVE);
            zl.addPageToActiveList(cpu, page);
        }
        zl.lruLock().spinUnlockIrq(cpu);
    }

    /**
     * mm/filemap.c: mark_page_accessed() (2.5.31): the second touch of an inactive page that is
     * already referenced activates it; the first only sets PG_referenced.
     */
    void markPageAccessed(Cpu cpu, Page page) {
        if (!page.pageActive(cpu, MPA_ACTIVE) && page.pageReferenced(cpu, MPA_REF)) {
            activatePage(cpu, page);
            page.clearPageReferenced(cpu, MPA_CLEAR);
        } else if (!page.pageReferenced(cpu, MPA_REF)) {
            page.setPageReferenced(cpu, MPA_SET);
        }
    }

    /** include/linux/pagemap.h: page_cache_release() (2.5.32): through the protocol. */
    void pageCacheRelease(Cpu cpu, Page page) {
        lru.protocol().pageCacheRelease(cpu, page);
    }

    /** include/linux/pagevec.h: pagevec_release() (2.5.32): {@code __pagevec_release} if non-empty. */
    void pagevecRelease(Cpu cpu, Pagevec pvec) {
        if (pvec.pagevecCount() != 0) {
            pagevecReleaseLocked(cpu, pvec);
        }
    }

    /** mm/swap.c: __pagevec_release() (2.5.31-mm1): the protocol's release_pages, then reinit. */
    void pagevecReleaseLocked(Cpu cpu, Pagevec pvec) {
        lru.protocol().releasePages(cpu, pvec.pages(), pvec.pagevecCount());
        pvec.pagevecReinit();
    }

    /**
     * mm/swap.c: __pagevec_release_nonlru() (2.5.32, P5): for each page, BUG_ON(PageLRU); drop
     * the reference; free those that reached zero ({@code pagevec_free} → {@code __free_pages_ok}).
     */
    void pagevecReleaseNonlru(Cpu cpu, Pagevec pvec) {
        Pagevec toFree = new Pagevec();
        for (int i = 0; i < pvec.pagevecCount(); i++) {
            Page page = pvec.page(i);
            if (page.testFlag(cpu, NONLRU_LRU, PG_lru)) {
                throw cpu.detectors().kernelBug(cpu, page.pfn(), NONLRU_LRU, "__pagevec_release_nonlru: PageLRU(page)");
            }
            if (page.putPageTestzero(cpu, NONLRU_PUT)) {
                toFree.pagevecAdd(page);
            }
        }
        // pagevec_free() -> __free_pages_ok() on each page.
        for (int i = 0; i < toFree.pagevecCount(); i++) {
            machine.pageAlloc().freePagesOk(cpu, toFree.page(i), 0, NONLRU_PUT);
        }
        pvec.pagevecReinit();
    }
}
