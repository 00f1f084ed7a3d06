package org.mmemu.reclaim;

import static org.mmemu.core.page.PageFlags.PG_active;
import static org.mmemu.core.page.PageFlags.PG_lru;

import org.mmemu.core.Machine;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.Site;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.VmStat;
import org.mmemu.lru.Lru;
import org.mmemu.lru.ZoneLru;

/**
 * mm/vmscan.c: what shrink_cache() and refill_inactive_zone() share (2.5.31-mm1 to 2.6.7).
 *
 * <p>What the two list scanners, shrink_cache() ({@link ShrinkCacheScan}) and refill_inactive_zone()
 * ({@link RefillInactiveZone}), share: the protocol's isolation of one page, the emulator's mop-up of
 * zero-ref pages (an emulator addition, not kernel code; see {@link Vmscan}'s essay) and the
 * emulator's endless-loop guard. None of it is a kernel function of its own.
 */
final class ScanSupport {
    private static final Site MOP_COUNT = Site.of("shrink_cache", "page_count(page) == 0 (mop-up)");
    private static final Site MOP_LRU = Site.of("shrink_cache", "TestClearPageLRU(page) (mop-up)");
    private static final Site MOP_DEL = Site.of("shrink_cache", "list_del(&page->lru) (mop-up)");
    private static final Site MOP_LIST_DEL = Site.of("shrink_cache", "list_del(&page->lru) (off mop_list)");
    static final Site MOP_ADD = Site.of("shrink_cache", "list_add(&page->lru, &mop_list)");
    private static final Site MOP_FREE = Site.of("shrink_cache", "__free_pages_ok(page, 0) (mop-up)");
    private static final Site MOP_NR_A = Site.of("shrink_cache", "zone->nr_active-- (mop-up)");
    private static final Site MOP_NR_I = Site.of("shrink_cache", "zone->nr_inactive-- (mop-up)");
    private static final Site MOP_ACTIVE = Site.of("shrink_cache", "TestClearPageActive(page) (mop-up)");

    private final Machine machine;
    private final Lru lru;
    private final VmStat vmstat;

    ScanSupport(Machine machine, Lru lru) {
        this.machine = machine;
        this.lru = lru;
        this.vmstat = machine.pageAlloc().vmstat();
    }

    /**
     * Emulator safety net, not kernel (for mm/vmscan.c: shrink_cache()'s and
     * refill_inactive_zone()'s loops before 2.5.39 / 2.6.0): pages skipped in a row after which an unbounded scan loop
     * (before 2.5.39 / 2.6.0) is declared endless. The controlled engine's livelock detector
     * sees such a loop long before (tens of repetitions); the free engine, whose CPUs are real
     * threads, has no detector, and a CPU spinning on the lock this loop holds would hang it.
     */
    static final int LOOP_GUARD = 100_000;

    RuntimeException endlessLoop(Cpu cpu, Page page, Site site) {
        return cpu.detectors().fatal(FindingKind.LIVELOCK, cpu, page.pfn(), site, site.function()
                + " skipped " + LOOP_GUARD + " pages in a row without taking one: a loop that counts only the pages"
                + " it takes, over a list with nothing else to take");
    }

    /**
     * mm/vmscan.c: shrink_cache() / refill_inactive_zone() isolation of one page, from the LRU
     * onto {@code dst} (2.5.31-bk to 2.6.16): the statements are the protocol's
     * ({@code LruProtocol#isolateLruPage}), since they are what the versions differ in.
     */
    boolean isolate(Cpu cpu, ZoneLru zl, Page page, ListHead dst, boolean fromActive) {
        return lru.protocol().isolateLruPage(cpu, zl, page, dst, fromActive);
    }

    /**
     * mm/vmscan.c: shrink_cache() (2.5.31-mm1) with the seed mail's proposal (b) added; an
     * emulator addition, not kernel code (no kernel had it): the mop-up the seed mail's proposal
     * (b) asks of shrink_cache()/refill_inactive_zone(), written in their style. With lru_lock
     * held: if {@code page} has count 0 it is an orphan (see {@link Vmscan}'s essay): clear PG_lru,
     * list_del, drop the zone counter, and return true; the caller frees it after the unlock.
     * The count load comes before the protocol's isolation, so with mop-up on each page picked
     * costs one step more than docs/RACE.md rows 2-7; mop-up is off by default for every protocol but
     * count-one, so the mm1 table is reproduced unchanged.
     */
    boolean mopUpLocked(Cpu cpu, ZoneLru zl, Page page, boolean active) {
        if (page.pageCount(cpu, MOP_COUNT) != 0) {
            return false;
        }
        page.testClearFlag(cpu, MOP_LRU, PG_lru);
        page.listDel(cpu, MOP_DEL);
        if (page.testClearFlag(cpu, MOP_ACTIVE, PG_active)) {
            zl.addNrActive(cpu, MOP_NR_A, -1);
        } else {
            zl.addNrInactive(cpu, MOP_NR_I, -1);
        }
        return true;
    }

    /**
     * mm/page_alloc.c: __free_pages_ok() (2.5.31-mm1) for the mopped-up pages; an emulator
     * addition (see {@link #mopUpLocked}): frees the mopped-up pages with
     * {@code __free_pages_ok()}, lru_lock dropped as {@code pagevec_free} is called in
     * __pagevec_release(), and counts them in the emulator's {@code lru_mopup} counter.
     */
    void freeMopped(Cpu cpu, ListHead mopList) {
        if (mopList == null) {
            return;
        }
        while (!mopList.isEmpty()) {
            Page page = mopList.tailEntry(cpu, MOP_LIST_DEL, Page.class);
            page.listDel(cpu, MOP_LIST_DEL);
            machine.pageAlloc().freePagesOk(cpu, page, 0, MOP_FREE);
            vmstat.inc(VmStat.Item.lru_mopup);
        }
    }
}
