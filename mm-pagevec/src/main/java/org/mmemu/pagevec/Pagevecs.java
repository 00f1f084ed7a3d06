package org.mmemu.pagevec;

import static org.mmemu.core.page.PageFlags.PG_lru;

import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.PageAlloc;
import org.mmemu.lru.Lru;
import org.mmemu.lru.LruProtocol;
import org.mmemu.lru.protocol.HeldLruLock;

/**
 * The pagevec functions of mm/swap.c and mm/page_alloc.c (2.5.32, patch 5 of akpm's series,
 * docs/FIDELITY.md): releasing a vector of page references, adding a vector to the LRU,
 * freeing a vector of pages. The release of LRU pages goes through the machine's protocol
 * ({@code releasePages}); the rest is the same under every protocol.
 */
public final class Pagevecs {
    static final Site NONLRU_BUG = Site.of("__pagevec_release_nonlru", "BUG_ON(PageLRU(page))");
    static final Site NONLRU_DEBUG_TESTZERO = Site.of("put_page_testzero", "BUG_ON(page_count(page) == 0)");
    static final Site NONLRU_TESTZERO = Site.of("__pagevec_release_nonlru", "if (put_page_testzero(page))");
    static final Site NONLRU_FREE = Site.of("__pagevec_release_nonlru", "pagevec_free(&pages_to_free)");
    static final Site LRU_ADD_ZONE_CMP = Site.of("__pagevec_lru_add", "if (pagezone != zone)");
    static final Site LRU_ADD_SET_LRU = Site.of("__pagevec_lru_add", "if (TestSetPageLRU(page)) BUG()");

    private Pagevecs() {
    }

    /** include/linux/pagevec.h: pagevec_release() (2.5.32): {@code __pagevec_release} if the vector is not empty. */
    public static void pagevecRelease(Cpu cpu, Pagevec pvec) {
        if (pvec.pagevecCount() != 0) {
            __pagevecRelease(cpu, pvec);
        }
    }

    /**
     * mm/swap.c: __pagevec_release() (2.5.32; 2.6.0 on: {@code lru_add_drain()} first): drops
     * one reference on each page through the machine's protocol
     * ({@link org.mmemu.lru.LruProtocol#releasePages}), then {@code pagevec_reinit(pvec)}.
     * Whether the drain runs is the kernel profile's to say
     * ({@link org.mmemu.core.KernelProfile#drainInPagevecRelease()}).
     */
    public static void __pagevecRelease(Cpu cpu, Pagevec pvec) {
        Lru lru = Lru.of(cpu);
        if (lru.profile().drainInPagevecRelease()) {
            LruAddPvecs.lruAddDrain(cpu);
        }
        lru.protocol().releasePages(cpu, pvec.pages(), pvec.pagevecCount());
        pvec.pagevecReinit();
    }

    /**
     * mm/swap.c: __pagevec_release_nonlru() (BK 18 Aug to 2.6.7, one shape; 01-d482e4a105;
     * put_page_testzero()'s debug load from 19-3e866fad90): for pages that are known not to be
     * on the LRU (reclaim's freed pages, shrink_list()'s {@code free_it}): {@code BUG_ON(PageLRU)};
     * {@code put_page_testzero()} (2.5.33 to 2.6.6: first {@code BUG_ON(page_count(page) == 0)},
     * a load, as {@link org.mmemu.core.KernelProfile#putPageTestzeroBugOn()} says; 2.6.7's biased
     * page makes it itself) and a put that reaches zero queues the page on
     * {@code pages_to_free}; then they are freed.
     */
    public static void __pagevecReleaseNonlru(Cpu cpu, Pagevec pvec) {
        Pagevec pagesToFree = new Pagevec();
        for (int i = 0; i < pvec.pagevecCount(); i++) {
            Page page = pvec.page(i);
            if (page.testFlag(cpu, NONLRU_BUG, PG_lru)) {
                throw cpu.detectors().kernelBug(cpu, page.pfn(), NONLRU_BUG, "__pagevec_release_nonlru: PageLRU(page)");
            }
            if (Lru.of(cpu).profile().putPageTestzeroBugOn() && page.pageCount(cpu, NONLRU_DEBUG_TESTZERO) == 0) {
                throw cpu.detectors().kernelBug(cpu, page.pfn(), NONLRU_DEBUG_TESTZERO, "put_page_testzero: page_count(page) == 0");
            }
            if (page.putPageTestzero(cpu, NONLRU_TESTZERO)) {
                pagesToFree.pagevecAdd(page);
            }
        }
        pagevecFree(cpu, pagesToFree, NONLRU_FREE);
        pvec.pagevecReinit();
    }

    /**
     * mm/swap.c: __pagevec_lru_add() (2.5.33 / -mm1, per-zone lock, F4): each page goes on its
     * zone's inactive list ({@code TestSetPageLRU}, BUG if it was set), the zone's lock taken
     * lazily and switched when the zone changes; then {@code pagevec_release()} drops the
     * references the vector held.
     */
    public static void __pagevecLruAdd(Cpu cpu, Pagevec pvec) {
        Lru lru = Lru.of(cpu);
        HeldLruLock zone = new HeldLruLock();
        for (int i = 0; i < pvec.pagevecCount(); i++) {
            Page page = pvec.page(i);
            cpu.local(LRU_ADD_ZONE_CMP);
            zone.lock(cpu, lru.zoneOf(page));
            if (page.testSetPageLru(cpu, LRU_ADD_SET_LRU)) {
                throw cpu.detectors().kernelBug(cpu, page.pfn(), LRU_ADD_SET_LRU, "__pagevec_lru_add: PageLRU already set");
            }
            zone.zone().addPageToInactiveList(cpu, page);
        }
        zone.unlock(cpu);
        LruProtocol protocol = lru.protocol();
        if (lru.profile().drainInPagevecRelease()) {
            // 2.6: release_pages() directly, not __pagevec_release() (which would drain again)
            protocol.releasePages(cpu, pvec.pages(), pvec.pagevecCount());
            pvec.pagevecReinit();
        } else {
            pagevecRelease(cpu, pvec);
        }
    }

    /**
     * include/linux/pagevec.h: pagevec_free() (2.5.32): {@code __pagevec_free} if not empty.
     * {@code caller} is the site that decided to free, kept by the detectors.
     */
    public static void pagevecFree(Cpu cpu, Pagevec pvec, Site caller) {
        if (pvec.pagevecCount() != 0) {
            __pagevecFree(cpu, pvec, caller);
        }
    }

    /**
     * mm/page_alloc.c: __pagevec_free() (2.5.32 369-372, 2.5.33 366-369; 2.6.0-2.6.7 with
     * {@code free_hot_cold_page}): {@code int i = pagevec_count(pvec); while (--i >= 0)
     * __free_pages_ok(pvec->pages[i], 0);}: the last page first. Then {@code pagevec_reinit()}.
     */
    public static void __pagevecFree(Cpu cpu, Pagevec pvec, Site caller) {
        PageAlloc alloc = Lru.of(cpu).machine().pageAlloc();
        int i = pvec.pagevecCount();
        while (--i >= 0) {
            alloc.freePagesOk(cpu, pvec.page(i), 0, caller);
        }
        pvec.pagevecReinit();
    }
}
