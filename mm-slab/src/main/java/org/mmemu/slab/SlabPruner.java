package org.mmemu.slab;

import org.mmemu.core.emu.Cpu;

/**
 * How a cache with reclaimable objects gives back the objects of one slab when reclaim finds
 * one of the slab's pages on the LRU (the slab-on-LRU option; in slablru for 2.5.32-mm1 the
 * dcache and icache pruned "the objects on this page"; docs/FIDELITY.md). A seam: mm/slab.c of
 * 2.5.31 had no such call, its caches were pruned by count from {@code shrink_caches()}.
 */
@FunctionalInterface
public interface SlabPruner {
    /** Prunes what it can of the unused objects of {@code slab}; returns how many it freed. */
    int pruneSlab(Cpu cpu, Slab slab, int gfp);
}
