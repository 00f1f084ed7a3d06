package org.mmemu.reclaim;

/**
 * How reclaim is set up on a machine (mm/vmscan.c, mm/swapfile.c, 2.5.31): the size of swap,
 * how long writeback takes, the priority reclaim starts from, and whether reclaim mops up
 * zero-ref pages it finds on the LRU.
 *
 * @param swapSlots          pages of swap space ({@code nr_swap_pages} at swapon); 0 means no swap
 * @param writebackPasses    reclaim passes ({@code shrink_cache()} calls) a writeback takes to
 *                           complete: the stand-in for the disk (see {@link Writeback})
 * @param defPriority        {@code DEF_PRIORITY} if not 0; 0 (the default) means the kernel's:
 *                           6 to 2.5.38, 12 from 2.5.39 ({@link org.mmemu.core.ReclaimShape#defPriority()})
 * @param mopUp              whether {@code shrink_cache()} and {@code refill_inactive_zone()} free
 *                           zero-ref pages found on the LRU (the seed mail's proposal (b): "to be
 *                           mopped up in page reclaim"); null means "if the protocol declares
 *                           {@link org.mmemu.lru.LruProtocol#leavesZeroCountPages()}" (count-one).
 *                           Forcing it on under a protocol whose releasers drop the last reference
 *                           outside the lock (mm1, pre-fix) frees pages those releasers are about
 *                           to free: a double free; it is meant for sequential tests only
 * @param swapClusterMax     {@code SWAP_CLUSTER_MAX}, the reclaim batch: shrink_cache() takes at
 *                           least this many pages per pass of its loop, refill_inactive_zone() is
 *                           asked for this many (32 in every kernel of the period). A machine
 *                           parameter, so that a scenario can say how long "a long list" is
 */
public record ReclaimConfig(int swapSlots, int writebackPasses, int defPriority, Boolean mopUp, int swapClusterMax) {
    /** {@code DEF_PRIORITY} of 2.5.31. */
    public static final int DEF_PRIORITY_2531 = 6;

    public ReclaimConfig {
        if (swapSlots < 0 || writebackPasses < 0 || defPriority < 0 || swapClusterMax < 1) {
            throw new IllegalArgumentException("swapSlots and writebackPasses must be >= 0, defPriority >= 0, swapClusterMax >= 1");
        }
    }

    /** As before {@code swapClusterMax} was a parameter: {@code SWAP_CLUSTER_MAX} 32. */
    public ReclaimConfig(int swapSlots, int writebackPasses, int defPriority, Boolean mopUp) {
        this(swapSlots, writebackPasses, defPriority, mopUp, Vmscan.SWAP_CLUSTER_MAX);
    }

    /** The defaults: no swap, writeback completing after 2 passes, the kernel's DEF_PRIORITY. */
    public static ReclaimConfig defaults() {
        return new ReclaimConfig(0, 2, 0, null);
    }

    public ReclaimConfig withSwapSlots(int n) {
        return new ReclaimConfig(n, writebackPasses, defPriority, mopUp, swapClusterMax);
    }

    public ReclaimConfig withWritebackPasses(int n) {
        return new ReclaimConfig(swapSlots, n, defPriority, mopUp, swapClusterMax);
    }

    public ReclaimConfig withMopUp(Boolean on) {
        return new ReclaimConfig(swapSlots, writebackPasses, defPriority, on, swapClusterMax);
    }

    public ReclaimConfig withSwapClusterMax(int n) {
        return new ReclaimConfig(swapSlots, writebackPasses, defPriority, mopUp, n);
    }
}
