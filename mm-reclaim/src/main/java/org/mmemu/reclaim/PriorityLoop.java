package org.mmemu.reclaim;

import org.mmemu.core.Machine;
import org.mmemu.core.ReclaimShape;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.VmStat;
import org.mmemu.core.page.Zone;
import org.mmemu.lru.Lru;
import org.mmemu.lru.ZoneLru;

/**
 * The top level of mm/vmscan.c, the priority loop around the list scanners, at the version the
 * machine's kernel profile names: 2.5's {@code shrink_zone()}, {@code shrink_caches()} and
 * {@code try_to_free_pages()} (2.5.31 to 2.5.39), and 2.6's {@code struct scan_control},
 * {@code shrink_zone()}, {@code try_to_free_pages()} (with shrink_caches() inlined) and kswapd's
 * {@code balance_pgdat()} (2.6.0 to 2.6.7). Both generations lower the priority from DEF_PRIORITY
 * and ask each zone for SWAP_CLUSTER_MAX pages, so they are one class. Uses {@link ShrinkCacheScan} and
 * {@link RefillInactiveZone}; they know nothing of it.
 */
final class PriorityLoop {
    /** {@code SWAP_CLUSTER_MAX}. */
    static final int SWAP_CLUSTER_MAX = 32;

    private static final Site SZ_RATIO = Site.of("shrink_zone", "atomic_add(ratio+1, &zone->refill_counter)");
    private static final Site SZ_READ = Site.of("shrink_zone", "atomic_read(&zone->refill_counter) > SWAP_CLUSTER_MAX");
    private static final Site SZ_SUB = Site.of("shrink_zone", "atomic_sub(SWAP_CLUSTER_MAX, &zone->refill_counter)");
    private static final Site SZ_NR_ACTIVE = Site.of("shrink_zone", "zone->nr_active");
    private static final Site SZ_NR_INACTIVE = Site.of("shrink_zone", "zone->nr_inactive");
    private static final Site SZ_MAX_SCAN = Site.of("shrink_zone", "max_scan = zone->nr_inactive / priority");
    private static final Site SZ26_ADD_ACTIVE = Site.of("shrink_zone", "atomic_add(scan_active + 1, &zone->nr_scan_active)");
    private static final Site SZ26_READ_ACTIVE = Site.of("shrink_zone", "count = atomic_read(&zone->nr_scan_active)");
    private static final Site SZ26_SET_ACTIVE = Site.of("shrink_zone", "atomic_set(&zone->nr_scan_active, 0)");
    private static final Site SZ26_ADD_INACTIVE = Site.of("shrink_zone", "atomic_add(scan_inactive, &zone->nr_scan_inactive)");
    private static final Site SZ26_READ_INACTIVE = Site.of("shrink_zone", "count = atomic_read(&zone->nr_scan_inactive)");
    private static final Site SZ26_SET_INACTIVE = Site.of("shrink_zone", "atomic_set(&zone->nr_scan_inactive, 0)");
    private static final Site BP_FREE = Site.of("balance_pgdat", "zone->free_pages <= zone->pages_high").dataRace();
    private static final Site SCS_FREE = Site.of("shrink_caches", "zone->pages_high - zone->free_pages").dataRace();
    private static final Site SCS_NR_INACTIVE = Site.of("shrink_caches", "zone->nr_inactive");

    private final Machine machine;
    private final ReclaimConfig config;
    private final Lru lru;
    private final ReclaimShape shape;
    private final OutOfMemory oom;
    private final VmStat vmstat;
    private final ShrinkCacheScan shrinkCache;
    private final RefillInactiveZone refill;
    private volatile SlabReclaim slabReclaim = SlabReclaim.NONE;

    PriorityLoop(Machine machine, ReclaimConfig config, Lru lru, OutOfMemory oom, ShrinkCacheScan shrinkCache,
                 RefillInactiveZone refill) {
        this.machine = machine;
        this.config = config;
        this.lru = lru;
        this.shape = lru.profile().reclaim();
        this.oom = oom;
        this.vmstat = machine.pageAlloc().vmstat();
        this.shrinkCache = shrinkCache;
        this.refill = refill;
    }

    /** The slab reaper shrink_zone() calls first ({@link Reclaim#setSlabReclaim}). */
    SlabReclaim slabReclaim() {
        return slabReclaim;
    }

    void setSlabReclaim(SlabReclaim s) {
        slabReclaim = s;
    }

    /**
     * mm/vmscan.c: shrink_zone() (2.5.31-mm1 to 2.5.39; 2.5.33 l.387-419, 2.5.39 l.445-465;
     * changesets 28 and 52 between): reap the slab first (to 2.5.38,
     * {@link ReclaimShape#kmemCacheReap()}); then feed {@code zone->refill_counter} with
     * {@code nr_pages * nr_active / ((nr_inactive | 1) * 2) + 1} ("keep the active list 2/3 of
     * the size of the cache", the +1 so that the active list is always sifted slowly) and refill
     * the inactive list by SWAP_CLUSTER_MAX when the counter passes it (2.5.33: {@code if}, once;
     * 2.5.39: {@code while}, changeset 28); then shrink_cache. 2.5.33 computes
     * {@code max_scan = zone->nr_inactive / priority} here, after the refill (a third load of
     * nr_inactive, which sees the refill's update; {@code maxScanOrPriority} is the priority),
     * 2.5.39 takes it from shrink_caches(). Returns the pages still to free. 2.5.33's
     * {@code wakeup_bdflush()} and dcache/icache/dquot prunes after a short shrink_cache are not
     * emulated.
     */
    public int shrinkZone(Cpu cpu, Zone zone, int maxScanOrPriority, int gfpMask, int nrPages) {
        boolean v2539 = shape.loops().atLeast(ReclaimShape.Loops.V2_5_39);
        if (shape.kmemCacheReap() && slabReclaim.kmemCacheReap(cpu, gfpMask) >= nrPages) {
            return 0;
        }
        ZoneLru zl = lru.zone(zone);
        long nrActive = zl.nrActive(cpu, SZ_NR_ACTIVE);
        long nrInactive = zl.nrInactive(cpu, SZ_NR_INACTIVE);
        long ratio = (long) nrPages * nrActive / ((nrInactive | 1) * 2);
        zl.addRefillCounter(cpu, SZ_RATIO, (int) Math.min(Integer.MAX_VALUE / 2, ratio + 1));
        do {
            cpu.step(SZ_READ, zl, ZoneLru.REFILL_COUNTER, Access.READ);
            if (zl.refillCounter() <= SWAP_CLUSTER_MAX) {
                break;
            }
            zl.addRefillCounter(cpu, SZ_SUB, -SWAP_CLUSTER_MAX);
            refill.refillInactiveZone(cpu, zone, SWAP_CLUSTER_MAX);
        } while (v2539); // 2.5.33: if (...); 2.5.39: while (...)
        int maxScan = v2539 ? maxScanOrPriority : zl.nrInactive(cpu, SZ_MAX_SCAN) / maxScanOrPriority;
        nrPages = shrinkCache.shrinkCache(cpu, nrPages, zone, gfpMask, maxScan);
        return Math.max(nrPages, 0); // 2.5.33: if (nr_pages <= 0) return 0;
    }

    /**
     * mm/vmscan.c: shrink_caches() (2.5.31-mm1 to 2.5.39; "low-latency page reclaim",
     * changeset 51, between): from the classzone down to zone 0. 2.5.33 (l.420-434): every zone
     * at or below {@code pages_high} is shrunk with {@code nr_pages} passed whole
     * ({@code nr_pages = shrink_zone(zone, priority, gfp_mask, nr_pages)}). 2.5.39 (l.466-526):
     * by {@code to_reclaim} (the zone's shortfall, clamped to [nr_pages, SWAP_CLUSTER_MAX])
     * scanning at most {@code nr_inactive >> priority} pages but at least twice to_reclaim,
     * adding what it scanned to {@code totalScanned[0]}. Returns the pages still to free. The
     * slab prunes (dcache, icache, dquot) are not emulated.
     */
    public int shrinkCaches(Cpu cpu, Zone classzone, int priority, int[] totalScanned, int gfpMask, int nrPages) {
        boolean v2539 = shape.loops().atLeast(ReclaimShape.Loops.V2_5_39);
        for (int t = classzone.index(); t >= 0; t--) {
            Zone zone = machine.node().zone(org.mmemu.core.page.ZoneType.values()[t]);
            if (zone == null) {
                continue;
            }
            cpu.step(SCS_FREE, zone, Zone.FREE_PAGES, Access.READ);
            if (!v2539) {
                if (zone.freePages() <= zone.pagesHigh()) {
                    nrPages = shrinkZone(cpu, zone, priority, gfpMask, nrPages);
                }
                continue;
            }
            int toReclaim = zone.pagesHigh() - zone.freePages();
            if (toReclaim < 0) {
                continue; // zone has enough memory
            }
            toReclaim = Math.min(toReclaim, SWAP_CLUSTER_MAX);
            toReclaim = Math.max(toReclaim, nrPages);
            int maxScan = lru.zone(zone).nrInactive(cpu, SCS_NR_INACTIVE) >> priority;
            maxScan = Math.max(maxScan, toReclaim * 2);
            int unreclaimed = shrinkZone(cpu, zone, maxScan, gfpMask, toReclaim);
            nrPages -= toReclaim - unreclaimed;
            totalScanned[0] += maxScan;
        }
        return nrPages;
    }

    /** {@code DEF_PRIORITY}: the machine's, or else the kernel's ({@link ReclaimShape#defPriority()}). */
    int defPriority() {
        return config.defPriority() != 0 ? config.defPriority() : shape.defPriority();
    }

    /**
     * mm/vmscan.c: try_to_free_pages() (2.5.31 to 2.6.7; changeset 51 and 2.6's scan_control
     * between): counts {@code pageoutrun} (to 2.5.39; 2.6 counts it in balance_pgdat()), then
     * shrink_caches at priorities DEF_PRIORITY down. 2.5.31-2.5.38 (2.5.33 l.436-447):
     * {@code do { nr_pages = shrink_caches(...); if (nr_pages <= 0) return 1; } while
     * (--priority)} from 6, then {@code out_of_memory()} for every caller. 2.5.39 (l.527-550):
     * a {@code for} loop from 12, {@code total_scanned == 0} also succeeds, a {@code !__GFP_FS}
     * caller breaks out, and only a {@code __GFP_FS} caller OOMs. 2.6: {@link #tryToFreePages26}.
     * Returns 1 on success. {@code wakeup_bdflush} and {@code blk_congestion_wait} are not
     * emulated (the writeback clock advances per shrink_cache instead).
     */
    public int tryToFreePages(Cpu cpu, Zone classzone, int gfpMask, int order) {
        if (shape.balancePgdat()) {
            return tryToFreePages26(cpu, classzone, gfpMask, order);
        }
        boolean v2539 = shape.loops().atLeast(ReclaimShape.Loops.V2_5_39);
        int nrPages = SWAP_CLUSTER_MAX;
        vmstat.inc(VmStat.Item.pageoutrun); // KERNEL_STAT_INC(pageoutrun)
        for (int priority = defPriority(); priority > 0; priority--) {
            int[] totalScanned = {0};
            nrPages = shrinkCaches(cpu, classzone, priority, totalScanned, gfpMask, nrPages);
            if (nrPages <= 0) {
                return 1;
            }
            if (!v2539) {
                continue; // while (--priority)
            }
            if (totalScanned[0] == 0) {
                return 1; // all zones had enough free memory
            }
            if ((gfpMask & Gfp.__GFP_FS) == 0) {
                break; // let the caller handle it
            }
        }
        if (!v2539 || (gfpMask & Gfp.__GFP_FS) != 0) {
            oom.outOfMemory(cpu, classzone, gfpMask, order);
        }
        return 0;
    }

    // ---- 2.6: scan_control, shrink_zone, shrink_caches, try_to_free_pages, balance_pgdat ------

    /**
     * mm/vmscan.c: {@code struct scan_control} (2.6.7 l.~60): what one pass of the priority loop
     * scanned and reclaimed, at which priority. 2.6.0 and 2.6.6 pass the same numbers as
     * arguments.
     */
    static final class ScanControl {
        int nrScanned;
        int nrReclaimed;
        int priority;
        int nrToScan;
        final int gfpMask;

        ScanControl(int gfpMask) {
            this.gfpMask = gfpMask;
        }
    }

    /**
     * {@code zone->nr_scan_active} / {@code zone->nr_scan_inactive} (include/linux/mmzone.h,
     * 2.6.6 on): shrink_zone()'s accumulators, atomics of the zone. Kept here rather than in
     * {@link ZoneLru}, whose 2.5 refill_counter they replace; each access one step.
     */
    static final class ZoneScan {
        int nrScanActive;
        int nrScanInactive;
    }

    private final java.util.Map<Zone, ZoneScan> zoneScans = new java.util.concurrent.ConcurrentHashMap<>();

    private ZoneScan zoneScan(Zone zone) {
        return zoneScans.computeIfAbsent(zone, z -> new ZoneScan());
    }

    /**
     * mm/vmscan.c: shrink_zone() (2.6.7 l.657-700; 2.6.0 and 2.6.6 run it too, departure):
     * {@code scan_inactive = (nr_active + nr_inactive) >> priority}; {@code scan_active} by the
     * 2/3 ratio (at most 4 * scan_inactive); each added (+1 for the active one) to its zone
     * accumulator, and once an accumulator reaches SWAP_CLUSTER_MAX it is zeroed and that many
     * pages are refilled or shrunk. Adds the freed pages to {@code sc.nr_reclaimed}.
     */
    void shrinkZone26(Cpu cpu, Zone zone, ScanControl sc) {
        ZoneLru zl = lru.zone(zone);
        ZoneScan zs = zoneScan(zone);
        long scanInactive = ((long) zl.nrActive(cpu, SZ_NR_ACTIVE) + zl.nrInactive(cpu, SZ_NR_INACTIVE)) >> sc.priority;
        long scanActive;
        long nrActive = zl.nrActive(cpu, SZ_NR_ACTIVE);
        long nrInactive = zl.nrInactive(cpu, SZ_NR_INACTIVE);
        if (nrActive >= 4 * (nrInactive * 2 + 1)) {
            scanActive = 4 * scanInactive; // Don't scan more than 4 times the inactive list scan size
        } else {
            scanActive = scanInactive * zl.nrActive(cpu, SZ_NR_ACTIVE) / (zl.nrInactive(cpu, SZ_NR_INACTIVE) * 2 + 1);
        }
        cpu.step(SZ26_ADD_ACTIVE, zs, Access.WRITE);
        zs.nrScanActive += (int) Math.min(Integer.MAX_VALUE / 2, scanActive + 1);
        cpu.step(SZ26_READ_ACTIVE, zs, Access.READ);
        int count = zs.nrScanActive;
        if (count >= SWAP_CLUSTER_MAX) {
            cpu.step(SZ26_SET_ACTIVE, zs, Access.WRITE);
            zs.nrScanActive = 0;
            sc.nrToScan = count;
            refill.refillInactiveZone(cpu, zone, count);
        }
        cpu.step(SZ26_ADD_INACTIVE, zs, Access.WRITE);
        zs.nrScanInactive += (int) Math.min(Integer.MAX_VALUE / 2, scanInactive);
        cpu.step(SZ26_READ_INACTIVE, zs, Access.READ);
        count = zs.nrScanInactive;
        if (count >= SWAP_CLUSTER_MAX) {
            cpu.step(SZ26_SET_INACTIVE, zs, Access.WRITE);
            zs.nrScanInactive = 0;
            sc.nrToScan = count;
            long before = vmstat.get(VmStat.Item.pgscan);
            sc.nrReclaimed += shrinkCache.shrinkCacheFreed(cpu, SWAP_CLUSTER_MAX, zone, sc.gfpMask, count);
            sc.nrScanned += (int) (vmstat.get(VmStat.Item.pgscan) - before);
        }
    }

    /**
     * mm/vmscan.c: try_to_free_pages() (2.6.7 l.737-807; 2.6.0 and 2.6.6 run it too,
     * departure): for priority DEF_PRIORITY (12) down to 0, shrink_caches() (each zone from the
     * classzone down: shrink_zone()); success as soon as one pass reclaims SWAP_CLUSTER_MAX
     * pages; 2.6.0 and 2.6.6 let a {@code !__GFP_FS} caller out after the first pass, 2.6.7
     * does not; after the last pass {@code out_of_memory()} for a {@code __GFP_FS} caller (no
     * {@code __GFP_NORETRY} in this emulator's gfp masks). {@code shrink_slab}, the zones'
     * temp/prev_priority and all_unreclaimable, {@code may_writepage} and the naps are not
     * emulated.
     */
    int tryToFreePages26(Cpu cpu, Zone classzone, int gfpMask, int order) {
        ScanControl sc = new ScanControl(gfpMask);
        for (int priority = defPriority(); priority >= 0; priority--) {
            sc.nrScanned = 0;
            sc.nrReclaimed = 0;
            sc.priority = priority;
            // shrink_caches(zones, &sc)
            for (int t = classzone.index(); t >= 0; t--) {
                Zone zone = machine.node().zone(org.mmemu.core.page.ZoneType.values()[t]);
                if (zone != null) {
                    shrinkZone26(cpu, zone, sc);
                }
            }
            if (sc.nrReclaimed >= SWAP_CLUSTER_MAX) {
                return 1;
            }
            // 2.6.0 l.~721 and 2.6.6 l.~705: if (!(gfp_mask & __GFP_FS)) break; 2.6.7 has none
            if (shape.loops() != ReclaimShape.Loops.V2_6_7 && (gfpMask & Gfp.__GFP_FS) == 0) {
                break;
            }
        }
        if ((gfpMask & Gfp.__GFP_FS) != 0) {
            oom.outOfMemory(cpu, classzone, gfpMask, order);
        }
        return 0;
    }

    /**
     * mm/vmscan.c: balance_pgdat(pgdat, 0) (2.6.7 l.808-909; 2.6.0 and 2.6.6 run it too,
     * departure), kswapd's reclaim from 2.6.0 on: counts {@code pageoutrun}; for priority
     * DEF_PRIORITY (12) down to 0: finds the highest zone at or below {@code pages_high}
     * (none: done), then shrinks every zone from ZONE_DMA up to it (shrink_zone()), noting
     * whether all were above pages_high; stops when they all were. Returns the pages reclaimed.
     * shrink_slab, all_unreclaimable, temp/prev_priority and the naps are not emulated.
     */
    public int balancePgdat(Cpu cpu) {
        vmstat.inc(VmStat.Item.pageoutrun); // inc_page_state(pageoutrun)
        java.util.List<Zone> zones = machine.node().zones();
        ScanControl sc = new ScanControl(Gfp.GFP_KERNEL);
        int totalReclaimed = 0;
        for (int priority = defPriority(); priority >= 0; priority--) {
            boolean allZonesOk = true;
            int endZone = -1;
            for (int i = zones.size() - 1; i >= 0; i--) {
                Zone zone = zones.get(i);
                cpu.step(BP_FREE, zone, Zone.FREE_PAGES, Access.READ);
                if (zone.freePages() <= zone.pagesHigh()) {
                    endZone = i;
                    break;
                }
            }
            if (endZone < 0) {
                break; // goto out
            }
            for (int i = 0; i <= endZone; i++) {
                Zone zone = zones.get(i);
                cpu.step(BP_FREE, zone, Zone.FREE_PAGES, Access.READ);
                if (zone.freePages() <= zone.pagesHigh()) {
                    allZonesOk = false;
                }
                sc.nrScanned = 0;
                sc.nrReclaimed = 0;
                sc.priority = priority;
                shrinkZone26(cpu, zone, sc);
                totalReclaimed += sc.nrReclaimed;
            }
            if (allZonesOk) {
                break; // kswapd: all done
            }
        }
        return totalReclaimed;
    }
}
