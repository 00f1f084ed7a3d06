package org.mmemu.slab;

import org.mmemu.core.Machine;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.page.Page;

/**
 * The seams of the slab-on-LRU option (Ed Tomlinson's "slablru", rmap-2.4 and 2.5.32-mm1,
 * docs/FIDELITY.md; never in mainline): where mm/slab.c's pages would meet mm/swap.c's LRU.
 *
 * <p>Without the option ({@link #direct}) a slab page is what 2.5.31 made it: count 1, off the
 * LRU, given back with {@code free_pages()} from {@code kmem_freepages()}. With it,
 * {@link LruSlabPages} (installed by {@link LruSlabPages#attach}) puts each new slab's first
 * page on the inactive list after {@code kmem_cache_grow()} has marked the slab's pages
 * PG_slab, and gives them back through the machine's
 * release protocol (so {@code __free_pages_ok()} never sees PG_lru); reclaim finds them on the
 * LRU and calls {@link SlabAllocator#reclaimSlabPage}.
 */
public interface SlabPageLru {
    /** {@code kmem_cache_grow()}, after PageSetSlab on every page: slablru's {@code lru_cache_add()}. */
    void slabGrown(Cpu cpu, Slab slab);

    /** {@code kmem_freepages()}, after PageClearSlab: how the {@code 1 << order} pages go back. */
    void releaseSlabPages(Cpu cpu, Page page, int order);

    /** 2.5.31: slab pages never on the LRU, released with {@code free_pages()}. */
    static SlabPageLru direct(Machine machine) {
        return new SlabPageLru() {
            @Override
            public void slabGrown(Cpu cpu, Slab slab) {
                // 2.5.31: a slab page is not on the LRU
            }

            @Override
            public void releaseSlabPages(Cpu cpu, Page page, int order) {
                machine.pageAlloc().freePages(cpu, page, order);
            }
        };
    }
}
