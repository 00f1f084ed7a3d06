package org.mmemu.slab.shrink;

import org.mmemu.core.emu.Cpu;

/**
 * {@code shrinker_t}: {@code int (*)(int nr_to_scan, unsigned int gfp_mask)} — mm/vmscan.c,
 * akpm's shrinker API against 2.5.41 (SHR, docs/FIDELITY.md). With {@code nrToScan == 0} it only
 * answers how many objects it could free; otherwise it scans that many and frees what it can.
 * Either way it returns the number of freeable objects left.
 */
@FunctionalInterface
public interface ShrinkerFn {
    int shrink(Cpu cpu, int nrToScan, int gfpMask);
}
