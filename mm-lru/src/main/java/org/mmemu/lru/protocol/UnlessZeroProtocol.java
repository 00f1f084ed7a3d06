package org.mmemu.lru.protocol;

import org.mmemu.core.KernelProfile;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Page;
import org.mmemu.lru.Lru;
import org.mmemu.lru.LruProtocol;
import org.mmemu.lru.ZoneLru;

/**
 * {@code unless-zero}: 2.6.16 and later, Nick Piggin's "mm: simplify vmscan vs release
 * refcounting" (commit 7c8ee9a86340db686cd4314e9944dc9b6111bda9, docs/RACE.md), the rule
 * modern kernels keep ({@code folio_try_get} in isolate_lru_folios()). Reclaim takes its
 * reference with {@code get_page_unless_zero()}, which never raises a zero count, and clears
 * PG_lru only after it succeeded ("Be careful not to clear PageLRU until after we're sure the
 * page is not being freed elsewhere -- the page release code relies on it"). So a releaser
 * whose put reached zero owns the page outright; if PG_lru is still set the page is still on
 * the LRU, and under the lock {@code TestClearPageLRU} must find it set (BUG otherwise). No
 * recheck, no window.
 *
 * <p>Choices: the count is unbiased, as after the de-skew patch that followed NP
 * ({@code atomic_inc_not_zero}; 2.6.16 itself had {@code atomic_add_unless(&_count, 1, -1)} on
 * the biased count: the same semantics). {@code get_page_unless_zero()} is i386's load and
 * {@code cmpxchg} loop. 2.6.16's put_page() has no PageReserved test (it was gone by then) and
 * neither has this mirror. The put-back's {@code BUG_ON(PageLRU(page)); SetPageLRU(page)} is
 * done as one {@code TestSetPageLRU} with a BUG ({@link LruSteps#putback}): same meaning, one
 * step fewer.
 */
public final class UnlessZeroProtocol implements LruProtocol {
    static final Site ISOLATE_BUG_ON = Site.of("isolate_lru_pages", "BUG_ON(!PageLRU(page))");
    static final Site ISOLATE_DEL = Site.of("isolate_lru_pages", "list_del(&page->lru)");
    public static final Site ISOLATE_GET = Site.of("isolate_lru_pages", "if (likely(get_page_unless_zero(page)))");
    static final Site ISOLATE_CLEAR_LRU = Site.of("isolate_lru_pages", "ClearPageLRU(page)");
    static final Site ISOLATE_ADD = Site.of("isolate_lru_pages", "list_add(&page->lru, target)");

    static final Site PCR_TESTZERO = Site.of("put_page", "if (put_page_testzero(page))");
    static final Site PCR_LRU = Site.of("__page_cache_release", "if (PageLRU(page))");
    static final Site PCR_CLEAR_LRU = Site.of("__page_cache_release", "if (!TestClearPageLRU(page)) BUG()");
    static final Site PCR_FREE = Site.of("__page_cache_release", "free_hot_page(page)");

    static final Site PV_TESTZERO = Site.of("release_pages", "if (!put_page_testzero(page)) continue");
    static final Site PV_LRU = Site.of("release_pages", "if (PageLRU(page))");
    static final Site PV_ZONE_CMP = Site.of("release_pages", "if (pagezone != zone)");
    static final Site PV_CLEAR_LRU = Site.of("release_pages", "if (!TestClearPageLRU(page)) BUG()");
    static final Site PV_FREE = Site.of("release_pages", "__pagevec_free(&pages_to_free)");

    @Override
    public String name() {
        return "unless-zero";
    }

    @Override
    public String origin() {
        return "2.6.16: get_page_unless_zero() before clearing PG_lru (N. Piggin, \"mm: simplify vmscan vs release refcounting\")";
    }

    @Override
    public String version() {
        return profile().version();
    }

    @Override
    public KernelProfile profile() {
        return KernelProfile.V2_6_16;
    }

    /** mm/swap.c: put_page() and __page_cache_release() (2.6.16). */
    @Override
    public void pageCacheRelease(Cpu cpu, Page page) {
        if (!page.putPageTestzero(cpu, PCR_TESTZERO)) {
            return;
        }
        Lru lru = Lru.of(cpu);
        if (page.pageLru(cpu, PCR_LRU)) {
            ZoneLru zl = lru.zoneOf(page);
            boolean flags = zl.lruLock().spinLockIrqsave(cpu);
            if (!page.testClearPageLru(cpu, PCR_CLEAR_LRU)) {
                throw cpu.detectors().kernelBug(cpu, page.pfn(), PCR_CLEAR_LRU, "__page_cache_release: PG_lru cleared under us");
            }
            zl.delPageFromLru(cpu, page);
            zl.lruLock().spinUnlockIrqrestore(cpu, flags);
        }
        lru.machine().pageAlloc().freePagesOk(cpu, page, 0, PCR_FREE);
    }

    /** mm/swap.c: release_pages(pages, nr, cold) (2.6.16). */
    @Override
    public void releasePages(Cpu cpu, Page[] pages, int nr) {
        ReleaseLocals rel = new ReleaseLocals(cpu);
        for (int i = 0; i < nr; i++) {
            Page page = pages[i];
            if (!page.putPageTestzero(cpu, PV_TESTZERO)) {
                continue;
            }
            if (page.pageLru(cpu, PV_LRU)) {
                ZoneLru pagezone = rel.zoneOf(page);
                cpu.local(PV_ZONE_CMP);
                rel.lock(cpu, pagezone);
                if (!page.testClearPageLru(cpu, PV_CLEAR_LRU)) {
                    throw cpu.detectors().kernelBug(cpu, page.pfn(), PV_CLEAR_LRU, "release_pages: PG_lru cleared under us");
                }
                pagezone.delPageFromLru(cpu, page);
            }
            rel.addOrFree(cpu, page, PV_FREE);
        }
        rel.finish(cpu, PV_FREE);
    }

    /**
     * mm/vmscan.c: isolate_lru_pages() loop body (2.6.16, NP), in its statement order:
     * {@code BUG_ON(!PageLRU(page))}; {@code list_del}; {@code target = src}; if
     * {@code get_page_unless_zero()} succeeds, {@code ClearPageLRU} and the private list is the
     * target; {@code list_add(&page->lru, target)}, so a refused page goes back to the head of
     * its list. Between the {@code list_del} and the {@code list_add} the page is on no list
     * with PG_lru set; a releaser that finds PG_lru set spins on the lock B holds, so it never
     * sees that state. The list_del / get / list_add order is as in the later forms of this
     * loop that keep NP's body (e.g. the 2.6.2x container patches); the {@code BUG_ON}'s place
     * before the {@code list_del} is [I].
     */
    @Override
    public boolean isolateLruPage(Cpu cpu, ZoneLru zl, Page page, ListHead dst, boolean fromActive) {
        if (!page.pageLru(cpu, ISOLATE_BUG_ON)) {
            throw cpu.detectors().kernelBug(cpu, page.pfn(), ISOLATE_BUG_ON, "isolate_lru_pages: page on the LRU without PG_lru");
        }
        page.listDel(cpu, ISOLATE_DEL);
        ListHead target = LruSteps.source(zl, fromActive);
        boolean taken = page.getPageUnlessZero(cpu, ISOLATE_GET);
        if (taken) {
            // "Be careful not to clear PageLRU until after we're sure the page is not being
            // freed elsewhere -- the page release code relies on it."
            page.clearPageLru(cpu, ISOLATE_CLEAR_LRU);
            target = dst;
        } // else it is being freed elsewhere
        target.listAdd(cpu, ISOLATE_ADD, page);
        return taken; // the counters: the caller's one batch step (isolate_lru_pages() returns nr_taken)
    }

    /** mm/vmscan.c: shrink_inactive_list() put-back (2.6.16): see {@link LruSteps#putback}. */
    @Override
    public void putbackLruPage(Cpu cpu, ZoneLru zl, Page page) {
        LruSteps.putback(cpu, zl, page);
    }
}
