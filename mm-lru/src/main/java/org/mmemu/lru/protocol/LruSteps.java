package org.mmemu.lru.protocol;

import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Page;
import org.mmemu.lru.ZoneLru;

/**
 * Part of the protocol SPI (see {@link org.mmemu.lru.LruProtocol}): statements that several
 * protocols share word for word (mm/vmscan.c), for a protocol of your own to reuse with the same
 * step sites, so that its traces read like the shipped ones. The put-back of an
 * isolated page (shrink_cache(), 2.5.32, docs/FIDELITY.md step 2.4) and the plain isolations
 * that take a reference without looking at the count, each in its own function's statement
 * order: shrink_cache()'s ({@code TestClearPageLRU}, {@code list_del}, {@code list_add},
 * {@code page_cache_get}) for the inactive list, and refill_inactive()'s of 2.5.31-bk7
 * ({@code TestClearPageLRU}, {@code page_cache_get}, {@code list_move}) for the active list.
 * Each protocol's Javadoc says which of these it uses.
 */
public final class LruSteps {
    public static final Site PUTBACK_SET_LRU = Site.of("shrink_cache", "if (TestSetPageLRU(page)) BUG()");
    public static final Site PUTBACK_DEL = Site.of("shrink_cache", "list_del(&page->lru)");
    public static final Site PUTBACK_ACTIVE = Site.of("shrink_cache", "if (PageActive(page))");

    public static final Site ISOLATE_CLEAR_LRU = Site.of("shrink_cache", "if (!TestClearPageLRU(page)) BUG()");
    public static final Site ISOLATE_DEL = Site.of("shrink_cache", "list_del(&page->lru)");
    public static final Site ISOLATE_ADD = Site.of("shrink_cache", "list_add(&page->lru, &page_list)");
    public static final Site ISOLATE_GET = Site.of("shrink_cache", "page_cache_get(page)");
    public static final Site REFILL_CLEAR_LRU = Site.of("refill_inactive", "if (!TestClearPageLRU(page)) BUG()");
    public static final Site REFILL_GET = Site.of("refill_inactive", "page_cache_get(page)");
    public static final Site REFILL_MOVE = Site.of("refill_inactive", "list_move(&page->lru, &l_hold)");
    public static final Site NR_TAKEN_ACTIVE = Site.of("refill_inactive_zone", "zone->nr_active -= pgmoved");
    public static final Site NR_TAKEN_INACTIVE = Site.of("shrink_cache", "zone->nr_inactive -= nr_taken");

    private LruSteps() {
    }

    /**
     * mm/vmscan.c: shrink_cache() put-back loop (2.5.32, F2): {@code TestSetPageLRU} (BUG if it
     * was set), {@code list_del} from the caller's private list, then
     * {@code add_page_to_active_list} or {@code add_page_to_inactive_list} by PG_active.
     */
    public static void putback(Cpu cpu, ZoneLru zl, Page page) {
        if (page.testSetPageLru(cpu, PUTBACK_SET_LRU)) {
            throw cpu.detectors().kernelBug(cpu, page.pfn(), PUTBACK_SET_LRU, "put-back of a page with PG_lru set");
        }
        page.listDel(cpu, PUTBACK_DEL);
        if (page.pageActive(cpu, PUTBACK_ACTIVE)) {
            zl.addPageToActiveList(cpu, page);
        } else {
            zl.addPageToInactiveList(cpu, page);
        }
    }

    /**
     * mm/vmscan.c: shrink_cache() inner loop, first two statements (2.5.32, docs/FIDELITY.md step
     * 2.1.1; also refill_inactive_zone() of 2.5.4x, F6): {@code TestClearPageLRU} (BUG if it
     * was clear), {@code list_del}.
     */
    public static void clearLruAndDel(Cpu cpu, Page page) {
        if (!page.testClearPageLru(cpu, ISOLATE_CLEAR_LRU)) {
            throw cpu.detectors().kernelBug(cpu, page.pfn(), ISOLATE_CLEAR_LRU, "page on the LRU without PG_lru");
        }
        page.listDel(cpu, ISOLATE_DEL);
    }

    /**
     * mm/vmscan.c: shrink_cache() {@code zone->nr_inactive -= nr_taken} (2.6; 2.5.33's
     * {@code -= n}) / refill_inactive_zone() {@code zone->nr_active -= pgmoved} (2.6.0-2.6.7):
     * the caller's one batch step, after its isolation loop and before the unlock, with the
     * number of pages taken. Isolation itself ({@link org.mmemu.lru.LruProtocol#isolateLruPage})
     * does not count; mm-reclaim's Vmscan makes this step at each version's place with its own
     * sites, this one is for the tests and the free-engine paths that isolate by hand. One step.
     */
    public static void count(Cpu cpu, ZoneLru zl, boolean fromActive, int nrTaken) {
        if (fromActive) {
            zl.addNrActive(cpu, NR_TAKEN_ACTIVE, -nrTaken);
        } else {
            zl.addNrInactive(cpu, NR_TAKEN_INACTIVE, -nrTaken);
        }
    }

    /**
     * mm/vmscan.c: shrink_cache() / refill_inactive() isolation without a look at the count,
     * as before akpm's tests (docs/RACE.md condition 6). Each list in its own kernel
     * statement order: the inactive list as shrink_cache() (2.5.32, docs/FIDELITY.md step 2.1 without
     * step 2.1.2), the active list as 2.5.31-bk7's refill_inactive() (docs/FIDELITY.md refill step 1).
     * Always succeeds.
     */
    public static boolean isolatePlain(Cpu cpu, ZoneLru zl, Page page, ListHead dst, boolean fromActive) {
        if (fromActive) {
            isolateRefill(cpu, page, dst);
        } else {
            clearLruAndDel(cpu, page);
            dst.listAdd(cpu, ISOLATE_ADD, page);
            page.pageCacheGet(cpu, ISOLATE_GET);
        }
        return true;
    }

    /**
     * mm/vmscan.c: refill_inactive() isolation (2.5.31-bk7 / 2.5.32, docs/FIDELITY.md refill step
     * 1): {@code TestClearPageLRU} (BUG if it was clear), {@code page_cache_get},
     * {@code list_move(&page->lru, &l_hold)}. The reference is taken before the page leaves
     * the list, so there is no window between a look at the count and the get on this path.
     */
    public static void isolateRefill(Cpu cpu, Page page, ListHead dst) {
        if (!page.testClearPageLru(cpu, REFILL_CLEAR_LRU)) {
            throw cpu.detectors().kernelBug(cpu, page.pfn(), REFILL_CLEAR_LRU, "page on the LRU without PG_lru");
        }
        page.pageCacheGet(cpu, REFILL_GET);
        page.listMove(cpu, REFILL_MOVE, dst);
    }

    /**
     * mm/vmscan.c: shrink_cache() {@code list_add(&page->lru, &zone->inactive_list)} (2.5.32)
     * / refill_inactive_zone() {@code &zone->active_list} (F6): where a refused page goes back,
     * the head of the list it came from.
     */
    public static ListHead source(ZoneLru zl, boolean fromActive) {
        return fromActive ? zl.activeList() : zl.inactiveList();
    }
}
