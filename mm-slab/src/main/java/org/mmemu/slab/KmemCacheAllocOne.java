package org.mmemu.slab;

import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.list.ListHead;

/**
 * The slab-list half of allocation in mm/slab.c (2.5.31): {@code kmem_cache_alloc_batch()} and
 * the {@code kmem_cache_alloc_one()} macro with {@code kmem_cache_alloc_one_tail()}, which take
 * objects off a cache's slabs under {@code cachep->spinlock}. {@link KmemCache#kmemCacheAlloc}
 * keeps the per-CPU half and comes here only when this CPU's array is empty (or the cache has
 * none); the split is the kernel's own, between the lock-free array and the locked lists.
 */
final class KmemCacheAllocOne {
    private static final Site BATCH_COUNT = Site.of("kmem_cache_alloc_batch", "batchcount = cachep->batchcount");
    private static final Site BATCH_PUSH = Site.of("kmem_cache_alloc_batch", "cc_entry(cc)[cc->avail++] = kmem_cache_alloc_one_tail()");
    private static final Site BATCH_POP = Site.of("kmem_cache_alloc_batch", "return cc_entry(cc)[--cc->avail]");
    private static final Site ONE_PARTIAL = Site.of("kmem_cache_alloc_one", "entry = slabs_partial.next");
    private static final Site ONE_FREE = Site.of("kmem_cache_alloc_one", "entry = slabs_free.next");
    private static final Site ONE_DEL = Site.of("kmem_cache_alloc_one", "list_del(entry)");
    private static final Site ONE_ADD = Site.of("kmem_cache_alloc_one", "list_add(entry, &cachep->slabs_partial)");
    private static final Site TAIL_INUSE = Site.of("kmem_cache_alloc_one_tail", "slabp->inuse++");
    private static final Site TAIL_OBJP = Site.of("kmem_cache_alloc_one_tail", "objp = slabp->s_mem + slabp->free*cachep->objsize");
    private static final Site TAIL_FREE = Site.of("kmem_cache_alloc_one_tail", "slabp->free = slab_bufctl(slabp)[slabp->free]");
    private static final Site TAIL_DEL = Site.of("kmem_cache_alloc_one_tail", "list_del(&slabp->list)");
    private static final Site TAIL_ADD = Site.of("kmem_cache_alloc_one_tail", "list_add(&slabp->list, &cachep->slabs_full)");

    private KmemCacheAllocOne() {
    }

    /**
     * {@code kmem_cache_alloc_batch()} — mm/slab.c, 2.5.31: under the cache lock, move up to
     * {@code batchcount} objects from partial (then free) slabs into this CPU's array, and
     * return one of them; null if the slabs had none.
     */
    static Object kmemCacheAllocBatch(Cpu cpu, KmemCache<?> cachep, CpuCache cc) {
        cpu.step(BATCH_COUNT, cachep, Access.READ);
        int n = cachep.batchcount;
        cachep.spinlock.spinLock(cpu);
        while (n-- > 0) {
            Slab slabp = kmemCacheAllocOneSlab(cpu, cachep);
            if (slabp == null) {
                break;
            }
            Object o = kmemCacheAllocOneTail(cpu, cachep, slabp);
            if (!cc.push(cpu, BATCH_PUSH, o)) {
                throw new IllegalStateException(cc + ": batch refill overflowed (batchcount > limit?)");
            }
        }
        cachep.spinlock.spinUnlock(cpu);
        return cc.pop(cpu, BATCH_POP);
    }

    /**
     * The slab-choosing half of the {@code kmem_cache_alloc_one()} macro — mm/slab.c, 2.5.31:
     * the first partial slab, else the first free slab moved to {@code slabs_partial}; null
     * ({@code goto alloc_new_slab}) when there is neither. Cache lock held.
     */
    static Slab kmemCacheAllocOneSlab(Cpu cpu, KmemCache<?> cachep) {
        if (cachep.slabsPartial.listEmpty(cpu, ONE_PARTIAL)) {
            if (cachep.slabsFree.listEmpty(cpu, ONE_FREE)) {
                return null;
            }
            ListHead entry = cachep.slabsFree.next();
            entry.listDel(cpu, ONE_DEL);
            cachep.slabsPartial.listAdd(cpu, ONE_ADD, entry);
        }
        return (Slab) cachep.slabsPartial.next();
    }

    /**
     * {@code kmem_cache_alloc_one_tail()} — mm/slab.c, 2.5.31: take the slab's first free object;
     * a slab that runs out moves to {@code slabs_full}. Cache lock held.
     */
    static SlabObject kmemCacheAllocOneTail(Cpu cpu, KmemCache<?> cachep, Slab slabp) {
        cpu.step(TAIL_INUSE, slabp, Access.WRITE);
        slabp.inuse++;
        cpu.step(TAIL_OBJP, slabp, Access.READ);
        int i = slabp.free;
        SlabObject objp = slabp.object(i);
        cpu.step(TAIL_FREE, slabp, Access.WRITE);
        slabp.free = slabp.bufctl[i];
        if (slabp.free == SlabFlags.BUFCTL_END) {
            slabp.listDel(cpu, TAIL_DEL);
            cachep.slabsFull.listAdd(cpu, TAIL_ADD, slabp);
        }
        return objp;
    }
}
