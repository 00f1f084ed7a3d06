package org.mmemu.slab;

/**
 * The slab layout arithmetic of mm/slab.c (2.5.31): {@code kmem_cache_estimate()} and
 * {@code L1_CACHE_ALIGN()}. Apart from {@link SlabAllocator} because both ends of a slab's
 * layout use it, {@link SlabAllocator#kmemCacheCreate} to size the cache and
 * {@link KmemCacheGrow} to place the descriptor ({@code kmem_cache_slabmgmt()}), and it takes no
 * step and touches no state.
 */
final class KmemCacheEstimate {
    private KmemCacheEstimate() {
    }

    /**
     * {@code kmem_cache_estimate(gfporder, size, flags, &left_over, &num)} — mm/slab.c, 2.5.31:
     * how many objects fit a slab with the descriptor and one bufctl per object (unless off-slab),
     * and the bytes left over. Returns {@code {num, left_over}}.
     */
    static int[] kmemCacheEstimate(int gfporder, int size, int flags) {
        int wastage = SlabFlags.PAGE_SIZE << gfporder;
        int extra = 0;
        int base = 0;
        if ((flags & SlabFlags.CFLGS_OFF_SLAB) == 0) {
            base = SlabFlags.SIZEOF_SLAB_T;
            extra = SlabFlags.SIZEOF_BUFCTL;
        }
        int i = 0;
        while (i * size + l1CacheAlign(base + i * extra) <= wastage) {
            i++;
        }
        if (i > 0) {
            i--;
        }
        if (i > SlabFlags.SLAB_LIMIT) {
            i = SlabFlags.SLAB_LIMIT;
        }
        wastage -= i * size;
        wastage -= l1CacheAlign(base + i * extra);
        return new int[] {i, wastage};
    }

    /** {@code L1_CACHE_ALIGN(x)}. */
    static int l1CacheAlign(int x) {
        return (x + SlabFlags.L1_CACHE_BYTES - 1) & ~(SlabFlags.L1_CACHE_BYTES - 1);
    }
}
