package org.mmemu.slab;

/**
 * The machine options of mm-slab (mm/slab.c has none of its own; this is the emulator's switch
 * between 2.5.31 and Ed Tomlinson's slablru, docs/FIDELITY.md).
 *
 * @param slabOnLru whether slab pages are put on the LRU and reclaimed from it (slablru,
 *                  2.5.32-mm1); false is mainline 2.5.31
 */
public record SlabOptions(boolean slabOnLru) {
    /** Mainline 2.5.31: slab pages never on the LRU. */
    public static final SlabOptions MAINLINE = new SlabOptions(false);

    /** slablru: slab pages on the LRU. */
    public static final SlabOptions SLAB_ON_LRU = new SlabOptions(true);
}
