package org.mmemu.lru.protocol;

import java.util.List;
import org.mmemu.core.KernelProfile;
import org.mmemu.core.emu.Site;
import org.mmemu.lru.SeedRaceExpectation;

/**
 * {@code mm1}: 2.5.31-mm1 (akpm, 21 Aug 2002) rebuilt from its changesets, the kernel the seed
 * mail is about ("2.5.31-mm1 has tests which make this race enormously improbable").
 *
 * <p>No copy of the -mm1 patches survives; -mm1 was Linus' BK of that day plus the -mm patches
 * its announcement lists. Applied here, by changeset: the pagevec series and multithreaded
 * reclaim (01-08, 14 Aug), "Fix a race between __page_cache_release() and shrink_cache()" (10,
 * 19 Aug: the recheck under the lock), "Fix YA bug in __page_cache_release" (13, 20 Aug: PG_lru
 * tested under the lock), per-zone LRU and per-zone lru_lock (17, 18), put_page consolidation
 * (21) and batched freeing of anon pages (22, {@code release_pages()}). Not applied, because
 * they came after the 21st: "LRU race semi-fix" (14, 26 Aug), the debug check in
 * put_page_testzero (19, 30 Aug), the nr_scan bound of 2.5.39 (51).
 *
 * <p>What that leaves, against {@code 2.5.33}:
 * <ul>
 * <li>{@code __page_cache_release()} still opens with {@code BUG_ON(page_count(page) != 0)}:
 * a {@code page_cache_release()} whose decrement lands in shrink_cache()'s five-step window
 * finds the count back at 1 and hits it, no interrupt needed (Ehrhardt's second scenario; the
 * semi-fix deleted the check as "bogus").</li>
 * <li>refill_inactive_zone() takes a reference on whatever it finds on the active list, with no
 * zero test (Ehrhardt's refill race, which needs an interrupt or a delay on the releaser).</li>
 * <li>shrink_cache()'s skip of a zero-count page does not advance its loop (as in every kernel
 * before 2.5.39): on a list with nothing else to take it loops under the lock.</li>
 * </ul>
 * The seed race itself (footnote [1]) is the same as on 2.5.33: the isolation's five-step
 * window between its count load and its get, and release_pages()'s three instructions before
 * the {@code cli} (the result test, the zone lookup, the zone compare).
 *
 * <p><b>Inferred, not read</b> (docs/FIDELITY.md, "What mm1 infers"):
 * <ol>
 * <li>17 and 18 applied without 14's hunks: both were made on a tree that had 14 (17's refill
 * hunk has 14's {@code page_count(page) == 0} test in its context, 18's refill has 14's
 * {@code list_add(&page->lru, &l_hold)}), so refill_inactive_zone()'s isolation here is their
 * per-zone text with 14's hunk re-inverted by hand (02's {@code TestClearPageLRU},
 * {@code page_cache_get}, {@code list_move}).</li>
 * <li>{@code __page_cache_release()}'s entry {@code BUG_ON(page_count(page) != 0)} in 18's zone
 * form: 18's hunk has no {@code BUG_ON} at all (14 had deleted it); -mm1 still had it
 * (Ehrhardt's report), so it is put back, after {@code page_zone()} (a declaration with an
 * initialiser comes first): both its presence in that form and the order are inferred.</li>
 * <li>21 applied without 19: 21's context shows 19's {@code BUG_ON(page_count(page) == 0)} in
 * put_page_testzero(); here it is left out (19 is dated 30 Aug).</li>
 * <li>22's {@code release_pages()} stands in for -mm1's anon-batch-free: 22 calls itself "a
 * reworked version of the batched page freeing and lock amortisation for VMA teardown", so
 * -mm1's patch was an earlier, different one.</li>
 * <li>The allocator's free checks are 2.5.33's (2.5.32 checked PageLRU twice); which -mm1 had
 * the stored text cannot tell.</li>
 * </ol>
 *
 * <p>Mirrors mm/swap.c: __page_cache_release() and release_pages() (2.5.31-mm1), and the
 * isolation of mm/vmscan.c: shrink_cache() and refill_inactive_zone() (2.5.31-mm1).
 */
public final class Mm1Protocol extends ZoneLockProtocol {
    public Mm1Protocol() {
        super(KernelProfile.V2_5_31_MM1);
    }

    /** shrink_cache(): the count load that opens the five-step window (footnote row 4). */
    public static final Site ISOLATE_COUNT = ZoneLockPaths.ISOLATE_COUNT;
    /** shrink_cache(): the five steps of the window (row 6). */
    public static final Site ISOLATE_ADD = LruSteps.ISOLATE_ADD;
    /** shrink_cache(): the get that closes the window (row 7). */
    public static final Site ISOLATE_GET = LruSteps.ISOLATE_GET;
    /** refill_inactive_zone(): the get, whatever the count ({@code 2.5.33} tests it first). */
    public static final Site REFILL_GET = ZoneLockPaths.REFILL_GET;
    /** refill_inactive_zone()'s count test, from the semi-fix on ({@code 2.5.33}; none here). */
    public static final Site REFILL_COUNT = ZoneLockPaths.REFILL_COUNT;
    /** release_pages(): the decrement outside any lock (row 5). */
    public static final Site PV_TESTZERO = ZoneLockPaths.PV_TESTZERO;
    /** release_pages(), row 8: the test of the result. */
    public static final Site PV_TEST_RESULT = ZoneLockPaths.PV_TEST_RESULT;
    /** release_pages(), row 8: {@code page_zone()}. */
    public static final Site PV_PAGE_ZONE = ZoneLockPaths.PV_PAGE_ZONE;
    /** release_pages(), row 8: the zone compare that stands where 2.5.32 tested lock_held. */
    public static final Site PV_ZONE_CMP = ZoneLockPaths.PV_ZONE_CMP;
    /** release_pages(): the recheck under the lock (row 14). */
    public static final Site PV_RECHECK = ZoneLockPaths.PV_RECHECK;
    /** release_pages(): the free (row 15). */
    public static final Site PV_FREE = ZoneLockPaths.PV_FREE;
    /** put_page(): the decrement outside any lock. */
    public static final Site PCR_TESTZERO = ZoneLockPaths.PCR_TESTZERO;
    /** put_page(): the test of the result. */
    public static final Site PCR_TEST_RESULT = ZoneLockPaths.PCR_TEST_RESULT;
    /** put_page(): the call of __page_cache_release(). */
    public static final Site PCR_CALL = ZoneLockPaths.PCR_CALL;
    /** __page_cache_release(): the zone lookup. */
    public static final Site PCR_PAGE_ZONE = ZoneLockPaths.PCR_PAGE_ZONE;
    /** __page_cache_release(): -mm1's entry check, Ehrhardt's second scenario. */
    public static final Site PCR_BUG_ON = ZoneLockPaths.PCR_BUG_ON;
    /** __page_cache_release(): the recheck under the lock. */
    public static final Site PCR_RECHECK = ZoneLockPaths.PCR_RECHECK;
    /** __page_cache_release(): the free. */
    public static final Site PCR_FREE = ZoneLockPaths.PCR_FREE;

    @Override
    public String name() {
        return "mm1";
    }

    @Override
    public String origin() {
        return "2.5.31-mm1 (21 Aug 2002) as its changesets compose it: the page_count() == 0 tests under"
                + " the zone's LRU lock, BUG_ON(page_count != 0) in __page_cache_release, no zero test in"
                + " refill_inactive_zone, reclaim loops that count only the pages they take";
    }

    @Override
    public String version() {
        return profile().version();
    }

    @Override
    public List<String> changesets() {
        List<String> l = new java.util.ArrayList<>(PreFixProtocol.PAGEVEC_SERIES);
        l.addAll(List.of("10-d4cc441265 Fix a race between __page_cache_release() and shrink_cache()",
                "13-88d4b53801 Fix YA bug in __page_cache_release",
                "17-db8be7552d per-zone LRU",
                "18-198bae4cfa per-zone LRU locking",
                "21-c64f4f2dc0 put_page() consolidation",
                "22-ee1aabd6a4 batched freeing of anon pages"));
        return List.copyOf(l);
    }

    @Override
    public SeedRaceExpectation expectedOnSeedRace() {
        return SeedRaceExpectation.doubleFree("double free only when all five footnote conditions hold");
    }
}
