package org.mmemu.slab;

import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.page.Page;
import org.mmemu.slab.SlabAllocator.SlabPageVerdict;

/**
 * Reclaim of a slab page with slab-on-LRU (slablru, 2.5.32-mm1, in outline [I]): what
 * {@link SlabAllocator#reclaimSlabPage} does with a PG_slab page that shrink_list() isolated.
 * Apart from {@link SlabAllocator} because it is no part of mainline mm/slab.c: it is the one
 * place where reclaim, not the slab, decides that a slab goes, and only with the option on.
 */
final class SlabPageReclaim {
    private static final Site RECLAIM_INUSE = Site.of("slablru: reclaim slab page", "slabp->inuse");
    private static final Site RECLAIM_DEL = Site.of("slablru: reclaim slab page", "list_del(&slabp->list)");

    private SlabPageReclaim() {
    }

    /**
     * slablru: reclaim of slab page {@code page} (2.5.32-mm1, in outline [I]), the steps behind
     * {@link SlabAllocator#reclaimSlabPage}: destroy the slab if it is free, else prune it and
     * try again.
     */
    static SlabPageVerdict reclaimSlabPage(Cpu cpu, SlabAllocator sa, Page page, int gfp) {
        cpu.step(SlabAllocator.RECLAIM_SLAB, page, Access.READ);
        Slab slabp = sa.slabOfPageQuietly(page);
        if (slabp == null) {
            return SlabPageVerdict.NOT_SLAB;
        }
        SlabPageVerdict v = tryDestroy(cpu, slabp);
        if (v != null) {
            return v;
        }
        SlabPruner pruner = slabp.cache().pruner();
        if (pruner == null || pruner.pruneSlab(cpu, slabp, gfp) == 0) {
            return SlabPageVerdict.BUSY;
        }
        v = tryDestroy(cpu, slabp);
        return v != null ? v : SlabPageVerdict.PRUNED;
    }

    /** Under the cache lock: NOT_SLAB if the slab is unlinked, FREED (destroyed) if free, else null. */
    private static SlabPageVerdict tryDestroy(Cpu cpu, Slab slabp) {
        KmemCache<?> cachep = slabp.cache();
        cachep.spinlock.spinLockIrq(cpu);
        cpu.step(RECLAIM_INUSE, slabp, Access.READ);
        if (!slabp.isLinked()) {
            cachep.spinlock.spinUnlockIrq(cpu);
            return SlabPageVerdict.NOT_SLAB;
        }
        if (cachep.growing == 0 && slabp.inuse == 0) {
            slabp.listDel(cpu, RECLAIM_DEL);
            cachep.spinlock.spinUnlockIrq(cpu);
            KmemCacheGrow.kmemSlabDestroy(cpu, cachep, slabp);
            return SlabPageVerdict.FREED;
        }
        cachep.spinlock.spinUnlockIrq(cpu);
        return null;
    }
}
