package org.mmemu.lru.protocol;

import java.util.List;

import org.mmemu.core.KernelProfile;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Page;
import org.mmemu.lru.LruProtocol;
import org.mmemu.lru.ZoneLru;

/**
 * {@code testone}: 2.6.7 to 2.6.15, akpm's page-freeing-race-fix.patch (2.6.6-mm2, reference
 * docs/RACE.md), after Ehrhardt's patch of 26 Aug 2002. The count is biased by -1 (a free page has
 * {@code _count == -1}), so reclaim's test and get become one atomic instruction:
 * {@code get_page_testone()} = {@code atomic_inc_and_test}, true iff the count went 0 -> 1,
 * "being freed elsewhere". Reclaim then gives the reference back ({@code __put_page}) and puts
 * the page back with PG_lru set; the releaser, which needs the same lock to go on, still sees
 * zero on its recheck and frees once. The five-step window is gone: there is nothing between
 * the test and the get.
 *
 * <p>Needs a machine booted with {@code MachineConfig.withBiasedCount(true)}; on it
 * {@code put_page_testzero()} is F7's {@code BUG_ON(page_count == 0)} then
 * {@code atomic_add_negative(-1)} (two steps, see {@link Page#putPageTestzero}).
 *
 * <p>The release side, checked against the 2.6.7 text of mm/swap.c and include/linux/mm.h, is
 * 2.5.33's with the recheck ("The recheck stayed in 2.6.1x"), so this class runs
 * {@link ZoneLockPaths}' mirrors with 2.6's choices ({@link KernelProfile#V2_6_7}): release_pages()
 * leaves the lock dropped after freeing a full {@code pages_to_free}; __pagevec_release()
 * drains the per-CPU add pagevec first (mm-pagevec does that by version). Departure: 2.6.7's
 * {@code __page_cache_release()} ends with {@code free_hot_page()} (the per-CPU hot list),
 * here {@code __free_pages_ok()}, the same free for an order-0 page to the detectors.
 */
public final class TestoneProtocol implements LruProtocol {
    public static final Site ISOLATE_TESTONE = Site.of("shrink_cache", "if (get_page_testone(page))");
    static final Site REFUSE_PUT = Site.of("shrink_cache", "__put_page(page)");
    static final Site REFUSE_SET_LRU = Site.of("shrink_cache", "SetPageLRU(page)");
    static final Site REFUSE_ADD = Site.of("shrink_cache", "list_add(&page->lru, &zone->inactive_list)");

    @Override
    public String name() {
        return "testone";
    }

    @Override
    public String origin() {
        return "2.6.7: biased page count, get_page_testone() in vmscan (akpm, page-freeing-race-fix.patch, 2.6.6-mm2)";
    }

    @Override
    public String version() {
        return profile().version();
    }

    @Override
    public KernelProfile profile() {
        return KernelProfile.V2_6_7;
    }

    @Override
    public boolean biasedCount() {
        return true;
    }

    @Override
    public List<String> changesets() {
        return List.of("2.6.6-mm2 page-freeing-race-fix.patch (biased count, get_page_testone)");
    }

    /** include/linux/mm.h: put_page() / mm/swap.c: __page_cache_release() (2.6.7): see {@link ZoneLockPaths#pageCacheRelease}. */
    @Override
    public void pageCacheRelease(Cpu cpu, Page page) {
        ZoneLockPaths.pageCacheRelease(cpu, profile(), page);
    }

    /** mm/swap.c: release_pages() (2.6.7): see {@link ZoneLockPaths#releasePages}. */
    @Override
    public void releasePages(Cpu cpu, Page[] pages, int nr) {
        ZoneLockPaths.releasePages(cpu, profile(), pages, nr);
    }

    /**
     * mm/vmscan.c: shrink_cache() / refill_inactive_zone() inner loop (2.6.7):
     * {@code TestClearPageLRU} (BUG if clear), {@code list_del}; if {@code get_page_testone()}
     * the page is being freed elsewhere: {@code __put_page}, {@code SetPageLRU}, back onto the
     * list; else onto the private list (the reference is already held).
     */
    @Override
    public boolean isolateLruPage(Cpu cpu, ZoneLru zl, Page page, ListHead dst, boolean fromActive) {
        LruSteps.clearLruAndDel(cpu, page);
        if (page.getPageTestone(cpu, ISOLATE_TESTONE)) {
            // "It is being freed elsewhere"
            page.putPageNoTest(cpu, REFUSE_PUT);
            page.setPageLru(cpu, REFUSE_SET_LRU);
            LruSteps.source(zl, fromActive).listAdd(cpu, REFUSE_ADD, page);
            return false;
        }
        dst.listAdd(cpu, LruSteps.ISOLATE_ADD, page);
        return true;
    }

    /** mm/vmscan.c: shrink_cache() put-back (2.6.7, unchanged from 2.5.32): see {@link LruSteps#putback}. */
    @Override
    public void putbackLruPage(Cpu cpu, ZoneLru zl, Page page) {
        LruSteps.putback(cpu, zl, page);
    }
}
