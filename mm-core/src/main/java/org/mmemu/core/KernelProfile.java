package org.mmemu.core;

import org.mmemu.core.page.FreeChecks;

/**
 * The kernel a machine's code runs as: its version and every choice the mirrors make by version.
 * A protocol declares its profile ({@code LruProtocol.profile()}); the mirrors of mm-lru,
 * mm-pagevec and mm-reclaim ask it, never a version string. This is the one place where kernel
 * versions are compared.
 *
 * <p>Emulator, not a mirror. Each field names the kernel change behind it and the versions that
 * have it, e.g. mm/swap.c: __pagevec_release() (2.6.0: {@code lru_add_drain()} first).
 *
 * <p>To add a choice: a field here, its line in {@link #of(String)} (the version from which the
 * kernel has it), and the mirror that asks it. To add a version: a constant, {@code of("x.y.z")}.
 *
 * @param version                  the kernel version, e.g. {@code 2.5.31-mm1}
 * @param pageCacheReleaseBugOn    {@code BUG_ON(page_count(page) != 0)} at the entry of
 *                                 mm/swap.c: __page_cache_release(): 2.5.31-mm1 and before;
 *                                 deleted by "LRU race semi-fix" (14-3f76fabd72, 2.5.32)
 * @param refillSkipsZeroCount     mm/vmscan.c: refill_inactive_zone() skips a zero-count page
 *                                 (the semi-fix, 2.5.32 on); before, it takes a reference
 *                                 whatever the count
 * @param putPageTestzeroBugOn     {@code BUG_ON(page_count(page) == 0)} in the protocol's
 *                                 include/linux/mm.h: put_page_testzero(): "debug check in
 *                                 put_page_testzero()" (19-3e866fad90), 2.5.33 to 2.6.6 (stored
 *                                 text: 2.5.33 mm.h 170-174, 2.6.0 184-188, 2.6.6 193-197); on
 *                                 2.6.7's biased count the page's own put_page_testzero has it,
 *                                 so here false; 2.6.16 as its mirror says (no load)
 * @param relockAfterFree          mm/swap.c: release_pages() takes the zone's lru_lock again after
 *                                 freeing a full {@code pages_to_free}: from release_pages()
 *                                 (22, in -mm1) to "reduced locking in release_pages()" (49,
 *                                 19 Sep 2002, 2.5.37 by date): -mm1 and 2.5.33; 2.5.39 and 2.6
 *                                 leave it dropped ({@code zone = NULL}). Kernels without
 *                                 release_pages() (2.5.31, BK 18 Aug, 2.5.32) never ask
 * @param listDelPoisons           include/linux/list.h: list_del() stores LIST_POISON1/2 in the
 *                                 entry (2.6.0 on, stored text); 2.5.31-2.5.33 store NULL
 *                                 (2.5.39's list.h is not stored: NULL inferred)
 * @param freeChecks               mm/page_alloc.c: which free-time checks __free_pages_ok() makes
 * @param drainInPagevecRelease    mm/swap.c: __pagevec_release() calls {@code lru_add_drain()}
 *                                 first, and __pagevec_lru_add() calls release_pages() directly:
 *                                 2.6.0 on
 * @param shrinkCacheCountsScanned mm/vmscan.c: shrink_cache()'s batch loop counts every page it
 *                                 looks at ({@code nr_scan++ < nr_to_process}), "low-latency page
 *                                 reclaim" (3e5ff433), 2.5.39 on; before, only the pages it took
 * @param refillCountsScanned      mm/vmscan.c: refill_inactive_zone()'s loop counts every page it
 *                                 looks at ({@code nr_pages--} for each): "fix a VM lockup"
 *                                 (4fac8df90b, Hugh Dickins, 2.5.44), so 2.6.0 on of the stored
 *                                 versions; before, a zero-count page put back is not counted
 *                                 and the loop can go on forever (catalogue entry 03)
 * @param reclaim                  the reclaim side's choices, mm/vmscan.c ({@link ReclaimShape})
 * @param rmap                     the reverse-mapping choices around refill and
 *                                 page_referenced(), mm/vmscan.c and mm/rmap.c ({@link RmapShape})
 */
public record KernelProfile(
        String version,
        boolean pageCacheReleaseBugOn,
        boolean refillSkipsZeroCount,
        boolean putPageTestzeroBugOn,
        boolean relockAfterFree,
        boolean drainInPagevecRelease,
        boolean shrinkCacheCountsScanned,
        boolean refillCountsScanned,
        boolean listDelPoisons,
        FreeChecks freeChecks,
        ReclaimShape reclaim,
        RmapShape rmap) {

    /** What a version name that is no version ("constructed") runs as: the kernel of the mail's proposals. */
    private static final String DEFAULT = "2.5.33";

    /** 2.5.31 with the bk changesets up to the seed mail (pre-fix). */
    public static final KernelProfile V2_5_31_BK = of("2.5.31-bk");
    /** 2.5.31-mm1 (21 Aug 2002), the seed mail's kernel. */
    public static final KernelProfile V2_5_31_MM1 = of("2.5.31-mm1");
    /** 2.5.33 (31 Aug 2002): -mm1 plus the LRU race semi-fix. */
    public static final KernelProfile V2_5_33 = of("2.5.33");
    /** 2.5.31 (10 Aug 2002): no pagevecs. */
    public static final KernelProfile V2_5_31 = of("2.5.31");
    /** 2.5.32 (27 Aug 2002). */
    public static final KernelProfile V2_5_32 = of("2.5.32");
    /** 2.5.39 (27 Sep 2002). */
    public static final KernelProfile V2_5_39 = of("2.5.39");
    /** 2.6.0 (17 Dec 2003). */
    public static final KernelProfile V2_6_0 = of("2.6.0");
    /** 2.6.6 (10 May 2004). */
    public static final KernelProfile V2_6_6 = of("2.6.6");
    /** 2.6.7: biased page count, get_page_testone(). */
    public static final KernelProfile V2_6_7 = of("2.6.7");
    /** 2.6.16: get_page_unless_zero(). */
    public static final KernelProfile V2_6_16 = of("2.6.16");

    /**
     * The profile of kernel {@code version} ({@code 2.5.31-mm1}, {@code 2.5.33}, {@code 2.6.7},
     * ...); a name that is no version runs as 2.5.33.
     */
    public static KernelProfile of(String version) {
        return new KernelProfile(version,
                before(version, "2.5.32"),
                atLeast(version, "2.5.32"),
                atLeast(version, "2.5.33") && before(version, "2.6.7"),
                before(version, "2.5.37"),
                atLeast(version, "2.6.0"),
                atLeast(version, "2.5.39"),
                atLeast(version, "2.5.44"), // 4fac8df90b; of the stored versions, 2.6.0 on
                atLeast(version, "2.6.0"),
                atLeast(version, "2.6.6") ? FreeChecks.V2_6_6
                        : atLeast(version, "2.6.0") ? FreeChecks.V2_6_0
                        : atLeast(version, "2.5.33") || (version != null && version.contains("-mm")) ? FreeChecks.V2_5_33
                        : atLeast(version, "2.5.31-bk") ? FreeChecks.V2_5_32
                        : FreeChecks.V2_5_31,
                ReclaimShape.of(version),
                RmapShape.of(version));
    }

    /**
     * This profile with {@code put_page_testzero()}'s debug load as {@code bugOn} says: what a
     * composition that adds or removes akpm's page-freeing-race-fix (2.6.6-mm2, 2.6.7) moves with
     * it. The fix made the page count biased, and the biased put_page_testzero() makes its own
     * check (so 2.6.7 has no separate load); the unbiased count of 2.6.6 has the
     * {@code BUG_ON(page_count(page) == 0)} load.
     */
    public KernelProfile withPutPageTestzeroBugOn(boolean bugOn) {
        return new KernelProfile(version, pageCacheReleaseBugOn, refillSkipsZeroCount, bugOn, relockAfterFree,
                drainInPagevecRelease, shrinkCacheCountsScanned, refillCountsScanned, listDelPoisons, freeChecks,
                reclaim, rmap);
    }

    /** This profile with {@code rmap} as its reverse-mapping choices: what a composition of an rmap change moves. */
    public KernelProfile withRmap(RmapShape rmap) {
        return new KernelProfile(version, pageCacheReleaseBugOn, refillSkipsZeroCount, putPageTestzeroBugOn,
                relockAfterFree, drainInPagevecRelease, shrinkCacheCountsScanned, refillCountsScanned, listDelPoisons,
                freeChecks, reclaim, rmap);
    }

    /**
     * This profile with refill_inactive_zone() counting every page it looks at: what Hugh
     * Dickins' "fix a VM lockup" (4fac8df90b, 15 Oct 2002, 2.5.44) adds to a kernel before it,
     * for the composition {@code 2.5.33+refill-lockup-fix}; 2.6.0's loop, already chosen by
     * {@link #refillCountsScanned()}.
     */
    public KernelProfile withRefillCountsScanned(boolean counts) {
        return new KernelProfile(version, pageCacheReleaseBugOn, refillSkipsZeroCount, putPageTestzeroBugOn,
                relockAfterFree, drainInPagevecRelease, shrinkCacheCountsScanned, counts, listDelPoisons, freeChecks,
                reclaim, rmap);
    }

    /** Whether this kernel is {@code base} or later. */
    public boolean atLeast(String base) {
        return atLeast(version, base);
    }

    private static boolean atLeast(String version, String base) {
        return compare(version, base) >= 0;
    }

    private static boolean before(String version, String base) {
        return compare(version, base) < 0;
    }

    /**
     * Negative, zero or positive as {@code a} is older than, the same as, or newer than {@code b}.
     * A suffix ({@code -mm1}, {@code -bk7}) sorts after its base release and before the next one;
     * a name that is no version ("constructed") counts as 2.5.33.
     */
    public static int compare(String a, String b) {
        int[] x = parse(a);
        int[] y = parse(b);
        for (int i = 0; i < 4; i++) {
            if (x[i] != y[i]) {
                return Integer.compare(x[i], y[i]);
            }
        }
        return 0;
    }

    /**
     * major, minor, patch, and 1 if there is a suffix. Scanned by hand rather than with a
     * regular expression: a protocol of one's own may leave its profile to its version, and
     * machines boot once per explored schedule.
     */
    private static int[] parse(String v) {
        int[] out = v == null ? null : scan(v);
        return out != null ? out : scan(DEFAULT);
    }

    /** {@code digits.digits.digits} then anything; null if {@code v} does not start so. */
    private static int[] scan(String v) {
        int[] out = new int[4];
        int i = 0;
        for (int part = 0; part < 3; part++) {
            int start = i;
            while (i < v.length() && Character.isDigit(v.charAt(i))) {
                out[part] = out[part] * 10 + (v.charAt(i) - '0');
                i++;
            }
            if (i == start || (part < 2 && (i == v.length() || v.charAt(i++) != '.'))) {
                return null;
            }
        }
        out[3] = v.indexOf('-', i) < 0 ? 0 : 1;
        return out;
    }
}
