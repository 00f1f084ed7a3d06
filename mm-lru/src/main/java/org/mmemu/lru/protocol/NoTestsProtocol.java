package org.mmemu.lru.protocol;

import org.mmemu.core.KernelProfile;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Page;
import org.mmemu.lru.LruProtocol;
import org.mmemu.lru.SeedRaceExpectation;
import org.mmemu.lru.ZoneLru;

/**
 * {@code no-tests}: a constructed teaching case, not a kernel that existed. akpm's pagevec code
 * with every look at the count under the lock taken out: reclaim takes a reference on whatever
 * it finds on the LRU, and the releasers free whatever their own decrement took to zero, with
 * no recheck. "B resurrects P, A frees a page B is using, then B frees it again", with no
 * interrupt at all.
 *
 * <p>No tree ever lacked both tests: the recheck in {@code __pagevec_release()} and
 * shrink_cache()'s skip of zero counts are in the very first pagevec and multithreaded-reclaim
 * changesets (01, 02, 14 Aug 2002), and 2.5.31's own shrink_cache() skipped zero counts. The
 * kernel before the fixes is {@code pre-fix}.
 *
 * <p>How it is built (the fixed forms with the tests removed):
 * <ul>
 * <li>Isolation ({@link LruSteps#isolatePlain}): from the active list as 2.5.31-bk's
 * refill_inactive() ({@code TestClearPageLRU}, {@code page_cache_get}, {@code list_move}); from
 * the inactive list as 2.5.32's shrink_cache() without its count test.</li>
 * <li>{@code __pagevec_release()}: the first pagevec form (01), which took the lock only for
 * pages that tested PageLRU, without its recheck of the count. The PageLRU test is outside the
 * lock, so a page whose PG_lru reclaim has just cleared is freed without the lock at all.</li>
 * <li>{@code __page_cache_release()}: the form of changesets 05 and 07:
 * {@code BUG_ON(page_count != 0)}; if PageLRU, lock irqsave, BUG if {@code !TestClearPageLRU},
 * del, unlock; {@code __free_pages_ok()}.</li>
 * </ul>
 */
public final class NoTestsProtocol implements LruProtocol {
    static final Site PV_RESERVED = Site.of("__pagevec_release", "if (PageReserved(page))");
    static final Site PV_TESTZERO = Site.of("__pagevec_release", "put_page_testzero(page)");
    static final Site PV_TEST_RESULT = Site.of("__pagevec_release", "if (!put_page_testzero(page)) continue");
    static final Site PV_LRU = Site.of("__pagevec_release", "if (PageLRU(page) && pagezone != zone)");
    static final Site PV_CLEAR_LRU = Site.of("__pagevec_release", "if (TestClearPageLRU(page))");
    static final Site PV_FREE = Site.of("__pagevec_release", "pagevec_free(&pages_to_free)");


    @Override
    public String name() {
        return "no-tests";
    }

    @Override
    public String origin() {
        return "constructed, no kernel: akpm's pagevec code with both page_count() tests under the lock taken out";
    }

    @Override
    public String version() {
        return "constructed";
    }

    /** Runs as 2.5.33, the kernel of the mail's proposals (a constructed protocol has none of its own). */
    @Override
    public KernelProfile profile() {
        return KernelProfile.V2_5_33;
    }

    @Override
    public SeedRaceExpectation expectedOnSeedRace() {
        return SeedRaceExpectation.doubleFree("double free without any interrupt");
    }

    /** include/linux/mm.h: put_page() and mm/swap.c: __page_cache_release() (05, 07): {@code pre-fix}'s, which has no recheck either. */
    @Override
    public void pageCacheRelease(Cpu cpu, Page page) {
        PreFixProtocol.pageCacheReleaseNoRecheck(cpu, page);
    }

    /** mm/swap.c: __pagevec_release() (P5, without its recheck of the count). */
    @Override
    public void releasePages(Cpu cpu, Page[] pages, int nr) {
        ReleaseLocals rel = new ReleaseLocals(cpu);
        for (int i = 0; i < nr; i++) {
            Page page = pages[i];
            if (page.pageReserved(cpu, PV_RESERVED)) {
                continue;
            }
            boolean zero = page.putPageTestzero(cpu, PV_TESTZERO);
            cpu.local(PV_TEST_RESULT);
            if (!zero) {
                continue;
            }
            ZoneLru pagezone = rel.zoneOf(page);
            if (page.pageLru(cpu, PV_LRU)) {
                rel.lock(cpu, pagezone);
            }
            if (page.testClearPageLru(cpu, PV_CLEAR_LRU)) {
                pagezone.delPageFromLru(cpu, page);
            }
            rel.addOrFree(cpu, page, PV_FREE);
        }
        rel.finish(cpu, PV_FREE);
    }

    /**
     * mm/vmscan.c: shrink_cache() (2.5.32 without the count test) / refill_inactive()
     * (2.5.31-bk7) isolation: {@link LruSteps#isolatePlain}.
     */
    @Override
    public boolean isolateLruPage(Cpu cpu, ZoneLru zl, Page page, ListHead dst, boolean fromActive) {
        return LruSteps.isolatePlain(cpu, zl, page, dst, fromActive);
    }

    /** mm/vmscan.c: shrink_cache() put-back (2.5.32, F2): see {@link LruSteps#putback}. */
    @Override
    public void putbackLruPage(Cpu cpu, ZoneLru zl, Page page) {
        LruSteps.putback(cpu, zl, page);
    }
}
