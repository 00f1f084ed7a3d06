package org.mmemu.slab;

import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Page;

/**
 * {@code slab_t} of mm/slab.c (2.4.18-2.5.31): one slab of a cache, {@code 1 << gfporder}
 * contiguous pages cut into {@code cachep->num} objects.
 *
 * <p>The slab is its own {@code slabp->list} entry (it extends {@link ListHead}), linked on one
 * of its cache's three lists: {@code slabs_full}, {@code slabs_partial}, {@code slabs_free}.
 * Free objects are chained through {@code slab_bufctl(slabp)[]}: {@code free} is the first,
 * {@code bufctl[i]} the one after {@code i}, {@link SlabFlags#BUFCTL_END} the end; {@code inuse}
 * counts the objects handed out. All of it is protected by the cache's spinlock, and the
 * mirrors in {@link KmemCache} and the classes beside it step on every load and store of it.
 *
 * <p>Departure: the kernel keeps the descriptor at the start of the slab's first page or, for
 * objects of {@code PAGE_SIZE/8} and up, in an object of a general cache
 * ({@code cachep->slabp_cache}). Here it is a Java object in both cases; only its size is
 * accounted, in {@code kmem_cache_estimate()}, so that {@code num} is the kernel's.
 */
public final class Slab extends ListHead {
    private final KmemCache<?> cache;
    private final Page page;
    private final int colouroff;
    private final SlabObject[] objects;
    final int[] bufctl;
    int inuse;
    int free;

    Slab(KmemCache<?> cache, Page page, int colouroff, int num) {
        this.cache = cache;
        this.page = page;
        this.colouroff = colouroff;
        this.objects = new SlabObject[num];
        this.bufctl = new int[num];
    }

    /** The cache this slab belongs to ({@code GET_PAGE_CACHE(page)}). */
    public KmemCache<?> cache() {
        return cache;
    }

    /** The first of the slab's {@code 1 << gfporder} pages. */
    public Page page() {
        return page;
    }

    /** {@code slabp->colouroff}: where the first object starts ({@code s_mem}), colour and on-slab descriptor included. */
    public int colouroff() {
        return colouroff;
    }

    /** {@code slabp->inuse}, read without a step: for checks and displays. */
    public int inuseQuietly() {
        return inuse;
    }

    /** Object {@code i} of the slab. */
    public SlabObject object(int i) {
        return objects[i];
    }

    void setObject(int i, SlabObject o) {
        objects[i] = o;
        o.place(this, i);
    }

    /** The number of objects in the slab ({@code cachep->num}). */
    public int num() {
        return objects.length;
    }

    @Override
    public String toString() {
        return "slab@" + page.pfn() + " (" + cache.name() + ", inuse " + inuse + "/" + objects.length + ")";
    }
}
