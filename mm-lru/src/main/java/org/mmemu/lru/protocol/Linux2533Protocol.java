package org.mmemu.lru.protocol;

import java.util.List;
import org.mmemu.core.KernelProfile;
import org.mmemu.core.emu.Site;
import org.mmemu.lru.SeedRaceExpectation;

/**
 * {@code 2.5.33}: the kernel of 31 Aug 2002 (and, in these functions, up to 2.5.36: 2.5.32 has
 * neither release_pages() nor per-zone lists, and "reduced locking in release_pages()" (49,
 * 19 Sep) stopped the relock after a full {@code pages_to_free}): -mm1's
 * tests plus "LRU race semi-fix" (changeset 14, 26 Aug) and "debug check in
 * put_page_testzero()" (19, 30 Aug).
 *
 * <ul>
 * <li>The semi-fix gave refill_inactive_zone() shrink_cache()'s skip of a zero-count page and
 * deleted {@code __page_cache_release()}'s {@code BUG_ON(page_count(page) != 0)}: a release
 * whose decrement lands in shrink_cache()'s window now spins on the lock and backs off at the
 * recheck (no BUG).</li>
 * <li>{@code put_page_testzero()} first does {@code BUG_ON(page_count(page) == 0)}: one load
 * before the decrement, outside both windows.</li>
 * <li>Both skips leave the page at the head of its list without advancing their loops (until
 * 2.5.39 for shrink_cache, 2.6.0 for refill): a lone zero-count page keeps reclaim looping
 * under {@code zone->lru_lock} while its releaser spins on that lock. A livelock nobody
 * reported in 2002: real lists are long, and the loop leaves once its batch is full.</li>
 * </ul>
 * The seed race (footnote [1]) is unchanged: the five-step isolation window and
 * release_pages()'s three instructions before the {@code cli}. Checked against the 2.5.33
 * text of mm/swap.c, mm/vmscan.c and include/linux/mm.h.
 */
public final class Linux2533Protocol extends ZoneLockProtocol {
    public Linux2533Protocol() {
        super(KernelProfile.V2_5_33);
    }

    /** put_page_testzero()'s debug load before the decrement (19-3e866fad90). */
    public static final Site DEBUG_TESTZERO = ZoneLockPaths.DEBUG_TESTZERO;

    @Override
    public String name() {
        return "2.5.33";
    }

    @Override
    public String origin() {
        return "2.5.33 (31 Aug 2002): -mm1 plus the LRU race semi-fix (zero test in refill_inactive_zone,"
                + " no BUG_ON in __page_cache_release) and the debug BUG_ON in put_page_testzero";
    }

    @Override
    public String version() {
        return profile().version();
    }

    @Override
    public List<String> changesets() {
        return List.of("01..08 the pagevec series (as mm1)",
                "10-d4cc441265 Fix a race between __page_cache_release() and shrink_cache()",
                "13-88d4b53801 Fix YA bug in __page_cache_release",
                "14-3f76fabd72 LRU race semi-fix",
                "17-db8be7552d per-zone LRU",
                "18-198bae4cfa per-zone LRU locking",
                "19-3e866fad90 debug check in put_page_testzero()",
                "21-c64f4f2dc0 put_page() consolidation",
                "22-ee1aabd6a4 batched freeing of anon pages");
    }

    @Override
    public SeedRaceExpectation expectedOnSeedRace() {
        return SeedRaceExpectation.doubleFree("double free only when all five footnote conditions hold");
    }
}
