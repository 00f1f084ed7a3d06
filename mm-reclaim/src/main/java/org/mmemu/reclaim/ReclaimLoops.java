package org.mmemu.reclaim;

import org.mmemu.lru.KernelVersions;

/**
 * How the reclaim scan loops of a kernel version end (mm/vmscan.c): what each of them counts.
 *
 * <ul>
 * <li>shrink_cache()'s batch loop, up to 2.5.38, is {@code while (n < nr_to_process && ...)}
 * with {@code n} counting the pages it <em>took</em>: a page skipped because its count is zero
 * goes back to the head of the list and does not advance the loop. "low-latency page reclaim"
 * (changeset 3e5ff433, 22 Sep 2002, in 2.5.39) made it {@code while (nr_scan++ <
 * nr_to_process && ...)}: every page looked at counts.</li>
 * <li>refill_inactive_zone()'s loop, from the "LRU race semi-fix" (3f76fabd, 26 Aug 2002) that
 * gave it its zero-count skip up to 2.5.x, decrements {@code nr_pages} only for a page it
 * took; 2.6.0 decrements it for every page ({@code nr_pages--} after the if/else), 2.6.7
 * counts {@code pgscanned}.</li>
 * </ul>
 * With a lone zero-count page on the list, the unbounded forms loop for ever under
 * {@code zone->lru_lock}: the livelock the engine reports.
 *
 * @param shrinkCacheCountsScanned whether shrink_cache()'s batch loop counts every page looked at (2.5.39 on)
 * @param refillCountsScanned      whether refill_inactive_zone()'s loop counts every page looked at (2.6.0 on)
 */
public record ReclaimLoops(boolean shrinkCacheCountsScanned, boolean refillCountsScanned) {
    /** 2.5.31-mm1 to 2.5.38: both loops count only what they take. */
    public static final ReclaimLoops UNBOUNDED = new ReclaimLoops(false, false);

    /** The loops of kernel {@code version} ("2.5.31-mm1", "2.5.33", "2.6.7", ...). */
    public static ReclaimLoops of(String version) {
        return new ReclaimLoops(KernelVersions.atLeast(version, "2.5.39"), KernelVersions.atLeast(version, "2.6.0"));
    }
}
