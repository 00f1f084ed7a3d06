package org.mmemu.lru.protocol;

import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Page;
import org.mmemu.lru.ZoneLru;

/**
 * Statements that several protocols share word for word: the put-back of an isolated page
 * (mm/vmscan.c: shrink_cache(), 2.5.32, reference §1.7 step 2.4) and the plain isolation that
 * takes a reference without looking at the count (mm/vmscan.c: refill_inactive() of
 * 2.5.31-bk7, and the mail's "CPUB": {@code page = list_entry(lru); page_cache_get(page)}).
 * Each protocol's Javadoc says which of these it uses.
 */
final class LruSteps {
    static final Site PUTBACK_SET_LRU = Site.of("shrink_cache", "if (TestSetPageLRU(page)) BUG()");
    static final Site PUTBACK_DEL = Site.of("shrink_cache", "list_del(&page->lru)");
    static final Site PUTBACK_ACTIVE = Site.of("shrink_cache", "if (PageActive(page))");

    static final Site ISOLATE_CLEAR_LRU = Site.of("shrink_cache", "if (!TestClearPageLRU(page)) BUG()");
    static final Site ISOLATE_DEL = Site.of("shrink_cache", "list_del(&page->lru)");
    static final Site ISOLATE_ADD = Site.of("shrink_cache", "list_add(&page->lru, &page_list)");
    static final Site ISOLATE_GET = Site.of("shrink_cache", "page_cache_get(page)");
    static final Site NR_TAKEN_ACTIVE = Site.of("refill_inactive_zone", "zone->nr_active -= pgmoved");
    static final Site NR_TAKEN_INACTIVE = Site.of("shrink_cache", "zone->nr_inactive -= nr_taken");

    private LruSteps() {
    }

    /**
     * mm/vmscan.c: shrink_cache() put-back loop (2.5.32, F2): {@code TestSetPageLRU} (BUG if it
     * was set), {@code list_del} from the caller's private list, then
     * {@code add_page_to_active_list} or {@code add_page_to_inactive_list} by PG_active.
     */
    static void putback(Cpu cpu, ZoneLru zl, Page page) {
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

    /** The first two statements of every isolation loop: {@code TestClearPageLRU} (BUG if clear), {@code list_del}. */
    static void clearLruAndDel(Cpu cpu, Page page) {
        if (!page.testClearPageLru(cpu, ISOLATE_CLEAR_LRU)) {
            throw cpu.detectors().kernelBug(cpu, page.pfn(), ISOLATE_CLEAR_LRU, "page on the LRU without PG_lru");
        }
        page.listDel(cpu, ISOLATE_DEL);
    }

    /**
     * The tail of a successful isolation: the page goes onto the caller's private list, the
     * zone counter drops by one (see {@link org.mmemu.lru.LruProtocol#isolateLruPage} on why
     * per page).
     */
    static void count(Cpu cpu, ZoneLru zl, boolean fromActive) {
        if (fromActive) {
            zl.addNrActive(cpu, NR_TAKEN_ACTIVE, -1);
        } else {
            zl.addNrInactive(cpu, NR_TAKEN_INACTIVE, -1);
        }
    }

    /**
     * mm/vmscan.c: the isolation of 2.5.31-bk7's refill_inactive() and of the pagevec series
     * before akpm's tests (reference §2.1, §3 condition 6): {@code TestClearPageLRU} (BUG if
     * clear), {@code list_del}, {@code list_add} onto the private list, {@code page_cache_get},
     * with no look at the count. Always succeeds.
     */
    static boolean isolatePlain(Cpu cpu, ZoneLru zl, Page page, ListHead dst, boolean fromActive) {
        clearLruAndDel(cpu, page);
        dst.listAdd(cpu, ISOLATE_ADD, page);
        page.pageCacheGet(cpu, ISOLATE_GET);
        count(cpu, zl, fromActive);
        return true;
    }

    /** Where a refused page goes back: the head of the list it came from. */
    static ListHead source(ZoneLru zl, boolean fromActive) {
        return fromActive ? zl.activeList() : zl.inactiveList();
    }
}
