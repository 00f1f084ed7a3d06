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
 * {@code mm1}: 2.5.31-mm1 (and, modulo the lock's name, 2.5.32 to 2.6.6): "the tests" of
 * docs/RACE.md. Both sides look at {@code page_count() == 0} under {@code zone->lru_lock}:
 * shrink_cache() skips a page whose count is zero ("It is currently in pagevec_release()") and
 * the releasers recheck the count after taking the lock and free only if it is still zero.
 *
 * <p>What is left is the seed mail's footnote [1], docs/RACE.md: the isolation side's
 * {@code page_count()} load and its {@code page_cache_get()} are five steps apart (the
 * {@code list_add()} onto {@code page_list}, rows 4-7), and the release side's
 * {@code put_page_testzero()} and the {@code cli} of {@code spin_lock_irq} are four steps apart
 * (the test of the result, the zone compare, the call, then the {@code cli}: row 8). A decrement
 * that lands in the first window, followed by an interrupt in the second that outlasts
 * shrink_list(), frees the page twice. The sites below name each of those steps.
 *
 * <p>Sources: MM1 (the -mm1 announcement, 21 Aug 2002), P6 (shrink_cache), P5/P18 and F4
 * (__pagevec_release with the zone compare), CE (2.5.31-bk7's __page_cache_release).
 *
 * <p>Choices where the reference is open:
 * <ul>
 * <li>{@code __page_cache_release()} is bk7's without its entry {@code BUG_ON(page_count(page)
 * != 0)}, as 2.5.32 (F3) has it. With the check, a decrement in window 1 followed by no
 * interrupt at all trips the BUG (Ehrhardt's second scenario, docs/RACE.md condition 4), and the "LRU
 * race semi-fix" of 2.5.32 removed it for that reason [I]; the footnote describes the kernel
 * without it.</li>
 * <li>The isolation from the active list (refill_inactive_zone) has the same skip, as F6 has
 * it; bk7 did not yet (docs/FIDELITY.md, [I] that -mm1 had it). Without it this protocol would
 * be {@code pre-fix} on that path. As in F6, that path takes its reference right after the
 * count test and only then does the {@code list_add} onto {@code l_hold}, so the five-step
 * window exists only on the inactive (shrink_cache) path.</li>
 * <li>{@code page_zone(page)} reads bits of {@code page->flags} that never change after boot:
 * a {@link Cpu#local} step, independent of every other CPU.</li>
 * </ul>
 */
public final class Mm1Protocol implements LruProtocol {
    // shrink_cache() / refill_inactive_zone(), under zone->lru_lock (docs/RACE.md rows 2-7)
    /** Row 4: the load that opens the five-step window. */
    public static final Site ISOLATE_COUNT = Site.of("shrink_cache", "if (page_count(page) == 0)");
    static final Site ISOLATE_REFUSE_SET_LRU = Site.of("shrink_cache", "SetPageLRU(page)");
    static final Site ISOLATE_REFUSE_ADD = Site.of("shrink_cache", "list_add(&page->lru, &zone->inactive_list)");
    /** Row 6: the five steps of the window. */
    public static final Site ISOLATE_ADD = LruSteps.ISOLATE_ADD;
    /** Row 7: the get that closes the window. */
    public static final Site ISOLATE_GET = LruSteps.ISOLATE_GET;
    /** refill_inactive_zone()'s count test (F6): on this path the get follows it directly. */
    public static final Site REFILL_COUNT = Site.of("refill_inactive_zone", "if (page_count(page) == 0)");
    static final Site REFILL_REFUSE_SET_LRU = Site.of("refill_inactive_zone", "SetPageLRU(page)");
    static final Site REFILL_REFUSE_ADD = Site.of("refill_inactive_zone", "list_add(&page->lru, &zone->active_list)");
    /** refill_inactive_zone(): the get, before the page goes onto {@code l_hold}. */
    public static final Site REFILL_GET = Site.of("refill_inactive_zone", "page_cache_get(page)");
    static final Site REFILL_ADD = Site.of("refill_inactive_zone", "list_add(&page->lru, &l_hold)");

    // __pagevec_release() (2.5.33 / 2.5.31-mm1 form, docs/FIDELITY.md)
    static final Site PV_RESERVED = Site.of("__pagevec_release", "if (PageReserved(page))");
    /** Row 5: the decrement outside any lock. */
    public static final Site PV_TESTZERO = Site.of("__pagevec_release", "put_page_testzero(page)");
    /** Row 8, instruction 1: the test of put_page_testzero()'s result. */
    public static final Site PV_TEST_RESULT = Site.of("__pagevec_release", "if (!put_page_testzero(page)) continue");
    /** Row 8, instruction 2: the zone compare that stands where 2.5.32 tested lock_held. */
    public static final Site PV_ZONE_CMP = Site.of("__pagevec_release", "if (pagezone != zone)");
    /** Row 8, instruction 3: the call of spin_lock_irq(); its first instruction is the cli. */
    public static final Site PV_CALL_LOCK = Site.of("__pagevec_release", "spin_lock_irq(&zone->lru_lock) [call]");
    static final Site PV_CLEAR_LRU = Site.of("__pagevec_release", "if (TestClearPageLRU(page))");
    /** Row 14: the recheck. */
    public static final Site PV_RECHECK = Site.of("__pagevec_release", "if (page_count(page) == 0)");
    /** Row 15: the free. */
    public static final Site PV_FREE = Site.of("__pagevec_release", "pagevec_free(&pages_to_free)");

    // page_cache_release() / __page_cache_release() (2.5.32 inline + bk7 body, docs/FIDELITY.md)
    static final Site PCR_RESERVED = Site.of("page_cache_release", "if (!PageReserved(page)");
    /** The decrement outside any lock. */
    public static final Site PCR_TESTZERO = Site.of("page_cache_release", "put_page_testzero(page)");
    /** Row 8 on this path, 1: the test of the result. */
    public static final Site PCR_TEST_RESULT = Site.of("page_cache_release", "&& put_page_testzero(page))");
    /** Row 8 on this path, 2: the call. */
    public static final Site PCR_CALL = Site.of("page_cache_release", "__page_cache_release(page) [call]");
    /** Row 8 on this path, 3: the zone lookup before the lock; then the pushf; cli. */
    public static final Site PCR_PAGE_ZONE = Site.of("__page_cache_release", "zone = page_zone(page)");
    static final Site PCR_CLEAR_LRU = Site.of("__page_cache_release", "if (TestClearPageLRU(page))");
    public static final Site PCR_RECHECK = Site.of("__page_cache_release", "if (page_count(page) != 0)");
    public static final Site PCR_FREE = Site.of("__page_cache_release", "__free_pages_ok(page, 0)");

    @Override
    public String name() {
        return "mm1";
    }

    @Override
    public String origin() {
        return "2.5.31-mm1 .. 2.6.6: page_count() == 0 tests under the LRU lock (akpm, 21 Aug 2002)";
    }

    @Override
    public String version() {
        return "2.5.31-mm1";
    }

    @Override
    public List<String> changesets() {
        return List.of("10-d4cc441265 Fix a race between __page_cache_release() and shrink_cache()",
                "13-88d4b53801 Fix YA bug in __page_cache_release()");
    }

    @Override
    public SeedRaceExpectation expectedOnSeedRace() {
        return SeedRaceExpectation.doubleFree("double free only when all five footnote conditions hold");
    }

    /**
     * mm/swap.c: page_cache_release() (include/linux/pagemap.h inline, 2.5.32) and
     * __page_cache_release() (2.5.31-bk7 as -mm1 carried it, zone lock): decrement outside the
     * lock; if zero, lock irqsave, take the page off the LRU, recheck the count, unlock, free.
     */
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
        cpu.local(PCR_CALL);
        cpu.local(PCR_PAGE_ZONE);
        ZoneLru zl = Lru.of(cpu).zoneOf(page);
        boolean flags = zl.lruLock().spinLockIrqsave(cpu);
        if (page.testClearPageLru(cpu, PCR_CLEAR_LRU)) {
            zl.delPageFromLru(cpu, page);
        }
        boolean free = page.pageCount(cpu, PCR_RECHECK) == 0;
        zl.lruLock().spinUnlockIrqrestore(cpu, flags);
        if (free) {
            Lru.of(cpu).machine().pageAlloc().freePagesOk(cpu, page, 0, PCR_FREE);
        }
    }

    /**
     * mm/swap.c: __pagevec_release() (2.5.31-mm1 / 2.5.33, docs/FIDELITY.md): the zone's lock is
     * taken lazily at the first page whose count falls to zero and kept, irqs off, for the rest
     * of the vector, which is why only the first such page can race (footnote condition 5).
     * When {@code pages_to_free} fills (only if {@code nr > 16}) the lock is dropped and the
     * batch freed, as 2.6's release_pages() does.
     */
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
            cpu.local(PV_ZONE_CMP);
            if (pagezone != zone) {
                if (zone != null) {
                    zone.lruLock().spinUnlockIrq(cpu);
                }
                zone = pagezone;
                cpu.local(PV_CALL_LOCK);
                zone.lruLock().spinLockIrq(cpu);
            }
            if (page.testClearPageLru(cpu, PV_CLEAR_LRU)) {
                zone.delPageFromLru(cpu, page);
            }
            if (page.pageCount(cpu, PV_RECHECK) == 0) {
                if (toFree.add(page) == 0) {
                    zone.lruLock().spinUnlockIrq(cpu);
                    zone = null;
                    toFree.free(cpu, PV_FREE);
                }
            }
        }
        if (zone != null) {
            zone.lruLock().spinUnlockIrq(cpu);
        }
        toFree.free(cpu, PV_FREE);
    }

    /**
     * mm/vmscan.c: shrink_cache() inner loop (2.5.31-mm1, P6; docs/RACE.md rows 2-7) for the
     * inactive list, refill_inactive_zone() (F6, 2.5.4x/2.6.0) for the active list. Both:
     * {@code TestClearPageLRU}, {@code list_del}; a page whose count is zero is being freed by
     * someone else and goes back with PG_lru set. Otherwise shrink_cache() does
     * {@code list_add} onto {@code page_list} and then {@code page_cache_get} (the five-step
     * window), while refill_inactive_zone() does {@code page_cache_get} first and then
     * {@code list_add} onto {@code l_hold}: no window between its test and its get.
     */
    @Override
    public boolean isolateLruPage(Cpu cpu, ZoneLru zl, Page page, ListHead dst, boolean fromActive) {
        LruSteps.clearLruAndDel(cpu, page);
        if (fromActive) {
            if (page.pageCount(cpu, REFILL_COUNT) == 0) {
                // "It is currently in pagevec_release()"
                page.setPageLru(cpu, REFILL_REFUSE_SET_LRU);
                zl.activeList().listAdd(cpu, REFILL_REFUSE_ADD, page);
                return false;
            }
            page.pageCacheGet(cpu, REFILL_GET);
            dst.listAdd(cpu, REFILL_ADD, page);
        } else {
            if (page.pageCount(cpu, ISOLATE_COUNT) == 0) {
                // "It is currently in pagevec_release()"
                page.setPageLru(cpu, ISOLATE_REFUSE_SET_LRU);
                zl.inactiveList().listAdd(cpu, ISOLATE_REFUSE_ADD, page);
                return false;
            }
            dst.listAdd(cpu, ISOLATE_ADD, page);    // window 1: five steps (docs/RACE.md row 6)
            page.pageCacheGet(cpu, ISOLATE_GET);    // docs/RACE.md row 7: 0 -> 1 here is the "rescue"
        }
        LruSteps.count(cpu, zl, fromActive);
        return true;
    }

    /** mm/vmscan.c: shrink_cache() put-back (2.5.32, F2): see {@link LruSteps#putback}. */
    @Override
    public void putbackLruPage(Cpu cpu, ZoneLru zl, Page page) {
        LruSteps.putback(cpu, zl, page);
    }
}
