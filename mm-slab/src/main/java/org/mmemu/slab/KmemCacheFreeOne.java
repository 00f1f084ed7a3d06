package org.mmemu.slab;

import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.page.Page;

/**
 * The slab-list half of freeing in mm/slab.c (2.5.31): {@code free_block()},
 * {@code __free_block()} and {@code kmem_cache_free_one()}, which give objects back to their
 * slabs under {@code cachep->spinlock}. Apart from {@link KmemCache} because more than the free
 * path calls them: a full per-CPU array ({@link KmemCache#kmemCacheFree}), draining
 * ({@link KmemCacheShrinkLocked}), retuning the arrays and the reaper ({@link KmemCacheReap}) all
 * empty objects back through here.
 */
final class KmemCacheFreeOne {
    private static final Site FREE_ONE_SLAB = Site.of("kmem_cache_free_one", "slabp = GET_PAGE_SLAB(virt_to_page(objp))");
    private static final Site FREE_ONE_BUFCTL = Site.of("kmem_cache_free_one", "slab_bufctl(slabp)[objnr] = slabp->free");
    private static final Site FREE_ONE_FREE = Site.of("kmem_cache_free_one", "slabp->free = objnr");
    private static final Site FREE_ONE_INUSE = Site.of("kmem_cache_free_one", "!--slabp->inuse");
    private static final Site FREE_ONE_DEL = Site.of("kmem_cache_free_one", "list_del(&slabp->list)");
    private static final Site FREE_ONE_ADD_FREE = Site.of("kmem_cache_free_one", "list_add(&slabp->list, &cachep->slabs_free)");
    private static final Site FREE_ONE_ADD_PARTIAL = Site.of("kmem_cache_free_one", "list_add(&slabp->list, &cachep->slabs_partial)");

    private KmemCacheFreeOne() {
    }

    /** {@code free_block()} — mm/slab.c, 2.5.31: {@code __free_block()} under the cache lock. */
    static void freeBlock(Cpu cpu, KmemCache<?> cachep, Object[] objpp) {
        cachep.spinlock.spinLock(cpu);
        freeBlockLocked(cpu, cachep, objpp);
        cachep.spinlock.spinUnlock(cpu);
    }

    /** {@code __free_block()} — mm/slab.c, 2.5.31: each object back to its slab. Cache lock held. */
    static void freeBlockLocked(Cpu cpu, KmemCache<?> cachep, Object[] objpp) {
        for (Object o : objpp) {
            kmemCacheFreeOne(cpu, cachep, (SlabObject) o);
        }
    }

    /**
     * {@code kmem_cache_free_one()} — mm/slab.c, 2.5.31: chain the object at the head of its
     * slab's free list; a slab that empties moves to {@code slabs_free}, one that was full to
     * {@code slabs_partial}. Cache lock held.
     */
    private static void kmemCacheFreeOne(Cpu cpu, KmemCache<?> cachep, SlabObject objp) {
        Slab slabp = objp.slab();
        Page page = objectPage(cachep, objp);
        cpu.step(FREE_ONE_SLAB, page, Access.READ);
        cpu.detectors().checkInUse(cpu, page.pfn(), FREE_ONE_SLAB, "GET_PAGE_SLAB");
        int objnr = objp.index();
        cpu.step(FREE_ONE_BUFCTL, slabp, Access.WRITE);
        slabp.bufctl[objnr] = slabp.free;
        cpu.step(FREE_ONE_FREE, slabp, Access.WRITE);
        slabp.free = objnr;
        cpu.step(FREE_ONE_INUSE, slabp, Access.WRITE);
        int inuse = slabp.inuse;
        slabp.inuse--;
        if (slabp.inuse == 0) { // Was partial or full, now empty.
            slabp.listDel(cpu, FREE_ONE_DEL);
            cachep.slabsFree.listAdd(cpu, FREE_ONE_ADD_FREE, slabp);
        } else if (inuse == cachep.num()) { // Was full.
            slabp.listDel(cpu, FREE_ONE_DEL);
            cachep.slabsPartial.listAdd(cpu, FREE_ONE_ADD_PARTIAL, slabp);
        }
    }

    /** {@code virt_to_page(objp)}: the page the object lies in. */
    private static Page objectPage(KmemCache<?> cachep, SlabObject objp) {
        Page first = objp.slab().page();
        int offset = objp.slab().colouroff() + objp.index() * cachep.objsize();
        return first.zone().page(first.pfn() + (long) Math.min(offset / SlabFlags.PAGE_SIZE, (1 << cachep.gfporder()) - 1));
    }
}
