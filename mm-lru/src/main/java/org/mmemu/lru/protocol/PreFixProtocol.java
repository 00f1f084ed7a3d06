package org.mmemu.lru.protocol;

import java.util.List;
import org.mmemu.core.KernelProfile;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Page;
import org.mmemu.lru.Lru;
import org.mmemu.lru.LruProtocol;
import org.mmemu.lru.SeedRaceExpectation;
import org.mmemu.lru.ZoneLru;

/**
 * {@code pre-fix}: Linus' BK tree of 18 Aug 2002, changesets 01-08 (the pagevec series,
 * multithreaded reclaim, the irq-safe {@code _pagemap_lru_lock}), the code Christian Ehrhardt's
 * "Race in pagevec code" (21 Aug 2002) is about.
 *
 * <p>Two of the three places are already tested: {@code __pagevec_release()} rechecks the count
 * under the lock (01) and shrink_cache() skips a zero count (02). Untested are
 * refill_inactive(), which takes a reference on whatever it finds on the active list (until
 * the semi-fix, 14), and {@code __page_cache_release()}, which trusts the decrement: it
 * asserts {@code page_count == 0}, looks at PageLRU <em>outside</em> the lock, and frees
 * without a recheck (until 10 and 13). Ehrhardt's refill race goes through both: the releaser
 * is delayed after its {@code BUG_ON} ("interrupt or preempt or something else"), refill takes
 * the page 0 -> 1, moves it to the inactive list and drops its reference through
 * {@code __pagevec_release()}, whose recheck frees it; the releaser then finds PG_lru clear,
 * skips the lock and frees it again.
 *
 * <p>Departure: BK of 18 Aug had one global {@code _pagemap_lru_lock} and global lists; this
 * machine has per-zone lists and locks, so the lock is the page's zone's. With one zone, as in
 * every shipped scenario, the two are the same.
 */
public final class PreFixProtocol implements LruProtocol {
    /** Changesets 01-08 (14-16 Aug 2002): the pagevec series as Linus' BK had it on the 18th. */
    static final List<String> PAGEVEC_SERIES = List.of("01-d482e4a105 pagevec infrastructure",
            "02-637e8ec953 multithread page reclaim",
            "03-697249d4d9 batched removal of pages from the LRU",
            "04-6666c178f3 make pagemap_lru_lock irq-safe",
            "05-4bc52527f9 pagemap_lru_lock wrapup",
            "06-5b4de1d267 deferred and batched addition of pages to the LRU",
            "07-29c3f6ff9e memory leak in current BK",
            "08-432e837c08 PageReserved test in __pagevec_release()");

    static final Site PV_RESERVED = Site.of("__pagevec_release", "if (PageReserved(page) ||");
    static final Site PV_TESTZERO = Site.of("__pagevec_release", "!put_page_testzero(page))");
    static final Site PV_TEST_RESULT = Site.of("__pagevec_release", "continue; [insn: test the result]");
    static final Site PV_LOCK_HELD = Site.of("__pagevec_release", "if (!lock_held) [insn]");
    static final Site PV_CLEAR_LRU = Site.of("__pagevec_release", "if (TestClearPageLRU(page))");
    static final Site PV_ACTIVE = Site.of("__pagevec_release", "if (PageActive(page))");
    static final Site PV_RECHECK = Site.of("__pagevec_release", "if (page_count(page) == 0)");
    static final Site PV_FREE = Site.of("__pagevec_release", "pagevec_free(&pages_to_free)");

    static final Site PCR_RESERVED = Site.of("put_page", "if (!PageReserved(p) &&");
    static final Site PCR_TESTZERO = Site.of("put_page", "put_page_testzero(p))");
    static final Site PCR_TEST_RESULT = Site.of("put_page", "[insn: test the result]");
    static final Site PCR_CALL = Site.of("put_page", "__page_cache_release(p) [insn: call]");
    /** The entry check: passes, since the releaser's own decrement made the count zero. */
    public static final Site PCR_BUG_ON = Site.of("__page_cache_release", "BUG_ON(page_count(page) != 0)");
    /** The PageLRU test outside the lock: where Ehrhardt's second free is decided. */
    public static final Site PCR_LRU = Site.of("__page_cache_release", "if (PageLRU(page))");
    static final Site PCR_CLEAR_LRU = Site.of("__page_cache_release", "if (!TestClearPageLRU(page)) BUG()");
    static final Site PCR_ACTIVE = Site.of("__page_cache_release", "if (PageActive(page))");
    static final Site PCR_FREE = Site.of("__page_cache_release", "__free_pages_ok(page, 0)");

    static final Site DEL_ACTIVE = Site.of("del_page_from_active_list", "list_del(&(page)->lru)");
    static final Site DEL_CLEAR_ACTIVE = Site.of("del_page_from_active_list", "ClearPageActive(page)");
    static final Site DEL_NR_ACTIVE = Site.of("del_page_from_active_list", "dec_page_state(nr_active)");
    static final Site DEL_INACTIVE = Site.of("del_page_from_inactive_list", "list_del(&(page)->lru)");
    static final Site DEL_NR_INACTIVE = Site.of("del_page_from_inactive_list", "dec_page_state(nr_inactive)");

    @Override
    public String name() {
        return "pre-fix";
    }

    @Override
    public String origin() {
        return "BK of 18 Aug 2002 (changesets 01-08): no zero test in refill_inactive, no recheck in"
                + " __page_cache_release (Ehrhardt, \"Race in pagevec code\", 21 Aug 2002)";
    }

    @Override
    public String version() {
        return profile().version();
    }

    @Override
    public KernelProfile profile() {
        return KernelProfile.V2_5_31_BK;
    }

    @Override
    public List<String> changesets() {
        return PAGEVEC_SERIES;
    }

    @Override
    public SeedRaceExpectation expectedOnSeedRace() {
        return SeedRaceExpectation.doubleFree("double free when all five footnote conditions hold, as mm1");
    }

    /**
     * include/linux/mm.h: put_page() (07-29c3f6ff9e) and mm/swap.c: __page_cache_release()
     * (05-4bc52527f9 with 07's {@code __free_pages_ok}): {@code BUG_ON(page_count != 0)}; if
     * PageLRU (outside the lock), lock irqsave, BUG if {@code !TestClearPageLRU}, del, unlock;
     * free. No recheck.
     */
    @Override
    public void pageCacheRelease(Cpu cpu, Page page) {
        pageCacheReleaseNoRecheck(cpu, page);
    }

    /** The body of {@link #pageCacheRelease}, which the constructed {@code no-tests} shares. */
    static void pageCacheReleaseNoRecheck(Cpu cpu, Page page) {
        if (page.pageReserved(cpu, PCR_RESERVED)) {
            return;
        }
        boolean zero = page.putPageTestzero(cpu, PCR_TESTZERO);
        cpu.local(PCR_TEST_RESULT);
        if (!zero) {
            return;
        }
        cpu.local(PCR_CALL);
        if (page.pageCount(cpu, PCR_BUG_ON) != 0) {
            throw cpu.detectors().kernelBug(cpu, page.pfn(), PCR_BUG_ON, "__page_cache_release: page_count(page) != 0");
        }
        if (page.pageLru(cpu, PCR_LRU)) {
            ZoneLru zl = Lru.of(cpu).zoneOf(page);
            boolean flags = zl.lruLock().spinLockIrqsave(cpu);
            if (!page.testClearPageLru(cpu, PCR_CLEAR_LRU)) {
                throw cpu.detectors().kernelBug(cpu, page.pfn(), PCR_CLEAR_LRU, "__page_cache_release: PG_lru cleared under us");
            }
            delPageFromLru(cpu, zl, page, PCR_ACTIVE);
            zl.lruLock().spinUnlockIrqrestore(cpu, flags);
        }
        Lru.of(cpu).machine().pageAlloc().freePagesOk(cpu, page, 0, PCR_FREE);
    }

    /**
     * mm/swap.c: __pagevec_release() (BK 18 Aug and 2.5.32; 01-d482e4a105 with 03, 04, 08; the
     * 2.5.32 text): the lock
     * is taken at the first page whose count falls to zero ({@code lock_held}) and kept; PG_lru
     * tested under it; the count rechecked before the page goes on {@code pages_to_free}.
     */
    @Override
    public void releasePages(Cpu cpu, Page[] pages, int nr) {
        // the kernel's caller hands at most one pagevec at a time
        for (int from = 0; from < nr; from += PagesToFree.PAGEVEC_SIZE) {
            pagevecRelease(cpu, pages, from, Math.min(nr, from + PagesToFree.PAGEVEC_SIZE));
        }
    }

    private static void pagevecRelease(Cpu cpu, Page[] pages, int from, int to) {
        PagesToFree toFree = new PagesToFree();
        ZoneLru held = null;
        for (int i = from; i < to; i++) {
            Page page = pages[i];
            if (page.pageReserved(cpu, PV_RESERVED)) {
                continue;
            }
            boolean zero = page.putPageTestzero(cpu, PV_TESTZERO);
            cpu.local(PV_TEST_RESULT);
            if (!zero) {
                continue;
            }
            cpu.local(PV_LOCK_HELD);
            ZoneLru zl = Lru.of(cpu).zoneOf(page);
            if (held == null) {
                held = zl;
                held.lruLock().spinLockIrq(cpu);
            }
            if (page.testClearPageLru(cpu, PV_CLEAR_LRU)) {
                delPageFromLru(cpu, zl, page, PV_ACTIVE);
            }
            if (page.pageCount(cpu, PV_RECHECK) == 0) {
                toFree.add(page);
            }
        }
        if (held != null) {
            held.lruLock().spinUnlockIrq(cpu);
        }
        toFree.free(cpu, PV_FREE);
    }

    /**
     * include/linux/swap.h: {@code if (PageActive(page)) del_page_from_active_list(page); else
     * del_page_from_inactive_list(page);} (2.5.32 macros: list_del, ClearPageActive, the count).
     */
    private static void delPageFromLru(Cpu cpu, ZoneLru zl, Page page, Site activeTest) {
        if (page.pageActive(cpu, activeTest)) {
            page.listDel(cpu, DEL_ACTIVE);
            page.clearPageActive(cpu, DEL_CLEAR_ACTIVE);
            zl.addNrActive(cpu, DEL_NR_ACTIVE, -1);
        } else {
            page.listDel(cpu, DEL_INACTIVE);
            zl.addNrInactive(cpu, DEL_NR_INACTIVE, -1);
        }
    }

    /**
     * mm/vmscan.c: shrink_cache() isolation with its zero-count skip (02-637e8ec953) and
     * refill_inactive() isolation without one ({@link LruSteps#isolateRefill}: TestClearPageLRU,
     * page_cache_get, list_move).
     */
    @Override
    public boolean isolateLruPage(Cpu cpu, ZoneLru zl, Page page, ListHead dst, boolean fromActive) {
        if (fromActive) {
            LruSteps.isolateRefill(cpu, page, dst);
            return true;
        }
        return ZoneLockPaths.isolate(cpu, profile(), zl, page, dst, false);
    }

    /**
     * mm/vmscan.c: shrink_cache() put-back (2.5.32 text, 02-637e8ec953): {@code TestSetPageLRU}
     * (BUG if set), {@code list_del}, then {@code if (PageActive(page))
     * __add_page_to_active_list(page); else add_page_to_inactive_list(page);}: only the inactive
     * branch runs DEBUG_LRU_PAGE (two flag loads, include/linux/swap.h), the active one has none.
     */
    @Override
    public void putbackLruPage(Cpu cpu, ZoneLru zl, Page page) {
        if (page.testSetPageLru(cpu, LruSteps.PUTBACK_SET_LRU)) {
            throw cpu.detectors().kernelBug(cpu, page.pfn(), LruSteps.PUTBACK_SET_LRU, "put-back of a page with PG_lru set");
        }
        page.listDel(cpu, LruSteps.PUTBACK_DEL);
        if (page.pageActive(cpu, LruSteps.PUTBACK_ACTIVE)) {
            zl.addPageToActiveList(cpu, page);
        } else {
            zl.addPageToInactiveList2532(cpu, page);
        }
    }
}
