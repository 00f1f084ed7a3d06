package org.mmemu.lru.protocol;

import org.mmemu.core.KernelProfile;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Page;
import org.mmemu.lru.Lru;
import org.mmemu.lru.ZoneLru;

/**
 * The release and isolation paths of the per-zone {@code lru_lock} kernels with their
 * {@code page_count() == 0} tests: 2.5.31-mm1 ({@code mm1}), 2.5.33-2.5.36 ({@code 2.5.33}; 2.5.32
 * has no release_pages(), and 49 removed the relock from 2.5.37) and 2.6's release side
 * ({@code testone}); a profile of another version (2.5.39, 2.6.0, 2.6.6) runs them as its
 * {@link KernelProfile} says. They share per-zone {@code zone->lru_lock} (changesets
 * 17, 18), {@code release_pages()} (22), {@code put_page()} as an inline (21), and the
 * {@code page_count() == 0} tests under the lock on both sides (02, 10, 13). Where the kernels
 * differ each path asks the protocol's {@link KernelProfile}; the protocol classes are only that
 * profile plus their name and sources.
 *
 * <p>Steps labelled {@code [insn]} are instructions rather than C statements: the ones the
 * seed mail counts in its windows (the test of {@code put_page_testzero()}'s result, the call,
 * the zone lookup and compare before the {@code cli}). Each is a {@link Cpu#local} step.
 */
final class ZoneLockPaths {
    // shrink_cache(), under zone->lru_lock (the footnote's rows 2-7)
    static final Site ISOLATE_COUNT = Site.of("shrink_cache", "if (page_count(page) == 0)");
    static final Site ISOLATE_REFUSE_SET_LRU = Site.of("shrink_cache", "SetPageLRU(page)");
    static final Site ISOLATE_REFUSE_ADD = Site.of("shrink_cache", "list_add(&page->lru, &zone->inactive_list)");

    // refill_inactive_zone(), with the semi-fix's skip
    static final Site REFILL_CLEAR_LRU = Site.of("refill_inactive_zone", "if (!TestClearPageLRU(page)) BUG()");
    static final Site REFILL_DEL = Site.of("refill_inactive_zone", "list_del(&page->lru)");
    static final Site REFILL_COUNT = Site.of("refill_inactive_zone", "if (page_count(page) == 0)");
    static final Site REFILL_REFUSE_SET_LRU = Site.of("refill_inactive_zone", "SetPageLRU(page)");
    static final Site REFILL_REFUSE_ADD = Site.of("refill_inactive_zone", "list_add(&page->lru, &zone->active_list)");
    static final Site REFILL_GET = Site.of("refill_inactive_zone", "page_cache_get(page)");
    static final Site REFILL_ADD = Site.of("refill_inactive_zone", "list_add(&page->lru, &l_hold)");
    // refill_inactive_zone() of -mm1, without it (the "-" side of 14-3f76fabd72)
    static final Site REFILL_MOVE = Site.of("refill_inactive_zone", "list_move(&page->lru, &l_hold)");

    // put_page_testzero() of 2.5.33 (19-3e866fad90)
    static final Site DEBUG_TESTZERO = Site.of("put_page_testzero", "BUG_ON(page_count(page) == 0)");

    // release_pages() (22-ee1aabd6a4; 2.5.33)
    static final Site PV_RESERVED = Site.of("release_pages", "if (PageReserved(page) ||");
    static final Site PV_TESTZERO = Site.of("release_pages", "!put_page_testzero(page))");
    static final Site PV_TEST_RESULT = Site.of("release_pages", "continue; [insn: test the result]");
    static final Site PV_PAGE_ZONE = Site.of("release_pages", "pagezone = page_zone(page) [insn]");
    static final Site PV_ZONE_CMP = Site.of("release_pages", "if (pagezone != zone) [insn]");
    static final Site PV_CLEAR_LRU = Site.of("release_pages", "if (TestClearPageLRU(page))");
    static final Site PV_RECHECK = Site.of("release_pages", "if (page_count(page) == 0)");
    static final Site PV_FREE = Site.of("release_pages", "pagevec_free(&pages_to_free)");

    // put_page() (21-c64f4f2dc0) and __page_cache_release() (10, 13, 18)
    static final Site PCR_RESERVED = Site.of("put_page", "if (!PageReserved(page) &&");
    static final Site PCR_TESTZERO = Site.of("put_page", "put_page_testzero(page))");
    static final Site PCR_TEST_RESULT = Site.of("put_page", "[insn: test the result]");
    static final Site PCR_CALL = Site.of("put_page", "__page_cache_release(page) [insn: call]");
    static final Site PCR_PAGE_ZONE = Site.of("__page_cache_release", "struct zone *zone = page_zone(page) [insn]");
    static final Site PCR_BUG_ON = Site.of("__page_cache_release", "BUG_ON(page_count(page) != 0)");
    static final Site PCR_CLEAR_LRU = Site.of("__page_cache_release", "if (TestClearPageLRU(page))");
    static final Site PCR_RECHECK = Site.of("__page_cache_release", "if (page_count(page) != 0) page = NULL");
    static final Site PCR_FREE = Site.of("__page_cache_release", "if (page) __free_pages_ok(page, 0)");

    private ZoneLockPaths() {
    }

    /**
     * include/linux/mm.h: put_page_testzero() (2.5.31-mm1: {@code atomic_dec_and_test}; 2.5.33 to
     * 2.6.6, 19-3e866fad90: first {@code BUG_ON(page_count(page) == 0)}, a load, then the atomic;
     * 2.6.7: the biased Page makes the load).
     */
    static boolean putPageTestzero(Cpu cpu, KernelProfile k, Page page, Site site) {
        if (k.putPageTestzeroBugOn() && page.pageCount(cpu, DEBUG_TESTZERO) == 0) {
            throw cpu.detectors().kernelBug(cpu, page.pfn(), DEBUG_TESTZERO, "put_page_testzero: page_count(page) == 0");
        }
        return page.putPageTestzero(cpu, site);
    }

    /**
     * include/linux/mm.h: put_page() and mm/swap.c: __page_cache_release() (2.5.31-mm1 to 2.6.7;
     * 21-c64f4f2dc0, 13-88d4b53801 with the zone lock of 18; -mm1's entry BUG_ON deleted by
     * 14-3f76fabd72): {@code page_cache_release()} is put_page(). Drop
     * the reference outside the lock; if it was the last, look up the zone, (-mm1:
     * {@code BUG_ON(page_count(page) != 0)}), lock irqsave, take the page off the LRU if
     * PG_lru is still set, recheck the count, unlock, free if it is still zero.
     *
     * <p>-mm1's order is inferred: the zone is a declaration with an initialiser, so it comes
     * before the {@code BUG_ON} statement that -mm1 still had at the entry.
     */
    static void pageCacheRelease(Cpu cpu, KernelProfile k, Page page) {
        if (page.pageReserved(cpu, PCR_RESERVED)) {
            return;
        }
        boolean zero = putPageTestzero(cpu, k, page, PCR_TESTZERO);
        cpu.local(PCR_TEST_RESULT);
        if (!zero) {
            return;
        }
        cpu.local(PCR_CALL);
        cpu.local(PCR_PAGE_ZONE);
        ZoneLru zl = Lru.of(cpu).zoneOf(page);
        if (k.pageCacheReleaseBugOn() && page.pageCount(cpu, PCR_BUG_ON) != 0) {
            // Ehrhardt's second scenario: reclaim took the page 0 -> 1 in its window
            throw cpu.detectors().kernelBug(cpu, page.pfn(), PCR_BUG_ON, "__page_cache_release: page_count(page) != 0");
        }
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
     * mm/swap.c: release_pages() (2.5.31-mm1 to 2.6.7; 22-ee1aabd6a4, standing in for -mm1's
     * anon-batch-free; 49-78eba4bce9 removed the relock): the zone's lock is taken lazily at the
     * first page whose count falls to zero and kept, irqs off, for the rest of the vector, which
     * is why only the first such page can race (footnote condition 5). When
     * {@code pages_to_free} fills the lock is dropped around {@code pagevec_free()} and taken
     * again (-mm1, 2.5.33 to 2.5.36), or left dropped, {@code zone = NULL} (49 on: 2.5.39, 2.6).
     */
    static void releasePages(Cpu cpu, KernelProfile k, Page[] pages, int nr) {
        ReleaseLocals rel = new ReleaseLocals(cpu);
        for (int i = 0; i < nr; i++) {
            Page page = pages[i];
            if (page.pageReserved(cpu, PV_RESERVED)) {
                continue;
            }
            boolean zero = putPageTestzero(cpu, k, page, PV_TESTZERO);
            cpu.local(PV_TEST_RESULT);
            if (!zero) {
                continue;
            }
            cpu.local(PV_PAGE_ZONE);
            ZoneLru pagezone = rel.zoneOf(page);
            cpu.local(PV_ZONE_CMP);
            rel.lock(cpu, pagezone);
            if (page.testClearPageLru(cpu, PV_CLEAR_LRU)) {
                pagezone.delPageFromLru(cpu, page);
            }
            if (page.pageCount(cpu, PV_RECHECK) == 0 && rel.addOrFree(cpu, page, PV_FREE)
                    && k.relockAfterFree()) {
                rel.lock(cpu, pagezone); // from 49 it stays dropped: "zone = NULL; /* No lock is held */"
            }
        }
        rel.finish(cpu, PV_FREE);
    }

    /**
     * mm/vmscan.c: shrink_cache()'s isolation (2.5.31-mm1 to 2.6.6; 02-637e8ec953, zone form of
     * 17; refill's zero test from 14-3f76fabd72) and
     * refill_inactive_zone()'s. shrink_cache(): {@code TestClearPageLRU}, {@code list_del}; a
     * zero count ("It is currently in pagevec_release()") goes back with PG_lru set; otherwise
     * {@code list_add} onto {@code page_list} and only then {@code page_cache_get}: the five-step
     * window. refill_inactive_zone() from the semi-fix on: the same test, then the get before
     * the {@code list_add} onto {@code l_hold} (no window); in -mm1: {@code TestClearPageLRU},
     * {@code page_cache_get} whatever the count, {@code list_move} (Ehrhardt's refill race).
     */
    static boolean isolate(Cpu cpu, KernelProfile k, ZoneLru zl, Page page, ListHead dst, boolean fromActive) {
        if (fromActive && !k.refillSkipsZeroCount()) {
            if (!page.testClearPageLru(cpu, REFILL_CLEAR_LRU)) {
                throw cpu.detectors().kernelBug(cpu, page.pfn(), REFILL_CLEAR_LRU, "page on the LRU without PG_lru");
            }
            page.pageCacheGet(cpu, REFILL_GET);
            page.listMove(cpu, REFILL_MOVE, dst);
            return true;
        }
        if (fromActive) {
            if (!page.testClearPageLru(cpu, REFILL_CLEAR_LRU)) {
                throw cpu.detectors().kernelBug(cpu, page.pfn(), REFILL_CLEAR_LRU, "page on the LRU without PG_lru");
            }
            page.listDel(cpu, REFILL_DEL);
            if (page.pageCount(cpu, REFILL_COUNT) == 0) {
                // "It is currently in pagevec_release()"
                page.setPageLru(cpu, REFILL_REFUSE_SET_LRU);
                zl.activeList().listAdd(cpu, REFILL_REFUSE_ADD, page);
                return false;
            }
            page.pageCacheGet(cpu, REFILL_GET);
            dst.listAdd(cpu, REFILL_ADD, page);
        } else {
            LruSteps.clearLruAndDel(cpu, page);
            if (page.pageCount(cpu, ISOLATE_COUNT) == 0) {
                // "It is currently in pagevec_release()"
                page.setPageLru(cpu, ISOLATE_REFUSE_SET_LRU);
                zl.inactiveList().listAdd(cpu, ISOLATE_REFUSE_ADD, page);
                return false;
            }
            dst.listAdd(cpu, LruSteps.ISOLATE_ADD, page);    // window 1: five steps (footnote row 6)
            page.pageCacheGet(cpu, LruSteps.ISOLATE_GET);    // row 7: 0 -> 1 here is the "rescue"
        }
        return true;
    }
}
