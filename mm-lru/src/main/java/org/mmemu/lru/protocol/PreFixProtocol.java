package org.mmemu.lru.protocol;

import java.util.List;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Page;
import org.mmemu.lru.Lru;
import org.mmemu.lru.LruProtocol;
import org.mmemu.lru.SeedRaceExpectation;
import org.mmemu.lru.ZoneLru;

/**
 * {@code pre-fix}: the pagevec series before akpm's tests, the code Christian Ehrhardt's "Race
 * in pagevec code" (21 Aug 2002) is about. Neither side looks at the count under the lock:
 * reclaim takes a reference on whatever it finds on the LRU, and the releasers free whatever
 * their own decrement took to zero. docs/RACE.md condition 6: "B resurrects P, A frees a page B
 * is using, then B frees it again" — no interrupt needed.
 *
 * <p><b>A constructed case, not a released kernel.</b> This is {@code mm1}'s pagevec code (P5's
 * {@code __pagevec_release()}, P12's {@code __page_cache_release()}) with the recheck of the
 * count under the lock and shrink_cache()'s skip of zero counts taken out: docs/RACE.md
 * condition 6, "without the tests". No tree shipped exactly this; it stands for the state of
 * akpm's series that Ehrhardt's report describes.
 *
 * <p>Sources and choices (the reference gives the fixed forms; this is them without the fixes):
 * <ul>
 * <li>Isolation ({@link LruSteps#isolatePlain}), with no look at the count: from the active
 * list as 2.5.31-bk7's refill_inactive() (mm/vmscan.c, docs/FIDELITY.md: "bk7 did not yet" skip
 * zero counts): {@code TestClearPageLRU}, {@code page_cache_get}, {@code list_move}; from the
 * inactive list as 2.5.32's shrink_cache() without its count test: {@code TestClearPageLRU},
 * {@code list_del}, {@code list_add}, {@code page_cache_get}.</li>
 * <li>{@code __pagevec_release()}: P5's loop (mm/swap.c), which took the lock only for pages
 * that tested PageLRU ("In P5 step 2.4 also required PageLRU"), without P5's recheck of the
 * count. The PageLRU test is outside the lock; a page whose PG_lru reclaim has just cleared is
 * therefore freed without the lock at all, which is the no-interrupt double free. The lock is
 * per zone (this machine has per-zone LRUs, as -mm1 had).</li>
 * <li>{@code __page_cache_release()}: P12's (after "four, repeat four bugs"):
 * {@code BUG_ON(page_count != 0)}; if PageLRU, lock irqsave, BUG if {@code !TestClearPageLRU},
 * del, unlock. The reference ends P12's form with {@code __free_page()} ("a second put!"),
 * which taken literally never frees a page whose count is already zero; this mirror frees with
 * {@code __free_pages_ok()} as every later form does, since what the protocol is about is the
 * ordering, not that slip.</li>
 * </ul>
 */
public final class PreFixProtocol implements LruProtocol {
    static final Site PV_RESERVED = Site.of("__pagevec_release", "if (PageReserved(page))");
    static final Site PV_TESTZERO = Site.of("__pagevec_release", "put_page_testzero(page)");
    static final Site PV_TEST_RESULT = Site.of("__pagevec_release", "if (!put_page_testzero(page)) continue");
    static final Site PV_LRU = Site.of("__pagevec_release", "if (PageLRU(page) && pagezone != zone)");
    static final Site PV_CALL_LOCK = Site.of("__pagevec_release", "spin_lock_irq(&zone->lru_lock) [call]");
    static final Site PV_CLEAR_LRU = Site.of("__pagevec_release", "if (TestClearPageLRU(page))");
    static final Site PV_FREE = Site.of("__pagevec_release", "pagevec_free(&pages_to_free)");

    static final Site PCR_RESERVED = Site.of("page_cache_release", "if (!PageReserved(page)");
    static final Site PCR_TESTZERO = Site.of("page_cache_release", "put_page_testzero(page)");
    static final Site PCR_TEST_RESULT = Site.of("page_cache_release", "&& put_page_testzero(page))");
    static final Site PCR_BUG_ON = Site.of("__page_cache_release", "BUG_ON(page_count(page) != 0)");
    static final Site PCR_LRU = Site.of("__page_cache_release", "if (PageLRU(page))");
    static final Site PCR_CLEAR_LRU = Site.of("__page_cache_release", "if (!TestClearPageLRU(page)) BUG()");
    static final Site PCR_FREE = Site.of("__page_cache_release", "__free_pages_ok(page, 0)");

    @Override
    public String name() {
        return "pre-fix";
    }

    @Override
    public String origin() {
        return "akpm's pagevec series before the page_count tests (Ehrhardt, \"Race in pagevec code\", 21 Aug 2002)";
    }

    @Override
    public String version() {
        return "2.5.31";
    }

    @Override
    public List<String> changesets() {
        return List.of("01-d482e4a105 pagevec infrastructure",
                "02-637e8ec953 multithread page reclaim",
                "03-697249d4d9 batched removal of pages from the LRU");
    }

    @Override
    public SeedRaceExpectation expectedOnSeedRace() {
        return SeedRaceExpectation.doubleFree("double free without any interrupt");
    }

    /** mm/swap.c: page_cache_release() and __page_cache_release() (P12, 2.5.31 + akpm's series). */
    @Override
    public void pageCacheRelease(Cpu cpu, Page page) {
        if (page.pageReserved(cpu, PCR_RESERVED)) {
            return;
        }
        boolean zero = page.putPageTestzero(cpu, PCR_TESTZERO);
        cpu.local(PCR_TEST_RESULT);
        if (!zero) {
            return;
        }
        if (page.pageCount(cpu, PCR_BUG_ON) != 0) {
            throw cpu.detectors().kernelBug(cpu, page.pfn(), PCR_BUG_ON, "__page_cache_release: page_count(page) != 0");
        }
        if (page.pageLru(cpu, PCR_LRU)) {
            ZoneLru zl = Lru.of(cpu).zoneOf(page);
            boolean flags = zl.lruLock().spinLockIrqsave(cpu);
            if (!page.testClearPageLru(cpu, PCR_CLEAR_LRU)) {
                throw cpu.detectors().kernelBug(cpu, page.pfn(), PCR_CLEAR_LRU, "__page_cache_release: PG_lru cleared under us");
            }
            zl.delPageFromLru(cpu, page);
            zl.lruLock().spinUnlockIrqrestore(cpu, flags);
        }
        Lru.of(cpu).machine().pageAlloc().freePagesOk(cpu, page, 0, PCR_FREE);
    }

    /** mm/swap.c: __pagevec_release() (P5, without its recheck of the count). */
    @Override
    public void releasePages(Cpu cpu, Page[] pages, int nr) {
        Lru lru = Lru.of(cpu);
        PagesToFree toFree = new PagesToFree();
        ZoneLru zone = null;
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
            ZoneLru pagezone = lru.zoneOf(page);
            if (page.pageLru(cpu, PV_LRU) && pagezone != zone) {
                if (zone != null) {
                    zone.lruLock().spinUnlockIrq(cpu);
                }
                zone = pagezone;
                cpu.local(PV_CALL_LOCK);
                zone.lruLock().spinLockIrq(cpu);
            }
            if (page.testClearPageLru(cpu, PV_CLEAR_LRU)) {
                pagezone.delPageFromLru(cpu, page);
            }
            if (toFree.add(page) == 0) {
                if (zone != null) {
                    zone.lruLock().spinUnlockIrq(cpu);
                    zone = null;
                }
                toFree.free(cpu, PV_FREE);
            }
        }
        if (zone != null) {
            zone.lruLock().spinUnlockIrq(cpu);
        }
        toFree.free(cpu, PV_FREE);
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
