package org.mmemu.slab;

import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.list.ListHead;

/**
 * Shrinking a cache in mm/slab.c (2.5.31): {@code drain_cpu_caches()},
 * {@code __kmem_cache_shrink_locked()} and {@code __kmem_cache_shrink()}, which empty the per-CPU
 * arrays and destroy every free slab. Apart from {@link KmemCache} because two callers share
 * them: {@link KmemCache#kmemCacheShrink} and {@link SlabAllocator#kmemCacheDestroy}. Named after
 * the destroy loop at its centre; {@code KmemCacheShrink} is the scenario operation's name.
 */
final class KmemCacheShrinkLocked {
    private static final Site DRAIN_IPI = Site.of("drain_cpu_caches", "smp_call_function_all_cpus(do_ccupdate_local)");
    /** Also the site of {@link KmemCache#kmemCacheShrink}'s BUG() in interrupt context. */
    static final Site SHRINK_GROWING = Site.of("__kmem_cache_shrink_locked", "while (!cachep->growing)");
    private static final Site SHRINK_PREV = Site.of("__kmem_cache_shrink_locked", "p = cachep->slabs_free.prev");
    private static final Site SHRINK_DEL = Site.of("__kmem_cache_shrink_locked", "list_del(&slabp->list)");
    private static final Site SHRINK_FULL = Site.of("__kmem_cache_shrink", "!list_empty(&cachep->slabs_full)");
    private static final Site SHRINK_PARTIAL = Site.of("__kmem_cache_shrink", "!list_empty(&cachep->slabs_partial)");

    private KmemCacheShrinkLocked() {
    }

    /**
     * {@code drain_cpu_caches(cachep)} — mm/slab.c, 2.5.31: empty every CPU's array (the IPI,
     * one atomic step per array, see {@link CpuCache}) and give the objects back to their slabs
     * with interrupts off.
     */
    static void drainCpuCaches(Cpu cpu, KmemCache<?> cachep) {
        for (int i = 0; i < cachep.cpudata.length(); i++) {
            CpuCache cc = cachep.cpudata.get(i);
            if (cc == null) {
                continue;
            }
            Object[] old = cc.takeAll(cpu, DRAIN_IPI);
            if (old.length == 0) {
                continue;
            }
            cpu.localIrqDisable();
            KmemCacheFreeOne.freeBlock(cpu, cachep, old);
            cpu.localIrqEnable();
        }
    }

    /**
     * {@code __kmem_cache_shrink_locked(cachep)} — mm/slab.c, 2.5.31: destroy every free slab
     * unless the cache is growing, dropping the lock (held, irqs off) around each destroy.
     * Returns how many slabs it destroyed.
     */
    static int kmemCacheShrinkLocked(Cpu cpu, KmemCache<?> cachep) {
        int ret = 0;
        for (;;) {
            cpu.step(SHRINK_GROWING, cachep, Access.READ);
            if (cachep.growing != 0) {
                break;
            }
            cpu.step(SHRINK_PREV, cachep.slabsFree, Access.READ);
            ListHead p = cachep.slabsFree.prev();
            if (p == cachep.slabsFree) {
                break;
            }
            Slab slabp = (Slab) p;
            slabp.listDel(cpu, SHRINK_DEL);
            cachep.spinlock.spinUnlockIrq(cpu);
            KmemCacheGrow.kmemSlabDestroy(cpu, cachep, slabp);
            ret++;
            cachep.spinlock.spinLockIrq(cpu);
        }
        return ret;
    }

    /**
     * {@code __kmem_cache_shrink(cachep)} — mm/slab.c, 2.5.31: drain the per-CPU arrays, destroy
     * the free slabs; true if objects are still allocated (full or partial slabs remain).
     */
    static boolean kmemCacheShrinkAll(Cpu cpu, KmemCache<?> cachep) {
        drainCpuCaches(cpu, cachep);
        cachep.spinlock.spinLockIrq(cpu);
        kmemCacheShrinkLocked(cpu, cachep);
        boolean busy = !cachep.slabsFull.listEmpty(cpu, SHRINK_FULL) || !cachep.slabsPartial.listEmpty(cpu, SHRINK_PARTIAL);
        cachep.spinlock.spinUnlockIrq(cpu);
        return busy;
    }
}
