package org.mmemu.reclaim;

import static org.mmemu.core.page.PageFlags.PG_active;
import static org.mmemu.core.page.PageFlags.PG_lru;
import static org.mmemu.core.page.PageFlags.PG_private;

import org.mmemu.core.KernelProfile;
import org.mmemu.core.Machine;
import org.mmemu.core.ReclaimShape;
import org.mmemu.core.RmapShape;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.VmStat;
import org.mmemu.core.page.Zone;
import org.mmemu.lru.Lru;
import org.mmemu.lru.LruProtocol;
import org.mmemu.lru.ZoneLru;
import org.mmemu.pagevec.Pagevec;

/**
 * mm/vmscan.c's {@code refill_inactive_zone()} (2.5.31-mm1 to 2.6.7), at the version the machine's
 * kernel profile names: moves pages from the tail of the active list to the inactive list, or back
 * to the active list if they are mapped and referenced. Uses {@link ScanSupport} only.
 */
final class RefillInactiveZone {
    private static final Site RF_TAIL = Site.of("refill_inactive_zone", "page = list_entry(zone->active_list.prev)");
    private static final Site RF_EMPTY = Site.of("refill_inactive_zone", "list_empty(&zone->active_list)");
    private static final Site RF_HOLD_EMPTY = Site.of("refill_inactive_zone", "list_empty(&l_hold)");
    private static final Site RF_HOLD_DEL = Site.of("refill_inactive_zone", "list_del(&page->lru)");
    private static final Site RF_TO_ACTIVE = Site.of("refill_inactive_zone", "list_add(&page->lru, &l_active)");
    private static final Site RF_TO_INACTIVE = Site.of("refill_inactive_zone", "list_add(&page->lru, &l_inactive)");
    private static final Site RF_CLEAR_ACTIVE = Site.of("refill_inactive_zone", "if (!TestClearPageActive(page)) BUG()");
    private static final Site RF_SET_LRU = Site.of("refill_inactive_zone", "if (TestSetPageLRU(page)) BUG()");
    private static final Site RF_IS_ACTIVE = Site.of("refill_inactive_zone", "BUG_ON(!PageActive(page))");
    private static final Site RF_MOVE_INACTIVE = Site.of("refill_inactive_zone", "list_move(&page->lru, &zone->inactive_list)");
    private static final Site RF_MOVE_ACTIVE = Site.of("refill_inactive_zone", "list_move(&page->lru, &zone->active_list)");
    private static final Site RF_NR_INACTIVE = Site.of("refill_inactive_zone", "zone->nr_inactive += pgdeactivate");
    private static final Site RF_NR_ACTIVE = Site.of("refill_inactive_zone", "zone->nr_active -= pgdeactivate");
    private static final Site RF_NR_TAKEN = Site.of("refill_inactive_zone", "zone->nr_active -= pgmoved");
    private static final Site RF_NR_INACTIVE_MOVED = Site.of("refill_inactive_zone", "zone->nr_inactive += pgmoved");
    private static final Site RF_NR_ACTIVE_MOVED = Site.of("refill_inactive_zone", "zone->nr_active += pgmoved");
    /** Marked {@code data_race()}: it stands for 2.6's {@code PageAnon(page)}, a flag truncate does not change. */
    private static final Site RF_MAPPING = Site.of("refill_inactive_zone", "!page->mapping").dataRace();
    private static final Site RF_PRIVATE = Site.of("refill_inactive_zone", "!PagePrivate(page)");
    private static final Site RF_LIST_EMPTY = Site.of("refill_inactive_zone", "list_empty(&l_inactive/&l_active)");

    private final Lru lru;
    private final KernelProfile profile;
    private final ReclaimShape shape;
    private final LruOps ops;
    private final boolean mopUp;
    private final SwapState swap;
    private final Rmap rmap;
    private final VmStat vmstat;
    private final ScanSupport support;

    RefillInactiveZone(Machine machine, Lru lru, LruOps ops, boolean mopUp, SwapState swap, Rmap rmap,
                       ScanSupport support) {
        this.lru = lru;
        this.profile = lru.profile();
        this.shape = profile.reclaim();
        this.ops = ops;
        this.mopUp = mopUp;
        this.swap = swap;
        this.rmap = rmap;
        this.vmstat = machine.pageAlloc().vmstat();
        this.support = support;
    }

    /**
     * mm/vmscan.c: refill_inactive_zone() (2.5.31-mm1 to 2.6.7; 2.6.0's loop bound,
     * {@link KernelProfile#refillCountsScanned()}; docs/FIDELITY.md lists what is 2.5.33's only): takes up to
     * {@code nrPagesIn} pages off the tail of the active list through the protocol, sends those
     * that are mapped and referenced back to the active list and the rest to the inactive list
     * (PG_active cleared), puts them back through the protocol and drops the references through
     * a pagevec. The zone counters move as the version's text moves them (issue 23 item 6):
     * 2.5.x once each after both put-back loops ({@code pgdeactivate}), 2.6 once after isolation
     * and per full pagevec ({@code pgmoved}); see {@link Vmscan}'s class comment.
     */
    public void refillInactiveZone(Cpu cpu, Zone zone, int nrPagesIn) {
        ZoneLru zl = lru.zone(zone);
        ListHead lHold = new ListHead();
        ListHead lInactive = new ListHead();
        ListHead lActive = new ListHead();
        Pagevec pvec = new Pagevec();
        int nrPages = nrPagesIn;
        int pgdeactivate = 0;
        int nrTaken = 0;
        int skips = 0;
        boolean countsScanned = profile.refillCountsScanned();
        ListHead mopList = null;

        ops.lruAddDrain(cpu);
        zl.lruLock().spinLockIrq(cpu);
        // while (nr_pages && !list_empty(&zone->active_list)): before 2.6.0 nr_pages drops only
        // for a page taken, from 2.6.0 on for every page looked at
        while (nrPages > 0) {
            boolean fold = LongList.begin(cpu, LongList.tailIsFiller(zl.activeList()));
            try {
                if (zl.activeList().listEmpty(cpu, RF_EMPTY)) {
                    break;
                }
                cpu.step(RF_TAIL, zl.activeList(), Access.READ);
                Page page = zl.activeList().tailEntry(cpu, RF_TAIL, Page.class);
                boolean taken;
                if (mopUp && support.mopUpLocked(cpu, zl, page, true)) {
                    mopList = mopList == null ? new ListHead() : mopList;
                    mopList.listAdd(cpu, ScanSupport.MOP_ADD, page);
                    taken = false;
                } else {
                    taken = support.isolate(cpu, zl, page, lHold, true);
                }
                if (taken || countsScanned) {
                    nrPages--;
                }
                if (taken) {
                    nrTaken++;
                    skips = 0;
                } else if (++skips > ScanSupport.LOOP_GUARD) {
                    throw support.endlessLoop(cpu, page, RF_TAIL);
                }
            } finally {
                LongList.end(cpu, fold);
            }
        }
        boolean perPagevec = shape.refillCountsPerPagevec();
        if (perPagevec) {
            zl.addNrActive(cpu, RF_NR_TAKEN, -nrTaken); // 2.6: zone->nr_active -= pgmoved;
        }
        zl.lruLock().spinUnlockIrq(cpu);
        support.freeMopped(cpu, mopList);

        for (;;) {
            boolean fold = LongList.begin(cpu, LongList.tailIsFiller(lHold));
            try {
                if (lHold.listEmpty(cpu, RF_HOLD_EMPTY)) {
                    break;
                }
                Page page = lHold.tailEntry(cpu, RF_HOLD_DEL, Page.class);
                page.listDel(cpu, RF_HOLD_DEL);
                if (rmap.pageMapped(cpu, page) && keepActive(cpu, page)) {
                    lActive.listAdd(cpu, RF_TO_ACTIVE, page);
                    continue;
                }
                // 2.5.39 on (changeset 51): without swap, a page with no mapping and no buffers
                // (anonymous) stays active; 2.6.6/2.6.7's PageAnon(page) runs as this test
                if (shape.refillKeepsAnonWithoutSwap() && swap.totalSwapPages(cpu) == 0
                        && page.mapping(cpu, RF_MAPPING) == null && !page.testFlag(cpu, RF_PRIVATE, PG_private)) {
                    lActive.listAdd(cpu, RF_TO_ACTIVE, page);
                    continue;
                }
                lInactive.listAdd(cpu, RF_TO_INACTIVE, page);
                pgdeactivate++;
            } finally {
                LongList.end(cpu, fold);
            }
        }

        pvec.pagevecInit();
        zl.lruLock().spinLockIrq(cpu);
        for (ListHead list : new ListHead[] {lInactive, lActive}) {
            boolean toInactive = list == lInactive;
            int pgmoved = 0;
            for (;;) {
                Page page;
                boolean fold = LongList.begin(cpu, LongList.tailIsFiller(list));
                try {
                    if (list.listEmpty(cpu, RF_LIST_EMPTY)) {
                        break;
                    }
                    page = list.tailEntry(cpu, RF_LIST_EMPTY, Page.class);
                    putbackRefilled(cpu, zl, page, toInactive);
                } finally {
                    LongList.end(cpu, fold);
                }
                pgmoved++;
                if (pvec.pagevecAdd(page) == 0) {
                    if (perPagevec) {
                        // 2.6: zone->nr_inactive += pgmoved; / zone->nr_active += pgmoved; pgmoved = 0;
                        movedBack(cpu, zl, toInactive, pgmoved);
                        pgmoved = 0;
                    }
                    zl.lruLock().spinUnlockIrq(cpu);
                    ops.pagevecReleaseLocked(cpu, pvec);
                    zl.lruLock().spinLockIrq(cpu);
                }
            }
            if (perPagevec) {
                movedBack(cpu, zl, toInactive, pgmoved);
            }
        }
        if (!perPagevec) {
            // 2.5.x: zone->nr_active -= pgdeactivate; zone->nr_inactive += pgdeactivate;
            zl.addNrActive(cpu, RF_NR_ACTIVE, -pgdeactivate);
            zl.addNrInactive(cpu, RF_NR_INACTIVE, pgdeactivate);
        }
        zl.lruLock().spinUnlockIrq(cpu);
        ops.pagevecRelease(cpu, pvec);
        vmstat.add(VmStat.Item.pgrefill, nrTaken);
        vmstat.add(VmStat.Item.pgdeactivate, pgdeactivate);
    }

    /**
     * mm/vmscan.c: refill_inactive_zone()'s test of a mapped page, by version
     * ({@link RmapShape}): whether it goes back to the active list. 2.5.31 to 2.6.7 as mirrored:
     * {@code pte_chain_lock(page)}; {@code if (page->pte.chain && page_referenced(page))}
     * active; {@code pte_chain_unlock(page)}. The BK tree of 14-19 Aug 2002 (637e8ec953 to
     * ed612d3580^) takes the chain lock as a trylock with a bare {@code test_and_set_bit()}, a
     * page whose bit is set going back unexamined. 2.6.9-rc2/rc3 (f7f5e03df0, 58765ab99d) call
     * {@code page_referenced(page, 0)}, which takes the page lock itself, with no chain lock.
     */
    private boolean keepActive(Cpu cpu, Page page) {
        RmapShape.PageReferenced form = profile.rmap().pageReferenced();
        if (form != RmapShape.PageReferenced.PTE_CHAIN_LOCK) {
            return PageReferencedFile.pageReferenced(cpu, rmap, page, form) > 0;
        }
        if (profile.rmap().refillChainTrylock()) {
            if (rmap.refillChainTrylock(cpu, page)) {
                return true;
            }
        } else {
            rmap.pteChainLock(cpu, page);
        }
        boolean referenced = rmap.pageMapped(cpu, page) && rmap.pageReferenced(cpu, page) > 0;
        rmap.pteChainUnlock(cpu, page);
        return referenced;
    }

    /**
     * mm/vmscan.c: refill_inactive_zone() put-back loops (2.5.33, F2/F6, docs/FIDELITY.md step 3),
     * lru_lock held, irqs off: {@code TestSetPageLRU} (BUG if set); for {@code l_inactive}
     * {@code TestClearPageActive} (BUG if clear), for {@code l_active} {@code BUG_ON(!PageActive)};
     * {@code list_move} onto the zone's list. These are written out here, in the kernel's order,
     * rather than through {@link LruProtocol#putbackLruPage}, whose shape is shrink_cache's
     * (the list is chosen by a PageActive test after the list_del, and PG_active would have to be
     * cleared before PG_lru is set). Every protocol's put-back is that same sequence, so no
     * protocol is bypassed. No counter step here: the caller moves the counters per version
     * ({@link ReclaimShape#refillCountsPerPagevec()}).
     */
    private void putbackRefilled(Cpu cpu, ZoneLru zl, Page page, boolean toInactive) {
        if (page.testSetPageLru(cpu, RF_SET_LRU)) {
            throw cpu.detectors().kernelBug(cpu, page.pfn(), RF_SET_LRU, "refill_inactive_zone: TestSetPageLRU(page)");
        }
        if (toInactive) {
            if (!page.testClearFlag(cpu, RF_CLEAR_ACTIVE, PG_active)) {
                throw cpu.detectors().kernelBug(cpu, page.pfn(), RF_CLEAR_ACTIVE,
                        "refill_inactive_zone: !TestClearPageActive(page)");
            }
            page.listMove(cpu, RF_MOVE_INACTIVE, zl.inactiveList());
        } else {
            if (!page.testFlag(cpu, RF_IS_ACTIVE, PG_active)) {
                throw cpu.detectors().kernelBug(cpu, page.pfn(), RF_IS_ACTIVE, "refill_inactive_zone: !PageActive(page)");
            }
            page.listMove(cpu, RF_MOVE_ACTIVE, zl.activeList());
        }
    }

    /**
     * mm/vmscan.c: refill_inactive_zone() {@code zone->nr_inactive += pgmoved} (inactive loop) /
     * {@code zone->nr_active += pgmoved} (active loop), 2.6.0-2.6.7 (2.6.0 l.574/583, 599/606):
     * at each full pagevec, before the unlock, and after each loop. One step.
     */
    private static void movedBack(Cpu cpu, ZoneLru zl, boolean toInactive, int pgmoved) {
        if (toInactive) {
            zl.addNrInactive(cpu, RF_NR_INACTIVE_MOVED, pgmoved);
        } else {
            zl.addNrActive(cpu, RF_NR_ACTIVE_MOVED, pgmoved);
        }
    }
}
