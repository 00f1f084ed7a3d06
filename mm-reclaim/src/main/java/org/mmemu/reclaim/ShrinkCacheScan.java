package org.mmemu.reclaim;

import org.mmemu.core.KernelProfile;
import org.mmemu.core.Machine;
import org.mmemu.core.ReclaimShape;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.VmStat;
import org.mmemu.core.page.Zone;
import org.mmemu.lru.Lru;
import org.mmemu.lru.ZoneLru;
import org.mmemu.pagevec.Pagevec;

/**
 * mm/vmscan.c's {@code shrink_cache()} (2.5.31-mm1 to 2.6.7), at the version the machine's kernel
 * profile names ({@link ReclaimShape.Loops}): batches off the tail of the inactive list through the
 * protocol, each handed to shrink_list() ({@link ShrinkList}), the survivors put back through the
 * protocol. The concurrency essay and the zone counters' timing are in {@link Vmscan}'s class
 * comment. Uses {@link ShrinkList} and {@link ScanSupport}; nothing here calls up into the priority
 * loop.
 */
final class ShrinkCacheScan {
    private static final Site SC_TAIL = Site.of("shrink_cache", "page = list_entry(zone->inactive_list.prev)");
    private static final Site SC_EMPTY = Site.of("shrink_cache", "list_empty(&zone->inactive_list)");
    private static final Site SC_PL_EMPTY = Site.of("shrink_cache", "list_empty(&page_list)");
    private static final Site SC_PL_TAIL = Site.of("shrink_cache", "page = list_entry(page_list.prev)");
    private static final Site SC_NR_N = Site.of("shrink_cache", "zone->nr_inactive -= n");
    private static final Site SC_NR_TAKEN = Site.of("shrink_cache", "zone->nr_inactive -= nr_taken");

    private final ReclaimConfig config;
    private final Lru lru;
    private final KernelProfile profile;
    private final ReclaimShape shape;
    private final LruOps ops;
    private final boolean mopUp;
    private final Writeback writeback;
    private final VmStat vmstat;
    private final ScanSupport support;
    private final ShrinkList shrinkList;

    ShrinkCacheScan(Machine machine, ReclaimConfig config, Lru lru, LruOps ops, boolean mopUp, Writeback writeback,
                ScanSupport support, ShrinkList shrinkList) {
        this.config = config;
        this.lru = lru;
        this.profile = lru.profile();
        this.shape = profile.reclaim();
        this.ops = ops;
        this.mopUp = mopUp;
        this.writeback = writeback;
        this.vmstat = machine.pageAlloc().vmstat();
        this.support = support;
        this.shrinkList = shrinkList;
    }

    /**
     * mm/vmscan.c: shrink_cache() (2.5.31-mm1 to 2.6.7; the batch loop by version,
     * {@link ReclaimShape.Loops}: "low-latency page reclaim", changeset 51, for 2.5.39's
     * {@code nr_scan}; 2.6.0, 2.6.6 and 2.6.7 as their stored text): isolates batches from the
     * tail of the inactive list through the protocol, runs shrink_list on each batch, puts the
     * survivors back through the protocol and drops the isolation references through a pagevec.
     * Returns how many of {@code nrPages} are still to be freed ({@code nrPages} minus the pages
     * freed; 2.6.6 and 2.6.7 do not stop at {@code nrPages}: see {@link #shrinkCacheFreed}).
     */
    public int shrinkCache(Cpu cpu, int nrPages, Zone zone, int gfpMask, int maxScan) {
        return nrPages - shrinkCacheFreed(cpu, nrPages, zone, gfpMask, maxScan);
    }

    /**
     * The body of {@link #shrinkCache}; returns the pages freed. The four loop shapes, written
     * once with the statements they share:
     * <ul>
     * <li>2.5.31-mm1 to 2.5.38 (2.5.33 l.231-305): {@code nr_to_process = max(nr_pages, 32)};
     * {@code while (max_scan > 0 && nr_pages > 0)}; the inner loop counts the pages it took
     * ({@code n < nr_to_process}); {@code if (list_empty(&page_list)) goto done};
     * {@code max_scan -= n}; after shrink_list {@code if (nr_pages <= 0 && list_empty) goto done}.
     * A page skipped for a zero count goes back to the head and the loop goes on, so a list that
     * holds nothing else keeps this CPU here, lru_lock held, for ever (the engine reports a
     * livelock).
     * <li>2.5.39 (changeset 51, 2.5.39 l.274-349): the inner loop counts every page it looks at
     * ({@code nr_scan++ < nr_to_process}), {@code if (nr_taken == 0) goto done},
     * {@code max_scan -= nr_scan}.
     * <li>2.6.0 (l.393-472): as 2.5.39, but {@code while (max_scan > 0 && ret < nr_pages)}
     * counting the freed pages up ({@code ret += nr_freed}; {@code if (nr_freed <= 0 &&
     * list_empty) goto done}).
     * <li>2.6.6 (l.385-462): {@code while (max_scan > 0)} alone, batches of SWAP_CLUSTER_MAX
     * ({@code nr_scan++ < SWAP_CLUSTER_MAX}), the {@code nr_freed <= 0 && list_empty} exit kept;
     * 2.6.7 (l.432-507) drops that exit.
     * </ul>
     * Work on filler pages is folded ({@link LongList}).
     */
    int shrinkCacheFreed(Cpu cpu, int nrPagesIn, Zone zone, int gfpMask, int maxScan) {
        ZoneLru zl = lru.zone(zone);
        ListHead pageList = new ListHead();
        Pagevec pvec = new Pagevec();
        ReclaimShape.Loops loops = shape.loops();
        boolean batches = loops.atLeast(ReclaimShape.Loops.V2_6_6);
        int nrToProcess = batches ? config.swapClusterMax() : Math.max(nrPagesIn, config.swapClusterMax());
        boolean countsScanned = profile.shrinkCacheCountsScanned();
        int nrPages = nrPagesIn; // 2.5.x counts it down; 2.6.0 counts ret up to it
        int ret = 0;
        int[] maxScanRef = {maxScan};
        writeback.pass(cpu);

        pvec.pagevecInit();
        ops.lruAddDrain(cpu);
        zl.lruLock().spinLockIrq(cpu);
        // 2.5.x: while (max_scan > 0 && nr_pages > 0); 2.6.0: ... && ret < nr_pages; 2.6.6 on: while (max_scan > 0)
        while (maxScanRef[0] > 0 && (batches || (loops == ReclaimShape.Loops.V2_6_0 ? ret < nrPagesIn : nrPages > 0))) {
            int nrTaken = 0;
            int nrScan = 0;
            int skips = 0;
            ListHead mopList = null;
            for (;;) {
                // 2.5.39 on: while (nr_scan++ < nr_to_process && ...); before: while (n < nr_to_process && ...)
                if (countsScanned ? nrScan++ >= nrToProcess : nrTaken >= nrToProcess) {
                    break;
                }
                boolean fold = LongList.begin(cpu, LongList.tailIsFiller(zl.inactiveList()));
                try {
                    if (zl.inactiveList().listEmpty(cpu, SC_EMPTY)) {
                        break;
                    }
                    cpu.step(SC_TAIL, zl.inactiveList(), Access.READ);
                    Page page = zl.inactiveList().tailEntry(cpu, SC_TAIL, Page.class);
                    if (mopUp && support.mopUpLocked(cpu, zl, page, false)) {
                        mopList = mopList == null ? new ListHead() : mopList;
                        mopList.listAdd(cpu, ScanSupport.MOP_ADD, page);
                        continue;
                    }
                    if (support.isolate(cpu, zl, page, pageList, false)) {
                        nrTaken++;
                        skips = 0;
                    } else if (++skips > ScanSupport.LOOP_GUARD) {
                        throw support.endlessLoop(cpu, page, SC_TAIL);
                    }
                } finally {
                    LongList.end(cpu, fold);
                }
            }
            // 2.5.33: zone->nr_inactive -= n; 2.5.39 on: zone->nr_inactive -= nr_taken; (once, lock held)
            zl.addNrInactive(cpu, shape.shrinkCacheNrTaken() ? SC_NR_TAKEN : SC_NR_N, -nrTaken);
            zl.lruLock().spinUnlockIrq(cpu);
            support.freeMopped(cpu, mopList);

            // 2.5.39 on: if (nr_taken == 0) goto done; before: if (list_empty(&page_list)) goto done;
            if (countsScanned ? nrTaken == 0 : pageList.listEmpty(cpu, SC_PL_EMPTY)) {
                ops.pagevecRelease(cpu, pvec);
                return ret;
            }
            // 2.5.39's nr_scan is one past the pages looked at (the loop test's post-increment);
            // the kernel subtracts and counts it as it is. Before, max_scan -= n.
            int scanned = countsScanned ? nrScan : nrTaken;
            maxScanRef[0] -= scanned;
            vmstat.add(VmStat.Item.pgscan, scanned);
            int left = shrinkList.shrinkList(cpu, pageList, nrPages, gfpMask, maxScanRef);
            int nrFreed = nrPages - left;
            ret += nrFreed;
            nrPages = left;
            // 2.5.x: if (nr_pages <= 0 && list_empty(&page_list)) goto done;
            // 2.6.0, 2.6.6: if (nr_freed <= 0 && list_empty(&page_list)) goto done; 2.6.7: none
            if (loops != ReclaimShape.Loops.V2_6_7
                    && (loops.atLeast(ReclaimShape.Loops.V2_6_0) ? nrFreed <= 0 : nrPages <= 0)
                    && pageList.listEmpty(cpu, SC_PL_EMPTY)) {
                ops.pagevecRelease(cpu, pvec);
                return ret;
            }

            zl.lruLock().spinLockIrq(cpu);
            // Put back any unfreeable pages.
            for (;;) {
                Page page;
                boolean fold = LongList.begin(cpu, LongList.tailIsFiller(pageList));
                try {
                    if (pageList.listEmpty(cpu, SC_PL_EMPTY)) {
                        break;
                    }
                    cpu.step(SC_PL_TAIL, pageList, Access.READ);
                    page = pageList.tailEntry(cpu, SC_PL_TAIL, Page.class);
                    lru.protocol().putbackLruPage(cpu, zl, page);
                } finally {
                    LongList.end(cpu, fold);
                }
                pagevecAddUnlocked(cpu, zl, pvec, page);
            }
        }
        zl.lruLock().spinUnlockIrq(cpu);
        ops.pagevecRelease(cpu, pvec);
        return ret;
    }

    /**
     * mm/vmscan.c: shrink_cache() / refill_inactive_zone() put-back tail (2.5.31-mm1 / 2.5.33):
     * {@code if (!pagevec_add(&pvec, page)) { spin_unlock_irq(&zone->lru_lock);
     * __pagevec_release(&pvec); spin_lock_irq(&zone->lru_lock); }}: the references of a full
     * vector are dropped with the lock released, then the lock is taken again.
     */
    private void pagevecAddUnlocked(Cpu cpu, ZoneLru zl, Pagevec pvec, Page page) {
        if (pvec.pagevecAdd(page) == 0) {
            zl.lruLock().spinUnlockIrq(cpu);
            ops.pagevecReleaseLocked(cpu, pvec);
            zl.lruLock().spinLockIrq(cpu);
        }
    }
}
