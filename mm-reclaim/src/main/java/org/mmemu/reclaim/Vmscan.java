package org.mmemu.reclaim;

import static org.mmemu.core.page.PageFlags.PG_active;
import static org.mmemu.core.page.PageFlags.PG_dirty;
import static org.mmemu.core.page.PageFlags.PG_lru;
import static org.mmemu.core.page.PageFlags.PG_private;
import static org.mmemu.core.page.PageFlags.PG_slab;
import static org.mmemu.core.page.PageFlags.PG_writeback;

import org.mmemu.core.KernelProfile;
import org.mmemu.core.Machine;
import org.mmemu.core.ReclaimShape;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.Site;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.VmStat;
import org.mmemu.core.page.Zone;
import org.mmemu.lru.Lru;
import org.mmemu.lru.LruProtocol;
import org.mmemu.lru.ZoneLru;
import org.mmemu.pagevec.Pagevec;
import org.mmemu.slab.SlabAllocator;

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
 */
public final class Vmscan {
    /** {@code SWAP_CLUSTER_MAX}. */
    public static final int SWAP_CLUSTER_MAX = 32;

    private static final Site SC_TAIL = Site.of("shrink_cache", "page = list_entry(zone->inactive_list.prev)");
    private static final Site SC_EMPTY = Site.of("shrink_cache", "list_empty(&zone->inactive_list)");
    private static final Site SC_PL_EMPTY = Site.of("shrink_cache", "list_empty(&page_list)");
    private static final Site SC_PL_TAIL = Site.of("shrink_cache", "page = list_entry(page_list.prev)");
    private static final Site MOP_COUNT = Site.of("shrink_cache", "page_count(page) == 0 (mop-up)");
    private static final Site MOP_LRU = Site.of("shrink_cache", "TestClearPageLRU(page) (mop-up)");
    private static final Site MOP_DEL = Site.of("shrink_cache", "list_del(&page->lru) (mop-up)");
    private static final Site MOP_LIST_DEL = Site.of("shrink_cache", "list_del(&page->lru) (off mop_list)");
    private static final Site MOP_ADD = Site.of("shrink_cache", "list_add(&page->lru, &mop_list)");
    private static final Site MOP_FREE = Site.of("shrink_cache", "__free_pages_ok(page, 0) (mop-up)");
    private static final Site MOP_NR_A = Site.of("shrink_cache", "zone->nr_active-- (mop-up)");
    private static final Site MOP_NR_I = Site.of("shrink_cache", "zone->nr_inactive-- (mop-up)");
    private static final Site MOP_ACTIVE = Site.of("shrink_cache", "TestClearPageActive(page) (mop-up)");

    private static final Site SL_EMPTY = Site.of("shrink_list", "list_empty(page_list)");
    private static final Site SL_TAIL = Site.of("shrink_list", "page = list_entry(page_list->prev)");
    private static final Site SL_DEL = Site.of("shrink_list", "list_del(&page->lru)");
    private static final Site SL_LOCK = Site.of("shrink_list", "TestSetPageLocked(page)");
    private static final Site SL_ACTIVE = Site.of("shrink_list", "BUG_ON(PageActive(page))");
    private static final Site SL_SLAB = Site.of("shrink_list", "PageSlab(page)");
    private static final Site SL_WB = Site.of("shrink_list", "PageWriteback(page)");
    private static final Site SL_MAPPING = Site.of("shrink_list", "mapping = page->mapping");
    private static final Site IN_MAPPING = Site.of("page_mapping_inuse", "mapping = page->mapping");
    private static final Site SL_PRIVATE = Site.of("shrink_list", "PagePrivate(page)");
    private static final Site SL_DIRTY = Site.of("shrink_list", "PageDirty(page)");
    private static final Site SL_COUNT = Site.of("shrink_list", "page_count(page)");
    private static final Site SL_INDEX = Site.of("shrink_list", "swp_entry_t swap = { .val = page->index }");
    private static final Site SL_PUT = Site.of("shrink_list", "__put_page(page) /* The pagecache ref */");
    private static final Site SL_UNLOCK = Site.of("shrink_list", "unlock_page(page)");
    private static final Site SL_SETACTIVE = Site.of("shrink_list", "SetPageActive(page)");
    private static final Site SL_KEEP = Site.of("shrink_list", "list_add(&page->lru, &ret_pages)");
    private static final Site SL_KEEP_LRU = Site.of("shrink_list", "BUG_ON(PageLRU(page))");
    private static final Site SL_SPLICE = Site.of("shrink_list", "list_splice(&ret_pages, page_list)");

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
    private static final Site SC_NR_N = Site.of("shrink_cache", "zone->nr_inactive -= n");
    private static final Site SC_NR_TAKEN = Site.of("shrink_cache", "zone->nr_inactive -= nr_taken");
    private static final Site RF_MAPPING = Site.of("refill_inactive_zone", "!page->mapping");
    private static final Site RF_PRIVATE = Site.of("refill_inactive_zone", "!PagePrivate(page)");
    private static final Site RF_LIST_EMPTY = Site.of("refill_inactive_zone", "list_empty(&l_inactive/&l_active)");

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
    private static final Site BP_FREE = Site.of("balance_pgdat", "zone->free_pages <= zone->pages_high");
    private static final Site SCS_FREE = Site.of("shrink_caches", "zone->pages_high - zone->free_pages");
    private static final Site SCS_NR_INACTIVE = Site.of("shrink_caches", "zone->nr_inactive");

    private final Machine machine;
    private final ReclaimConfig config;
    private final Lru lru;
    private final KernelProfile profile;
    private final ReclaimShape shape;
    private final LruOps ops;
    private final boolean mopUp;
    private final Writeback writeback;
    private final SwapState swap;
    private final Rmap rmap;
    private final Buffers buffers;
    private final OutOfMemory oom;
    private final VmStat vmstat;
    private volatile SlabReclaim slabReclaim = SlabReclaim.NONE;

    /**
     * The scans of {@code machine}'s LRU, with the parts {@link Reclaim} composes: the kernel
     * {@code lru.profile()} says how the loops end; {@code mopUp} whether they free zero-ref
     * pages ({@link ReclaimConfig#mopUp()}).
     */
    Vmscan(Machine machine, ReclaimConfig config, Lru lru, LruOps ops, boolean mopUp, Writeback writeback,
           SwapState swap, Rmap rmap, Buffers buffers, OutOfMemory oom) {
        this.machine = machine;
        this.config = config;
        this.lru = lru;
        this.profile = lru.profile();
        this.shape = profile.reclaim();
        this.ops = ops;
        this.mopUp = mopUp;
        this.writeback = writeback;
        this.swap = swap;
        this.rmap = rmap;
        this.buffers = buffers;
        this.oom = oom;
        this.vmstat = machine.pageAlloc().vmstat();
    }

    /** The reclaim shape of this machine's kernel. */
    ReclaimShape profileReclaim() {
        return shape;
    }

    /** The slab reaper shrink_zone() calls first ({@link Reclaim#setSlabReclaim}). */
    SlabReclaim slabReclaim() {
        return slabReclaim;
    }

    void setSlabReclaim(SlabReclaim s) {
        slabReclaim = s;
    }

    private LruProtocol protocol() {
        return lru.protocol();
    }

    // ---- shrink_cache -------------------------------------------------------------------

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
                    if (mopUp && mopUpLocked(cpu, zl, page, false)) {
                        mopList = mopList == null ? new ListHead() : mopList;
                        mopList.listAdd(cpu, MOP_ADD, page);
                        continue;
                    }
                    if (isolate(cpu, zl, page, pageList, false)) {
                        nrTaken++;
                        skips = 0;
                    } else if (++skips > LOOP_GUARD) {
                        throw endlessLoop(cpu, page, SC_TAIL);
                    }
                } finally {
                    LongList.end(cpu, fold);
                }
            }
            // 2.5.33: zone->nr_inactive -= n; 2.5.39 on: zone->nr_inactive -= nr_taken; (once, lock held)
            zl.addNrInactive(cpu, shape.shrinkCacheNrTaken() ? SC_NR_TAKEN : SC_NR_N, -nrTaken);
            zl.lruLock().spinUnlockIrq(cpu);
            freeMopped(cpu, mopList);

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
            int left = shrinkList(cpu, pageList, nrPages, gfpMask, maxScanRef);
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
                    protocol().putbackLruPage(cpu, zl, page);
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
     * Emulator safety net, not kernel: pages skipped in a row after which an unbounded scan loop
     * (before 2.5.39 / 2.6.0) is declared endless. The controlled engine's livelock detector
     * sees such a loop long before (tens of repetitions); the free engine, whose CPUs are real
     * threads, has no detector, and a CPU spinning on the lock this loop holds would hang it.
     */
    static final int LOOP_GUARD = 100_000;

    private RuntimeException endlessLoop(Cpu cpu, Page page, Site site) {
        return cpu.detectors().fatal(FindingKind.LIVELOCK, cpu, page.pfn(), site, site.function()
                + " skipped " + LOOP_GUARD + " pages in a row without taking one: a loop that counts only the pages"
                + " it takes, over a list with nothing else to take");
    }

    /** The protocol's isolation of one page, from the LRU onto {@code dst}. */
    private boolean isolate(Cpu cpu, ZoneLru zl, Page page, ListHead dst, boolean fromActive) {
        return protocol().isolateLruPage(cpu, zl, page, dst, fromActive);
    }

    /**
     * Emulator addition, not kernel code (no kernel had it): the mop-up the seed mail's proposal
     * (b) asks of shrink_cache()/refill_inactive_zone(), written in their style. With lru_lock
     * held: if {@code page} has count 0 it is an orphan (see the essay above): clear PG_lru,
     * list_del, drop the zone counter, and return true; the caller frees it after the unlock.
     * The count load comes before the protocol's isolation, so with mop-up on each page picked
     * costs one step more than docs/RACE.md rows 2-7; mop-up is off by default for every protocol but
     * count-one, so the mm1 table is reproduced unchanged.
     */
    private boolean mopUpLocked(Cpu cpu, ZoneLru zl, Page page, boolean active) {
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
     * Emulator addition (see {@link #mopUpLocked}): frees the mopped-up pages with
     * {@code __free_pages_ok()}, lru_lock dropped as {@code pagevec_free} is called in
     * __pagevec_release(), and counts them in the emulator's {@code lru_mopup} counter.
     */
    private void freeMopped(Cpu cpu, ListHead mopList) {
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

    // ---- shrink_list --------------------------------------------------------------------

    /** The outcomes of one page in shrink_list, named by the kernel's labels. */
    enum Outcome { KEEP, KEEP_LOCKED, ACTIVATE_LOCKED, FREE_IT, PAGECACHE_FREE }

    /**
     * mm/vmscan.c: shrink_list() (BK 18 Aug 2002 to 2.6.7; the mapping re-read after
     * add_to_swap() from "swapout fix", changeset 47, {@link #shrinkOne}): every isolated page
     * either goes (out of the page or swap cache, the pagecache reference dropped, freed through
     * {@code __pagevec_release_nonlru}) or stays on {@code pageList} for the caller to put back,
     * marked active if it was in use. Returns how many of {@code nrPages} are still to be freed.
     */
    public int shrinkList(Cpu cpu, ListHead pageList, int nrPages, int gfpMask, int[] maxScan) {
        ListHead retPages = new ListHead();
        Pagevec freedPvec = new Pagevec();
        int nrPagesIn = nrPages;
        int pgactivate = 0;

        freedPvec.pagevecInit();
        for (;;) {
            boolean fold = LongList.begin(cpu, LongList.tailIsFiller(pageList));
            try {
                if (pageList.listEmpty(cpu, SL_EMPTY)) {
                    break;
                }
                Outcome o = shrinkListOne(cpu, pageList, retPages, freedPvec, gfpMask, maxScan);
                if (o == Outcome.FREE_IT || o == Outcome.PAGECACHE_FREE) {
                    nrPages--;
                } else if (o == Outcome.ACTIVATE_LOCKED) {
                    pgactivate++;
                }
            } finally {
                LongList.end(cpu, fold);
            }
        }
        pageList.listSplice(cpu, SL_SPLICE, retPages);
        if (freedPvec.pagevecCount() != 0) {
            ops.pagevecReleaseNonlru(cpu, freedPvec);
        }
        vmstat.add(VmStat.Item.pgsteal, nrPagesIn - nrPages);
        vmstat.add(VmStat.Item.pgactivate, pgactivate);
        return nrPages;
    }

    /**
     * One pass of shrink_list()'s loop: the page at the tail of {@code pageList} is taken off,
     * decided on, and either queued on {@code freedPvec} ({@code free_it:}) or kept on
     * {@code retPages}. Returns the page's outcome.
     */
    private Outcome shrinkListOne(Cpu cpu, ListHead pageList, ListHead retPages, Pagevec freedPvec, int gfpMask,
                                  int[] maxScan) {
        {
            cpu.step(SL_TAIL, pageList, Access.READ);
            Page page = pageList.tailEntry(cpu, SL_TAIL, Page.class);
            page.listDel(cpu, SL_DEL);
            Outcome o = shrinkOne(cpu, page, gfpMask, maxScan);
            switch (o) {
                case FREE_IT, PAGECACHE_FREE -> {
                    // free_it:
                    page.unlockPage(cpu, SL_UNLOCK);
                    if (freedPvec.pagevecAdd(page) == 0) {
                        ops.pagevecReleaseNonlru(cpu, freedPvec);
                    }
                    return o;
                }
                case ACTIVATE_LOCKED -> {
                    page.setFlag(cpu, SL_SETACTIVE, PG_active);
                    page.unlockPage(cpu, SL_UNLOCK);
                }
                case KEEP_LOCKED -> page.unlockPage(cpu, SL_UNLOCK);
                case KEEP -> { }
                default -> throw new AssertionError(o);
            }
            // keep:
            retPages.listAdd(cpu, SL_KEEP, page);
            if (page.testFlag(cpu, SL_KEEP_LRU, PG_lru)) {
                throw cpu.detectors().kernelBug(cpu, page.pfn(), SL_KEEP_LRU, "shrink_list: PageLRU(page) on keep");
            }
            return o;
        }
    }

    /**
     * mm/vmscan.c: shrink_list() loop body (BK 18 Aug 2002 to 2.6.7; changeset 47 for the
     * re-read of {@code page->mapping} after add_to_swap(), {@link ReclaimShape#rereadMappingAfterAddToSwap()}):
     * for one page that is off every list, decides its outcome
     * and does everything up to the labels ({@code free_it:}, {@code activate_locked:},
     * {@code keep_locked:}, {@code keep:}), which the caller runs.
     */
    Outcome shrinkOne(Cpu cpu, Page page, int gfpMask, int[] maxScan) {
        if (page.testSetPageLocked(cpu, SL_LOCK)) {
            return Outcome.KEEP;
        }
        if (page.testFlag(cpu, SL_ACTIVE, PG_active)) {
            throw cpu.detectors().kernelBug(cpu, page.pfn(), SL_ACTIVE, "shrink_list: PageActive(page)");
        }
        SlabAllocator slab = machine.extensionOrNull(SlabAllocator.class);
        if (slab != null && slab.options().slabOnLru() && page.testFlag(cpu, SL_SLAB, PG_slab)) {
            // slablru (Ed Tomlinson, 2.5.32-mm1; docs/FIDELITY.md): a slab page on the LRU is not
            // page cache; its cache decides whether the slab can go (free or pruned empty),
            // shrank (some objects pruned) or is busy. Never in mainline, so a machine without
            // the option has no such test and no such step.
            SlabAllocator.SlabPageVerdict v = slab.reclaimSlabPage(cpu, page, gfpMask);
            return v.freeIt() ? Outcome.FREE_IT
                    : v == SlabAllocator.SlabPageVerdict.BUSY ? Outcome.ACTIVATE_LOCKED : Outcome.KEEP_LOCKED;
        }
        boolean mayEnterFs = (gfpMask & Gfp.__GFP_FS) != 0
                || (swap.pageSwapCache(cpu, page) && (gfpMask & Gfp.__GFP_IO) != 0);

        if (page.testFlag(cpu, SL_WB, PG_writeback)) {
            // The kernel waits here when it may enter the fs; see the class comment.
            return Outcome.KEEP_LOCKED;
        }

        rmap.pteChainLock(cpu, page);
        if (rmap.pageReferenced(cpu, page) > 0 && pageMappingInuse(cpu, page)) {
            // In active use or really unfreeable. Activate it.
            rmap.pteChainUnlock(cpu, page);
            return Outcome.ACTIVATE_LOCKED;
        }
        Object mapping = page.mapping(cpu, SL_MAPPING);

        // Anonymous process memory without backing store: try to give it swap space.
        if (rmap.pageMapped(cpu, page) && mapping == null && !page.testFlag(cpu, SL_PRIVATE, PG_private)) {
            rmap.pteChainUnlock(cpu, page);
            if (!swap.addToSwap(cpu, page)) {
                return Outcome.ACTIVATE_LOCKED;
            }
            rmap.pteChainLock(cpu, page);
            // "swapout fix" (changeset 47, 19 Sep 2002; 2.5.39 l.134, 2.6.0 l.245; 2.6.6/2.6.7's
            // page_mapping() after the block): before it the local stays NULL, so the page just
            // given swap space is neither unmapped nor written and goes to keep_locked below
            if (shape.rereadMappingAfterAddToSwap()) {
                mapping = page.mapping(cpu, SL_MAPPING);
            }
            // 2.6.6 (l.~290) and 2.6.7 (l.316-318) compute may_enter_fs after add_to_swap: a page
            // just added to the swap cache may be written by a __GFP_IO caller
            if (shape.loops().atLeast(ReclaimShape.Loops.V2_6_6)) {
                mayEnterFs = (gfpMask & Gfp.__GFP_FS) != 0
                        || (swap.pageSwapCache(cpu, page) && (gfpMask & Gfp.__GFP_IO) != 0);
            }
        }

        // The page is mapped into the page tables of one or more processes: unmap it
        // (if (page->pte.chain && mapping), every version: 2.5.33 l.123, 2.6.7 page_mapped).
        if (rmap.pageMapped(cpu, page) && mapping != null) {
            switch (rmap.tryToUnmap(cpu, page)) {
                case SWAP_ERROR, SWAP_FAIL -> {
                    rmap.pteChainUnlock(cpu, page);
                    return Outcome.ACTIVATE_LOCKED;
                }
                case SWAP_AGAIN -> {
                    rmap.pteChainUnlock(cpu, page);
                    return Outcome.KEEP_LOCKED;
                }
                case SWAP_SUCCESS -> { }
                default -> throw new AssertionError();
            }
        }
        rmap.pteChainUnlock(cpu, page);

        // Dirty, freeable, with a mapping and allowed into the fs: start writeback and keep it.
        if (page.testFlag(cpu, SL_DIRTY, PG_dirty) && isPageCacheFreeable(cpu, page) && mapping != null
                && mayEnterFs) {
            writeback.vmWriteback(cpu, page);
            maxScan[0] -= 1; // *max_scan -= cluster_size - nr_to_write: one page written
            return Outcome.KEEP;
        }

        // Buffers: drop them if they are clean; a page without a mapping may then go at once.
        if (page.testFlag(cpu, SL_PRIVATE, PG_private)) {
            if (!buffers.tryToReleasePage(cpu, page)) {
                return Outcome.KEEP_LOCKED;
            }
            if (mapping == null && page.pageCount(cpu, SL_COUNT) == 1) {
                return Outcome.FREE_IT;
            }
        }

        if (mapping == null) {
            return Outcome.KEEP_LOCKED; // truncate got there first
        }

        AddressSpace as = (AddressSpace) mapping;
        as.pageLock().spinLock(cpu);
        // The non-racy check for a busy page: pagecache + us == 2, and clean.
        if (page.pageCount(cpu, SL_COUNT) != 2 || page.testFlag(cpu, SL_DIRTY, PG_dirty)) {
            as.pageLock().spinUnlock(cpu);
            return Outcome.KEEP_LOCKED;
        }
        if (swap.pageSwapCache(cpu, page)) {
            cpu.step(SL_INDEX, page, Access.INDEX, Access.READ);
            long entry = page.index();
            swap.deleteFromSwapCacheLocked(cpu, page);
            as.pageLock().spinUnlock(cpu);
            swap.swapFree(cpu, entry);
        } else {
            as.removeFromPageCacheLocked(cpu, page);
            as.pageLock().spinUnlock(cpu);
        }
        page.putPageNoTest(cpu, SL_PUT); // the pagecache reference
        return Outcome.PAGECACHE_FREE;
    }

    /**
     * mm/vmscan.c: page_mapping_inuse() (2.5.31 to 2.6.7; 2.6.0 adds the PageSwapCache test,
     * 2.6.6 reads the mapping through page_mapping() after it): whether the page is in use
     * through a mapping, pte-chain lock held: mapped into page tables, or (2.6.0 on) in the swap
     * cache, or its file is mmap'd by somebody ({@code !list_empty(&mapping->i_mmap) ||
     * !list_empty(&mapping->i_mmap_shared)}, {@link AddressSpace#iMmapEmpty}). 2.5.x and 2.6.0
     * load {@code page->mapping} first, at the declaration (2.5.33 l.66-75, 2.6.0 l.158-170);
     * 2.6.6/2.6.7 after the swap-cache test (2.6.7 l.155-165).
     */
    boolean pageMappingInuse(Cpu cpu, Page page) {
        boolean late = shape.loops().atLeast(ReclaimShape.Loops.V2_6_6);
        Object mapping = late ? null : page.mapping(cpu, IN_MAPPING);
        if (rmap.pageMapped(cpu, page)) {
            return true; // Page is in somebody's page tables.
        }
        if (shape.inuseTestsSwapCache() && swap.pageSwapCache(cpu, page)) {
            return true; // Be more reluctant to reclaim swapcache than pagecache
        }
        if (late) {
            mapping = page.mapping(cpu, IN_MAPPING);
        }
        if (!(mapping instanceof AddressSpace as)) {
            return false;
        }
        // File is mmap'd by somebody.
        return !as.iMmapEmpty(cpu, false) || !as.iMmapEmpty(cpu, true);
    }

    /** mm/vmscan.c: is_page_cache_freeable() (2.5.31): {@code page_count - !!PagePrivate == 2}. */
    private boolean isPageCacheFreeable(Cpu cpu, Page page) {
        int c = page.pageCount(cpu, SL_COUNT);
        return c - (page.testFlag(cpu, SL_PRIVATE, PG_private) ? 1 : 0) == 2;
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

    // ---- refill_inactive_zone -----------------------------------------------------------

    /**
     * mm/vmscan.c: refill_inactive_zone() (2.5.31-mm1 to 2.6.7; 2.6.0's loop bound,
     * {@link KernelProfile#refillCountsScanned()}; docs/FIDELITY.md lists what is 2.5.33's only): takes up to
     * {@code nrPagesIn} pages off the tail of the active list through the protocol, sends those
     * that are mapped and referenced back to the active list and the rest to the inactive list
     * (PG_active cleared), puts them back through the protocol and drops the references through
     * a pagevec. The zone counters move as the version's text moves them (issue 23 item 6):
     * 2.5.x once each after both put-back loops ({@code pgdeactivate}), 2.6 once after isolation
     * and per full pagevec ({@code pgmoved}); see the class comment.
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
                if (mopUp && mopUpLocked(cpu, zl, page, true)) {
                    mopList = mopList == null ? new ListHead() : mopList;
                    mopList.listAdd(cpu, MOP_ADD, page);
                    taken = false;
                } else {
                    taken = isolate(cpu, zl, page, lHold, true);
                }
                if (taken || countsScanned) {
                    nrPages--;
                }
                if (taken) {
                    nrTaken++;
                    skips = 0;
                } else if (++skips > LOOP_GUARD) {
                    throw endlessLoop(cpu, page, RF_TAIL);
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
        freeMopped(cpu, mopList);

        for (;;) {
            boolean fold = LongList.begin(cpu, LongList.tailIsFiller(lHold));
            try {
                if (lHold.listEmpty(cpu, RF_HOLD_EMPTY)) {
                    break;
                }
                Page page = lHold.tailEntry(cpu, RF_HOLD_DEL, Page.class);
                page.listDel(cpu, RF_HOLD_DEL);
                if (rmap.pageMapped(cpu, page)) {
                    rmap.pteChainLock(cpu, page);
                    if (rmap.pageMapped(cpu, page) && rmap.pageReferenced(cpu, page) > 0) {
                        rmap.pteChainUnlock(cpu, page);
                        lActive.listAdd(cpu, RF_TO_ACTIVE, page);
                        continue;
                    }
                    rmap.pteChainUnlock(cpu, page);
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

    // ---- shrink_zone, shrink_caches, try_to_free_pages -----------------------------------

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
            cpu.step(SZ_READ, zl, Access.READ);
            if (zl.refillCounter() <= SWAP_CLUSTER_MAX) {
                break;
            }
            zl.addRefillCounter(cpu, SZ_SUB, -SWAP_CLUSTER_MAX);
            refillInactiveZone(cpu, zone, SWAP_CLUSTER_MAX);
        } while (v2539); // 2.5.33: if (...); 2.5.39: while (...)
        int maxScan = v2539 ? maxScanOrPriority : zl.nrInactive(cpu, SZ_MAX_SCAN) / maxScanOrPriority;
        nrPages = shrinkCache(cpu, nrPages, zone, gfpMask, maxScan);
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
            cpu.step(SCS_FREE, zone, Access.READ);
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
            refillInactiveZone(cpu, zone, count);
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
            sc.nrReclaimed += shrinkCacheFreed(cpu, SWAP_CLUSTER_MAX, zone, sc.gfpMask, count);
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
                cpu.step(BP_FREE, zone, Access.READ);
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
                cpu.step(BP_FREE, zone, Access.READ);
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
