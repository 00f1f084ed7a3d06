package org.mmemu.core;

/**
 * The reclaim choices of mm/vmscan.c a kernel makes by version: which shape each mirrored
 * function of mm-reclaim runs ({@code Vmscan}, {@code Kswapd}). One component of
 * {@link KernelProfile}, {@link KernelProfile#reclaim()}, made by {@link #of(String)}.
 *
 * <p>Emulator, not a mirror. Every field names the kernel text behind it
 * (the kernel release of that version; where a version between two releases is
 * placed by a changeset's date, it says so).
 *
 * @param loops                  the shape of the priority loop and of shrink_cache()'s batch loop
 *                               ({@link Loops})
 * @param defPriority            {@code DEF_PRIORITY}: 6 to 2.5.38; 12 from "low-latency page
 *                               reclaim" (changeset 51, 22 Sep 2002; stored: 2.5.39 l.38)
 * @param rereadMappingAfterAddToSwap mm/vmscan.c: shrink_list() reads {@code page->mapping}
 *                               again after add_to_swap() ("swapout fix", changeset 47, 19 Sep
 *                               2002: 2.5.37 by date; stored: 2.5.39 l.134, 2.6.0 l.245; 2.6.6
 *                               and 2.6.7 reach the same through page_mapping()). Before, the
 *                               newly swap-allocated anonymous page is kept in that pass
 * @param inuseTestsSwapCache    mm/vmscan.c: page_mapping_inuse() returns 1 for a swap-cache
 *                               page ("Be more reluctant to reclaim swapcache"): 2.6.0 on
 * @param kmemCacheReap          mm/vmscan.c: shrink_zone() starts with
 *                               {@code if (kmem_cache_reap(gfp_mask) >= nr_pages) return 0}: to
 *                               2.5.38; gone with slab balancing (changeset 52; 2.5.39's text
 *                               has none)
 */
public record ReclaimShape(Loops loops, int defPriority, boolean rereadMappingAfterAddToSwap,
                           boolean inuseTestsSwapCache, boolean kmemCacheReap) {

    /**
     * The outer reclaim loops, ordered by version. Each names the stored text it follows.
     */
    public enum Loops {
        /**
         * 2.5.31 to 2.5.38 (stored: 2.5.31-2.5.33): try_to_free_pages() {@code do { ... } while
         * (--priority)} from DEF_PRIORITY 6 with {@code nr_pages} passed whole down through
         * shrink_caches() and shrink_zone(), which computes {@code max_scan = zone->nr_inactive
         * / priority} (no floor), {@code out_of_memory()} for every caller;
         * {@code pageoutrun} counted there; shrink_cache() counts the pages it took
         * ({@code n < nr_to_process}). 2.5.34-2.5.38's {@code while} of changeset 28 is not
         * stored and not emulated.
         */
        V2_5_31,
        /**
         * 2.5.39 (changeset 51, 2.5.39 l.445-550): shrink_caches() computes {@code to_reclaim}
         * and {@code max_scan = nr_inactive >> priority} floored at {@code to_reclaim * 2};
         * the {@code for} loop breaks for {@code !__GFP_FS}, OOM only for {@code __GFP_FS};
         * shrink_cache() counts every page looked at.
         */
        V2_5_39,
        /**
         * 2.6.0: shrink_cache()'s {@code while (max_scan > 0 && ret < nr_pages)} counting the
         * freed pages up (2.6.0 l.393-472); the priority loop and balance_pgdat() run as 2.6.7's
         * (docs/FIDELITY.md, departure).
         */
        V2_6_0,
        /**
         * 2.6.6: shrink_cache()'s {@code while (max_scan > 0)} in batches of SWAP_CLUSTER_MAX,
         * with the {@code nr_freed <= 0 && list_empty(&page_list)} exit (2.6.6 l.385-462); the
         * priority loop as 2.6.7's.
         */
        V2_6_6,
        /**
         * 2.6.7 (2.6.7 l.432-507, 657-946): shrink_cache() as 2.6.6 without that exit;
         * shrink_zone()'s {@code nr_scan_active}/{@code nr_scan_inactive} accumulators;
         * try_to_free_pages() from 12 down to 0 counting {@code sc.nr_reclaimed}; kswapd runs
         * balance_pgdat(), which counts {@code pageoutrun}.
         */
        V2_6_7;

        /** Whether this shape is {@code other} or later. */
        public boolean atLeast(Loops other) {
            return compareTo(other) >= 0;
        }
    }

    /** The reclaim shape of kernel {@code version} ({@link KernelProfile#compare} orders versions). */
    public static ReclaimShape of(String version) {
        Loops loops = KernelProfile.compare(version, "2.6.7") >= 0 ? Loops.V2_6_7
                : KernelProfile.compare(version, "2.6.6") >= 0 ? Loops.V2_6_6
                : KernelProfile.compare(version, "2.6.0") >= 0 ? Loops.V2_6_0
                : KernelProfile.compare(version, "2.5.39") >= 0 ? Loops.V2_5_39
                : Loops.V2_5_31;
        return new ReclaimShape(loops,
                loops.atLeast(Loops.V2_5_39) ? 12 : 6,
                KernelProfile.compare(version, "2.5.37") >= 0,
                KernelProfile.compare(version, "2.6.0") >= 0,
                KernelProfile.compare(version, "2.5.39") < 0);
    }

    /**
     * mm/vmscan.c: refill_inactive_zone() keeps a page with no mapping and no buffers on the
     * active list when there is no swap at all ({@code total_swap_pages == 0 && !page->mapping
     * && !PagePrivate(page)}): "low-latency page reclaim", changeset 51 (2.5.39 l.397, 2.6.0
     * l.557; 2.6.6/2.6.7 test {@code PageAnon(page)} instead).
     */
    public boolean refillKeepsAnonWithoutSwap() {
        return loops.atLeast(Loops.V2_5_39);
    }

    /** Whether the priority loop and kswapd are 2.6's (try_to_free_pages() 12..0, balance_pgdat()). */
    public boolean balancePgdat() {
        return loops.atLeast(Loops.V2_6_0);
    }

    /**
     * Whether refill_inactive_zone() moves the zone counters as 2.6.0-2.6.7 do
     * ({@code zone->nr_active -= pgmoved} after the isolation loop, then {@code zone->nr_inactive
     * += pgmoved} / {@code zone->nr_active += pgmoved} at each full pagevec and after each put-back
     * loop; 2.6.0 l.509, 574-606) rather than as 2.5.31-mm1 to 2.5.39 do (no step at isolation,
     * {@code zone->nr_active -= pgdeactivate; zone->nr_inactive += pgdeactivate;} after both
     * put-back loops, still under the lock; 2.5.33 l.378-379, 2.5.39 l.436-437).
     */
    public boolean refillCountsPerPagevec() {
        return loops.atLeast(Loops.V2_6_0);
    }

    /**
     * Whether shrink_cache()'s batch step reads {@code zone->nr_inactive -= nr_taken} (2.5.39 on,
     * 2.5.39 l.305, 2.6.0 l.426) rather than {@code zone->nr_inactive -= n} (2.5.33 l.261); both
     * come once after the isolation loop, before the unlock.
     */
    public boolean shrinkCacheNrTaken() {
        return loops.atLeast(Loops.V2_5_39);
    }
}
