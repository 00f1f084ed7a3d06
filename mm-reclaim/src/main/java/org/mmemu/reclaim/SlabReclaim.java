package org.mmemu.reclaim;

import org.mmemu.core.emu.Cpu;

/**
 * The hook for {@code kmem_cache_reap(gfp_mask)} (mm/slab.c, 2.5.31), which
 * {@code shrink_caches()}/{@code shrink_zone()} of mm/vmscan.c call before scanning the LRU
 * (docs/FIDELITY.md). mm-slab is written apart; until it is wired in, {@link #NONE} reaps
 * nothing, which is what a kernel whose caches hold no free slabs would return.
 */
@FunctionalInterface
public interface SlabReclaim {
    /** mm/slab.c: kmem_cache_reap() (2.5.31): frees free slabs; returns the pages freed. */
    int kmemCacheReap(Cpu cpu, int gfpMask);

    /** No slab allocator attached: nothing to reap. */
    SlabReclaim NONE = (cpu, gfpMask) -> 0;
}
