package org.mmemu.slab;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One object slot of a slab: what {@code kmem_cache_alloc()} returns, the memory at
 * {@code slabp->s_mem + i * cachep->objsize} in mm/slab.c (2.5.31).
 *
 * <p>A slot is created once, when its slab is grown, and keeps its identity for the slab's
 * life, as the kernel's memory does: a constructed object goes back to its slab constructed
 * and comes out again as it was left, which is what a slab constructor relies on. Caches of
 * richer objects (the dentries of {@code org.mmemu.slab.dcache}) subclass it.
 *
 * <p>Beside the slot's place (its slab and index, what {@code virt_to_page()} and
 * {@code GET_PAGE_SLAB()} recover from an address in the kernel) it carries one bit of
 * emulator shadow state: whether the object is allocated. The kernel (without
 * CONFIG_DEBUG_SLAB) never knew; the emulator uses it to report a double
 * {@code kmem_cache_free()}, which would otherwise corrupt the slab silently.
 */
public class SlabObject {
    private Slab slab;
    private int index;
    private final AtomicBoolean allocated = new AtomicBoolean();

    /** Places this slot in {@code slab} at {@code index}; called once by kmem_cache_init_objs. */
    final void place(Slab slab, int index) {
        this.slab = slab;
        this.index = index;
    }

    /** The slab this object lies in ({@code GET_PAGE_SLAB(virt_to_page(objp))}). */
    public final Slab slab() {
        return slab;
    }

    /** The object's number in its slab: {@code (objp - slabp->s_mem) / cachep->objsize}. */
    public final int index() {
        return index;
    }

    /** Shadow state: whether the object is handed out (not in its slab, not in a per-CPU array). */
    public final boolean isAllocated() {
        return allocated.get();
    }

    /** Shadow state: marks the object handed out; false if it already was. */
    final boolean markAllocated() {
        return allocated.compareAndSet(false, true);
    }

    /** Shadow state: marks the object given back; false if it already was (a double free). */
    final boolean markFreed() {
        return allocated.compareAndSet(true, false);
    }

    @Override
    public String toString() {
        return slab == null ? "object (unplaced)" : slab.cache().name() + " object " + index + " of " + slab;
    }
}
