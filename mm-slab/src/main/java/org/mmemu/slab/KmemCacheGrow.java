package org.mmemu.slab;

import static org.mmemu.core.page.PageFlags.PG_slab;

import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.Page;

/**
 * A slab's pages coming and going in mm/slab.c (2.5.31): {@code kmem_cache_grow()} with
 * {@code kmem_getpages()} and {@code kmem_cache_init_objs()}, and {@code kmem_slab_destroy()}
 * with {@code kmem_freepages()}. Kept together because the two ends must agree on what a slab
 * holds of the page allocator (PG_slab on each page, the page's slab, {@code nr_slab}, the
 * slab-on-LRU seams), and apart from {@link KmemCache} because allocation, shrinking, the reaper
 * and reclaim of a slab page all reach them.
 */
final class KmemCacheGrow {
    private static final Site GROW_COLOUR = Site.of("kmem_cache_grow", "offset = cachep->colour_next++");
    private static final Site GROW_DFLAGS = Site.of("kmem_cache_grow", "cachep->dflags |= DFLGS_GROWN");
    private static final Site GROW_GROWING = Site.of("kmem_cache_grow", "cachep->growing++");
    private static final Site GROW_SET_CACHE = Site.of("kmem_cache_grow", "SET_PAGE_CACHE(page, cachep)");
    private static final Site GROW_SET_SLAB = Site.of("kmem_cache_grow", "SET_PAGE_SLAB(page, slabp)");
    private static final Site GROW_PAGE_SET_SLAB = Site.of("kmem_cache_grow", "PageSetSlab(page)");
    private static final Site GROW_DONE = Site.of("kmem_cache_grow", "cachep->growing--");
    private static final Site GROW_ADD = Site.of("kmem_cache_grow", "list_add_tail(&slabp->list, &cachep->slabs_free)");
    private static final Site GROW_FAILED = Site.of("kmem_cache_grow", "failed: cachep->growing--");
    private static final Site FREEPAGES_CLEAR = Site.of("kmem_freepages", "PageClearSlab(page)");

    private KmemCacheGrow() {
    }

    /**
     * {@code kmem_cache_grow(cachep, flags)} — mm/slab.c, 2.5.31: one new slab on
     * {@code slabs_free}. Takes the next colour and marks the cache growing (so the reaper leaves
     * it alone) under the lock; gets the pages with the lock dropped; marks each page PG_slab and
     * points it at the cache and the slab; constructs the objects; links the slab. False if the
     * page allocator failed. (2.4's sanity check is "in interrupt and flags other than
     * SLAB_ATOMIC"; the part that matters, {@code __GFP_WAIT} in an interrupt, is what is checked.)
     */
    static boolean kmemCacheGrow(Cpu cpu, KmemCache<?> cachep, int gfp) {
        if (cpu.inInterrupt() && (gfp & Gfp.__GFP_WAIT) != 0) {
            throw cpu.detectors().kernelBug(cpu, -1, GROW_COLOUR,
                    "kmem_cache_grow(" + cachep.name() + "): __GFP_WAIT allocation in interrupt context");
        }
        boolean saved = cachep.spinlock.spinLockIrqsave(cpu);
        cpu.step(GROW_COLOUR, cachep, Access.WRITE);
        int offset = cachep.colourNext;
        cachep.colourNext++;
        if (cachep.colourNext >= cachep.colour()) {
            cachep.colourNext = 0;
        }
        offset *= cachep.colourOff();
        cpu.step(GROW_DFLAGS, cachep, Access.WRITE);
        cachep.dflags |= SlabFlags.DFLGS_GROWN;
        cpu.step(GROW_GROWING, cachep, Access.WRITE);
        cachep.growing++;
        cachep.spinlock.spinUnlockIrqrestore(cpu, saved);

        Page page = kmemGetpages(cpu, cachep, gfp);
        if (page == null) { // failed:
            saved = cachep.spinlock.spinLockIrqsave(cpu);
            cpu.step(GROW_FAILED, cachep, Access.WRITE);
            cachep.growing--;
            cachep.spinlock.spinUnlockIrqrestore(cpu, saved);
            return false;
        }
        // kmem_cache_slabmgmt(): the descriptor (see Slab on where it lives); on-slab, it takes
        // L1_CACHE_ALIGN(num * sizeof(kmem_bufctl_t) + sizeof(slab_t)) bytes before the objects.
        if ((cachep.flags() & SlabFlags.CFLGS_OFF_SLAB) == 0) {
            offset += KmemCacheEstimate.l1CacheAlign(cachep.num() * SlabFlags.SIZEOF_BUFCTL + SlabFlags.SIZEOF_SLAB_T);
        }
        Slab slabp = new Slab(cachep, page, offset, cachep.num());
        for (int i = 0; i < 1 << cachep.gfporder(); i++) {
            Page p = page.zone().page(page.pfn() + i);
            cpu.step(GROW_SET_CACHE, p, Access.WRITE);
            cpu.step(GROW_SET_SLAB, p, Access.WRITE);
            cachep.allocator().setSlabOfPage(p, slabp);
            p.setFlag(cpu, GROW_PAGE_SET_SLAB, PG_slab);
        }
        kmemCacheInitObjs(cachep, slabp);
        saved = cachep.spinlock.spinLockIrqsave(cpu);
        cpu.step(GROW_DONE, cachep, Access.WRITE);
        cachep.growing--;
        cachep.slabsFree.listAddTail(cpu, GROW_ADD, slabp);
        cachep.spinlock.spinUnlockIrqrestore(cpu, saved);
        cachep.allocator().slabPageLru().slabGrown(cpu, slabp);
        return true;
    }

    /**
     * {@code kmem_cache_init_objs()} — mm/slab.c, 2.5.31: run the constructor on each object and
     * chain them all free. No steps: nobody else can see the slab yet.
     */
    private static <T extends SlabObject> void kmemCacheInitObjs(KmemCache<T> cachep, Slab slabp) {
        int num = cachep.num();
        for (int i = 0; i < num; i++) {
            T o = cachep.memory.get();
            slabp.setObject(i, o);
            if (cachep.ctor != null) {
                cachep.ctor.accept(o);
            }
            slabp.bufctl[i] = i + 1;
        }
        slabp.bufctl[num - 1] = SlabFlags.BUFCTL_END;
        slabp.free = 0;
    }

    /**
     * {@code kmem_getpages(cachep, flags)} — mm/slab.c, 2.5.31:
     * {@code __get_free_pages(flags | cachep->gfpflags, cachep->gfporder)}. The block comes back
     * with count 1 and off the LRU (docs/FIDELITY.md). Counted in the machine's {@code nr_slab}.
     */
    private static Page kmemGetpages(Cpu cpu, KmemCache<?> cachep, int gfp) {
        SlabAllocator allocator = cachep.allocator();
        allocator.checkLruSeams();
        Page page = allocator.machine().pageAlloc().allocPages(cpu, gfp | cachep.gfpflags, cachep.gfporder());
        if (page != null) {
            allocator.addSlabPages(1 << cachep.gfporder());
        }
        return page;
    }

    /**
     * {@code kmem_freepages(cachep, addr)} — mm/slab.c, 2.5.31: {@code PageClearSlab()} on each
     * of the {@code 1 << gfporder} pages, then {@code free_pages()} (or, with slab-on-LRU, the
     * machine's release protocol: {@link SlabPageLru#releaseSlabPages}).
     */
    private static void kmemFreepages(Cpu cpu, KmemCache<?> cachep, Page page) {
        SlabAllocator allocator = cachep.allocator();
        int gfporder = cachep.gfporder();
        for (int i = 0; i < 1 << gfporder; i++) {
            Page p = page.zone().page(page.pfn() + i);
            p.clearFlag(cpu, FREEPAGES_CLEAR, PG_slab);
            allocator.setSlabOfPage(p, null);
        }
        allocator.addSlabPages(-(1 << gfporder));
        allocator.slabPageLru().releaseSlabPages(cpu, page, gfporder);
    }

    /**
     * {@code kmem_slab_destroy(cachep, slabp)} — mm/slab.c, 2.5.31: the slab, already off its
     * list, goes back to the page allocator (no destructors here).
     */
    static void kmemSlabDestroy(Cpu cpu, KmemCache<?> cachep, Slab slabp) {
        kmemFreepages(cpu, cachep, slabp.page());
    }
}
