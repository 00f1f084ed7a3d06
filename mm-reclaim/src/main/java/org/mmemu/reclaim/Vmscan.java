package org.mmemu.reclaim;

import org.mmemu.core.KernelProfile;
import org.mmemu.core.ReclaimShape;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.Zone;

/**
 * Page reclaim of mm/vmscan.c from 2.5.31-mm1 to 2.6.7, each function at the version the
 * machine's kernel profile names ({@link KernelProfile#reclaim()}, {@link ReclaimShape}; issue
 * 23): {@code shrink_cache}, {@code shrink_list}, {@code page_mapping_inuse},
 * {@code refill_inactive_zone}, {@code shrink_zone}, {@code shrink_caches},
 * {@code try_to_free_pages} and 2.6's {@code balance_pgdat}. Where a function changed, one Java
 * method holds the statements the versions share and the differences are written once, each
 * with its version and changeset (docs/FIDELITY.md has one row per function and version range).
 *
 * <pre>
 * Concurrency: how reclaim meets the release paths
 *
 * shrink_cache() takes pages off the tail of zone->inactive_list under zone->lru_lock, irqs
 * off, and takes a reference on each (the protocol's isolateLruPage: in 2.5.31-mm1, clear
 * PG_lru, list_del, skip a page whose count is 0, list_add to a private list, page_cache_get).
 * It then drops the lock and works on its private list in shrink_list() with only that
 * reference and PG_locked: a page nobody else wants is taken out of the page or swap cache and
 * freed through __pagevec_release_nonlru(); the rest is put back under the lock (the protocol's
 * putbackLruPage) and the isolation references are dropped through a pagevec and the
 * protocol's release_pages. Those two hand-overs, isolation and put-back, are where the seed
 * mail's double free happens (docs/RACE.md, rows 4-7 and 11), so they are the protocol's, and
 * everything else here is protocol-independent. refill_inactive_zone()'s put-back is written
 * out here rather than through the protocol: the kernel's differs from shrink_cache()'s in
 * order (PG_lru set before PG_active is cleared) and every protocol's put-back is the same
 * sequence, so nothing protocol-specific is bypassed.
 *
 * Mop-up: under count-one a page can reach count 0 without anyone taking it off the LRU ("to
 * be mopped up in page reclaim", seed mail). With mop-up on, both scans free such pages when
 * they meet them: under count-one every 1 -> 0 transition made under the lock also removes the
 * page under the lock, so a zero-ref page seen with the lock held has no owner left.
 * </pre>
 *
 * <p>Zone counters: isolation does not count (mm-lru's {@code LruProtocol#isolateLruPage});
 * the batch steps are made here, at each version's place. shrink_cache(): one
 * {@code zone->nr_inactive -= n} (2.5.33) / {@code -= nr_taken} (2.5.39 on) after the isolation
 * loop, before the unlock. refill_inactive_zone(), 2.5.31-mm1 to 2.5.39: nothing at isolation,
 * {@code zone->nr_active -= pgdeactivate; zone->nr_inactive += pgdeactivate;} after both
 * put-back loops, still under the lock; 2.6.0-2.6.7: {@code zone->nr_active -= pgmoved} after
 * the isolation loop, {@code zone->nr_inactive/nr_active += pgmoved} at each full pagevec and
 * after each put-back loop ({@link ReclaimShape#refillCountsPerPagevec()}). Departure: 2.5.32's
 * (and bk-18aug's) per-CPU {@code mod_page_state()} after the unlock is emulated in 2.5.33's
 * place, on the zone's counters (docs/FIDELITY.md).
 *
 * <p>Departures, each for an emulated run that must end: the scan loops are bounded as the
 * kernel profile says (pages taken, {@code n}, before 2.5.39; pages looked at, {@code nr_scan},
 * from 2.5.39's changeset 51; refill_inactive_zone from 2.6.0); a page under writeback is kept
 * rather than waited on; the priority loop's {@code blk_congestion_wait} and
 * {@code wakeup_bdflush} are gone, their effect is the writeback clock advancing once per
 * shrink_cache.
 *
 * <p>The parts, as the kernel's functions divide mm/vmscan.c, each used only by the one above it
 * ({@link Reclaim} wires them by constructor): {@link PriorityLoop} (shrink_zone, shrink_caches,
 * try_to_free_pages, 2.6's scan_control and balance_pgdat) uses the two list scanners,
 * {@link ShrinkCacheScan} (shrink_cache) and {@link RefillInactiveZone} (refill_inactive_zone); they
 * share {@link ScanSupport} (isolation, the mop-up, the loop guard), and shrink_cache uses
 * {@link ShrinkList} (shrink_list, page_mapping_inuse, is_page_cache_freeable). This class is the
 * entry point callers outside the package hold ({@link Reclaim#vmscan()}): each method below only
 * hands over to the part that mirrors the function.
 */
public final class Vmscan {
    /** {@code SWAP_CLUSTER_MAX}. */
    public static final int SWAP_CLUSTER_MAX = PriorityLoop.SWAP_CLUSTER_MAX;

    private final ReclaimShape shape;
    private final ShrinkList shrinkList;
    private final ShrinkCacheScan shrinkCache;
    private final RefillInactiveZone refill;
    private final PriorityLoop priorityLoop;

    /** The parts {@link Reclaim} composes (see the class comment). */
    Vmscan(ReclaimShape shape, ShrinkList shrinkList, ShrinkCacheScan shrinkCache, RefillInactiveZone refill,
           PriorityLoop priorityLoop) {
        this.shape = shape;
        this.shrinkList = shrinkList;
        this.shrinkCache = shrinkCache;
        this.refill = refill;
        this.priorityLoop = priorityLoop;
    }

    /** The reclaim shape of this machine's kernel. */
    ReclaimShape profileReclaim() {
        return shape;
    }

    /** The slab reaper shrink_zone() calls first ({@link Reclaim#setSlabReclaim}). */
    SlabReclaim slabReclaim() {
        return priorityLoop.slabReclaim();
    }

    void setSlabReclaim(SlabReclaim s) {
        priorityLoop.setSlabReclaim(s);
    }

    /** mm/vmscan.c: shrink_cache() (2.5.31-mm1 to 2.6.7): {@link ShrinkCacheScan#shrinkCache}. */
    public int shrinkCache(Cpu cpu, int nrPages, Zone zone, int gfpMask, int maxScan) {
        return shrinkCache.shrinkCache(cpu, nrPages, zone, gfpMask, maxScan);
    }

    /** mm/vmscan.c: shrink_cache() (2.5.31-mm1 to 2.6.7), returning the pages freed: {@link ShrinkCacheScan#shrinkCacheFreed}. */
    int shrinkCacheFreed(Cpu cpu, int nrPagesIn, Zone zone, int gfpMask, int maxScan) {
        return shrinkCache.shrinkCacheFreed(cpu, nrPagesIn, zone, gfpMask, maxScan);
    }

    /** mm/vmscan.c: shrink_list() (BK 18 Aug 2002 to 2.6.7): {@link ShrinkList#shrinkList}. */
    public int shrinkList(Cpu cpu, ListHead pageList, int nrPages, int gfpMask, int[] maxScan) {
        return shrinkList.shrinkList(cpu, pageList, nrPages, gfpMask, maxScan);
    }

    /** mm/vmscan.c: page_mapping_inuse() (2.5.31 to 2.6.7): {@link ShrinkList#pageMappingInuse}. */
    boolean pageMappingInuse(Cpu cpu, Page page) {
        return shrinkList.pageMappingInuse(cpu, page);
    }

    /** mm/vmscan.c: refill_inactive_zone() (2.5.31-mm1 to 2.6.7): {@link RefillInactiveZone#refillInactiveZone}. */
    public void refillInactiveZone(Cpu cpu, Zone zone, int nrPagesIn) {
        refill.refillInactiveZone(cpu, zone, nrPagesIn);
    }

    /** mm/vmscan.c: shrink_zone() (2.5.31-mm1 to 2.5.39): {@link PriorityLoop#shrinkZone}. */
    public int shrinkZone(Cpu cpu, Zone zone, int maxScanOrPriority, int gfpMask, int nrPages) {
        return priorityLoop.shrinkZone(cpu, zone, maxScanOrPriority, gfpMask, nrPages);
    }

    /** mm/vmscan.c: shrink_caches() (2.5.31-mm1 to 2.5.39): {@link PriorityLoop#shrinkCaches}. */
    public int shrinkCaches(Cpu cpu, Zone classzone, int priority, int[] totalScanned, int gfpMask, int nrPages) {
        return priorityLoop.shrinkCaches(cpu, classzone, priority, totalScanned, gfpMask, nrPages);
    }

    /** {@code DEF_PRIORITY}: {@link PriorityLoop#defPriority}. */
    int defPriority() {
        return priorityLoop.defPriority();
    }

    /** mm/vmscan.c: try_to_free_pages() (2.5.31 to 2.6.7): {@link PriorityLoop#tryToFreePages}. */
    public int tryToFreePages(Cpu cpu, Zone classzone, int gfpMask, int order) {
        return priorityLoop.tryToFreePages(cpu, classzone, gfpMask, order);
    }

    /** mm/vmscan.c: balance_pgdat(pgdat, 0) (2.6.0 to 2.6.7): {@link PriorityLoop#balancePgdat}. */
    public int balancePgdat(Cpu cpu) {
        return priorityLoop.balancePgdat(cpu);
    }
}
