package org.mmemu.slab;

import static org.mmemu.core.page.PageFlags.PG_slab;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.Site;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.Page;
import org.mmemu.core.sync.SpinLock;

/**
 * {@code kmem_cache_t} of mm/slab.c (2.4.18-2.5.31), with the functions that work on one cache:
 * allocation and free through the per-CPU arrays, growing by a slab, shrinking, and destroying
 * slabs.
 *
 * <p><b>Design.</b> A cache keeps its slabs on three lists, {@code slabs_full},
 * {@code slabs_partial} and {@code slabs_free}, under {@code cachep->spinlock}. In front of them
 * each CPU has an array of free objects ({@link CpuCache}, {@code cpudata[NR_CPUS]}) used with
 * interrupts off and no lock; the lists are touched only when an array runs empty (a batch of
 * {@code batchcount} is taken, {@code kmem_cache_alloc_batch()}) or full ({@code batchcount}
 * go back, {@code free_block()}). A slab is {@code 1 << gfporder} pages from the buddy allocator
 * ({@code kmem_getpages()}), each marked PG_slab by {@code kmem_cache_grow()} and cleared again by
 * {@code kmem_freepages()} (docs/FIDELITY.md). Empty slabs stay cached on {@code slabs_free} until
 * memory pressure reaps them ({@link SlabAllocator#kmemCacheReap}) or the cache is shrunk.
 *
 * <p><b>Invariants</b> (checked at quiescence by {@link SlabAllocator}): every page of every slab
 * of the cache has PG_slab and is not free; a slab is on {@code slabs_free} iff {@code inuse == 0},
 * on {@code slabs_full} iff {@code inuse == num}.
 *
 * <p><b>Departures.</b> The kernel computes {@code gfporder} in {@code kmem_cache_create()} by
 * minimising wastage; here the creator chooses it, so scenarios can ask for multi-page slabs.
 * Destructors ({@code dtor}) are left out: no caller of this emulator needs one. Objects are
 * Java objects made once per slot by {@code memory} (standing for the slab's memory) and
 * initialised by the optional constructor, as {@code kmem_cache_init_objs()} does.
 *
 * @param <T> the type of the objects
 */
public final class KmemCache<T extends SlabObject> {
    private static final Site CC_DATA = Site.of("cc_data", "cachep->cpudata[smp_processor_id()]");
    private static final Site ALLOC_CC_POP = Site.of("__kmem_cache_alloc", "objp = cc_entry(cc)[--cc->avail]");
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
    private static final Site FREE_CC_PUSH = Site.of("__kmem_cache_free", "cc_entry(cc)[cc->avail++] = objp");
    private static final Site FREE_CC_BATCH = Site.of("__kmem_cache_free", "cc->avail -= batchcount");
    private static final Site FREE_CC_BATCHCOUNT = Site.of("__kmem_cache_free", "batchcount = cachep->batchcount");
    private static final Site FREE_ONE_SLAB = Site.of("kmem_cache_free_one", "slabp = GET_PAGE_SLAB(virt_to_page(objp))");
    private static final Site FREE_ONE_BUFCTL = Site.of("kmem_cache_free_one", "slab_bufctl(slabp)[objnr] = slabp->free");
    private static final Site FREE_ONE_FREE = Site.of("kmem_cache_free_one", "slabp->free = objnr");
    private static final Site FREE_ONE_INUSE = Site.of("kmem_cache_free_one", "!--slabp->inuse");
    private static final Site FREE_ONE_DEL = Site.of("kmem_cache_free_one", "list_del(&slabp->list)");
    private static final Site FREE_ONE_ADD_FREE = Site.of("kmem_cache_free_one", "list_add(&slabp->list, &cachep->slabs_free)");
    private static final Site FREE_ONE_ADD_PARTIAL = Site.of("kmem_cache_free_one", "list_add(&slabp->list, &cachep->slabs_partial)");
    private static final Site FREE_SHADOW = Site.of("kmem_cache_free", "objp");
    private static final Site ALLOC_SHADOW = Site.of("kmem_cache_alloc", "return objp");
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
    private static final Site DRAIN_IPI = Site.of("drain_cpu_caches", "smp_call_function_all_cpus(do_ccupdate_local)");
    private static final Site SHRINK_GROWING = Site.of("__kmem_cache_shrink_locked", "while (!cachep->growing)");
    private static final Site SHRINK_PREV = Site.of("__kmem_cache_shrink_locked", "p = cachep->slabs_free.prev");
    private static final Site SHRINK_DEL = Site.of("__kmem_cache_shrink_locked", "list_del(&slabp->list)");
    private static final Site SHRINK_FULL = Site.of("__kmem_cache_shrink", "!list_empty(&cachep->slabs_full)");
    private static final Site SHRINK_PARTIAL = Site.of("__kmem_cache_shrink", "!list_empty(&cachep->slabs_partial)");
    private static final Site TUNE_IPI = Site.of("kmem_tune_cpucache", "smp_call_function_all_cpus(do_ccupdate_local)");
    private static final Site TUNE_BATCH = Site.of("kmem_tune_cpucache", "cachep->batchcount = batchcount");

    private final SlabAllocator allocator;
    private final String name;
    private final int objsize;
    private final int flags;
    private final int num;
    private final int gfporder;
    private final int gfpflags;
    private final int colour;
    private final int colourOff;
    private final Consumer<? super T> ctor;
    private final Supplier<? extends T> memory;
    final SpinLock spinlock;
    final ListHead slabsFull = new ListHead();
    final ListHead slabsPartial = new ListHead();
    final ListHead slabsFree = new ListHead();
    /** {@code cachep->next}: the cache's link on {@code cache_chain}. */
    final ChainLink next = new ChainLink(this);
    private final AtomicReferenceArray<CpuCache> cpudata;
    int colourNext;
    int growing;
    int dflags;
    int batchcount;
    private volatile SlabPruner pruner;

    KmemCache(SlabAllocator allocator, String name, int objsize, int flags, int num, int gfporder,
              int colour, int colourOff, Consumer<? super T> ctor, Supplier<? extends T> memory, int nrCpus) {
        this.allocator = allocator;
        this.name = name;
        this.objsize = objsize;
        this.flags = flags;
        this.num = num;
        this.gfporder = gfporder;
        this.gfpflags = (flags & SlabFlags.SLAB_CACHE_DMA) != 0 ? Gfp.__GFP_DMA : 0;
        this.colour = colour;
        this.colourOff = colourOff;
        this.ctor = ctor;
        this.memory = memory;
        this.spinlock = new SpinLock(name + "->spinlock");
        this.cpudata = new AtomicReferenceArray<>(nrCpus);
    }

    /** {@code cachep->name}. */
    public String name() {
        return name;
    }

    /** {@code cachep->objsize}, after alignment. */
    public int objsize() {
        return objsize;
    }

    /** {@code cachep->num}: objects per slab. */
    public int num() {
        return num;
    }

    /** {@code cachep->gfporder}: each slab is {@code 1 << gfporder} pages. */
    public int gfporder() {
        return gfporder;
    }

    /** {@code cachep->flags}. */
    public int flags() {
        return flags;
    }

    /** {@code cachep->colour}: how many colours (offsets) slabs cycle through. */
    public int colour() {
        return colour;
    }

    /** {@code cachep->colour_off}. */
    public int colourOff() {
        return colourOff;
    }

    /** Whether the cache has a constructor ({@code cachep->ctor != NULL}). */
    public boolean hasCtor() {
        return ctor != null;
    }

    /** {@code cachep->batchcount}, read without a step. */
    public int batchcountQuietly() {
        return batchcount;
    }

    /** {@code cachep->spinlock}. */
    public SpinLock spinlock() {
        return spinlock;
    }

    /** {@code cachep->cpudata[cpu]}, or null when the cache has no per-CPU arrays. */
    public CpuCache cpuCache(int cpu) {
        return cpudata.get(cpu);
    }

    /** The allocator (the machine's mm/slab.c state) this cache belongs to. */
    public SlabAllocator allocator() {
        return allocator;
    }

    /** What reclaim calls to prune the objects of one slab (slab-on-LRU); null if none. */
    public SlabPruner pruner() {
        return pruner;
    }

    /** Sets the pruner of this cache's objects (the dentry cache sets one). */
    public void setPruner(SlabPruner p) {
        pruner = p;
    }

    // ---- allocation -----------------------------------------------------------------

    /**
     * {@code kmem_cache_alloc(cachep, flags)} → {@code __kmem_cache_alloc()} — mm/slab.c, 2.5.31.
     * <p>With interrupts off: pop this CPU's array; if it is empty, refill it with a batch from
     * the slabs under the cache lock; if the slabs are exhausted too, grow the cache by a slab
     * (interrupts back on, as it may sleep) and start again ("Someone may have stolen our
     * objs. Doesn't matter, we'll just come back here again."). Null when growing fails.
     */
    @SuppressWarnings("unchecked")
    public T kmemCacheAlloc(Cpu cpu, int gfp) {
        for (;;) { // try_again:
            boolean saved = cpu.localIrqSave();
            CpuCache cc = ccData(cpu);
            Object objp;
            if (cc != null) {
                objp = cc.pop(cpu, ALLOC_CC_POP);
                if (objp == null) {
                    objp = kmemCacheAllocBatch(cpu, cc);
                }
                if (objp == null) { // alloc_new_slab_nolock:
                    cpu.localIrqRestore(saved);
                    if (kmemCacheGrow(cpu, gfp)) {
                        continue;
                    }
                    return null;
                }
            } else {
                spinlock.spinLock(cpu);
                Slab slabp = kmemCacheAllocOneSlab(cpu);
                if (slabp == null) { // alloc_new_slab:
                    spinlock.spinUnlock(cpu);
                    cpu.localIrqRestore(saved);
                    if (kmemCacheGrow(cpu, gfp)) {
                        continue;
                    }
                    return null;
                }
                objp = kmemCacheAllocOneTail(cpu, slabp);
                spinlock.spinUnlock(cpu);
            }
            cpu.localIrqRestore(saved);
            T obj = (T) objp;
            if (!obj.markAllocated()) {
                cpu.detectors().report(FindingKind.DOUBLE_FREE, cpu, obj.slab().page().pfn(), ALLOC_SHADOW,
                        "kmem_cache_alloc(" + name + ") handed out " + obj + ", which is already allocated "
                                + "(an earlier double kmem_cache_free corrupted the slab)");
            }
            return obj;
        }
    }

    /** {@code cc_data(cachep)}: this CPU's array, a load of {@code cachep->cpudata[cpu]}. One step. */
    private CpuCache ccData(Cpu cpu) {
        cpu.local(CC_DATA);
        return cpudata.get(cpu.id());
    }

    /**
     * {@code kmem_cache_alloc_batch()} — mm/slab.c, 2.5.31: under the cache lock, move up to
     * {@code batchcount} objects from partial (then free) slabs into this CPU's array, and
     * return one of them; null if the slabs had none.
     */
    private Object kmemCacheAllocBatch(Cpu cpu, CpuCache cc) {
        cpu.step(BATCH_COUNT, this, Access.READ);
        int n = batchcount;
        spinlock.spinLock(cpu);
        while (n-- > 0) {
            Slab slabp = kmemCacheAllocOneSlab(cpu);
            if (slabp == null) {
                break;
            }
            Object o = kmemCacheAllocOneTail(cpu, slabp);
            if (!cc.push(cpu, BATCH_PUSH, o)) {
                throw new IllegalStateException(cc + ": batch refill overflowed (batchcount > limit?)");
            }
        }
        spinlock.spinUnlock(cpu);
        return cc.pop(cpu, BATCH_POP);
    }

    /**
     * The slab-choosing half of the {@code kmem_cache_alloc_one()} macro — mm/slab.c, 2.5.31:
     * the first partial slab, else the first free slab moved to {@code slabs_partial}; null
     * ({@code goto alloc_new_slab}) when there is neither. Cache lock held.
     */
    private Slab kmemCacheAllocOneSlab(Cpu cpu) {
        if (slabsPartial.listEmpty(cpu, ONE_PARTIAL)) {
            if (slabsFree.listEmpty(cpu, ONE_FREE)) {
                return null;
            }
            ListHead entry = slabsFree.next();
            entry.listDel(cpu, ONE_DEL);
            slabsPartial.listAdd(cpu, ONE_ADD, entry);
        }
        return (Slab) slabsPartial.next();
    }

    /**
     * {@code kmem_cache_alloc_one_tail()} — mm/slab.c, 2.5.31: take the slab's first free object;
     * a slab that runs out moves to {@code slabs_full}. Cache lock held.
     */
    private SlabObject kmemCacheAllocOneTail(Cpu cpu, Slab slabp) {
        cpu.step(TAIL_INUSE, slabp, Access.WRITE);
        slabp.inuse++;
        cpu.step(TAIL_OBJP, slabp, Access.READ);
        int i = slabp.free;
        SlabObject objp = slabp.object(i);
        cpu.step(TAIL_FREE, slabp, Access.WRITE);
        slabp.free = slabp.bufctl[i];
        if (slabp.free == SlabFlags.BUFCTL_END) {
            slabp.listDel(cpu, TAIL_DEL);
            slabsFull.listAdd(cpu, TAIL_ADD, slabp);
        }
        return objp;
    }

    // ---- free -----------------------------------------------------------------------

    /**
     * {@code kmem_cache_free(cachep, objp)} → {@code __kmem_cache_free()} — mm/slab.c, 2.5.31.
     * <p>With interrupts off: push the object on this CPU's array; if the array is full, first
     * give its top {@code batchcount} objects back to their slabs ({@code free_block()}).
     * <p>Emulator check first: freeing an object that is not allocated is reported as a double
     * free on the object's page (the kernel, without CONFIG_DEBUG_SLAB, would corrupt the slab's
     * free chain and hand the object out twice later).
     */
    public void kmemCacheFree(Cpu cpu, T objp) {
        if (objp.slab() == null || objp.slab().cache() != this) {
            throw cpu.detectors().kernelBug(cpu, -1, FREE_SHADOW,
                    "kmem_cache_free(" + name + "): " + objp + " does not belong to this cache");
        }
        if (!objp.markFreed()) {
            cpu.detectors().report(FindingKind.DOUBLE_FREE, cpu, objp.slab().page().pfn(), FREE_SHADOW,
                    "kmem_cache_free(" + name + ") of " + objp + ", which is not allocated (slab object freed twice)");
            return;
        }
        boolean saved = cpu.localIrqSave();
        CpuCache cc = ccData(cpu);
        if (cc != null) {
            if (!cc.push(cpu, FREE_CC_PUSH, objp)) {
                cpu.step(FREE_CC_BATCHCOUNT, this, Access.READ);
                Object[] batch = cc.takeTop(cpu, FREE_CC_BATCH, batchcount);
                freeBlock(cpu, batch);
                if (!cc.push(cpu, FREE_CC_PUSH, objp)) {
                    throw new IllegalStateException(cc + ": still full after free_block");
                }
            }
        } else {
            freeBlock(cpu, new Object[] {objp});
        }
        cpu.localIrqRestore(saved);
    }

    /** {@code free_block()} — mm/slab.c, 2.5.31: {@code __free_block()} under the cache lock. */
    private void freeBlock(Cpu cpu, Object[] objpp) {
        spinlock.spinLock(cpu);
        freeBlockLocked(cpu, objpp);
        spinlock.spinUnlock(cpu);
    }

    /** {@code __free_block()} — mm/slab.c, 2.5.31: each object back to its slab. Cache lock held. */
    void freeBlockLocked(Cpu cpu, Object[] objpp) {
        for (Object o : objpp) {
            kmemCacheFreeOne(cpu, (SlabObject) o);
        }
    }

    /**
     * {@code kmem_cache_free_one()} — mm/slab.c, 2.5.31: chain the object at the head of its
     * slab's free list; a slab that empties moves to {@code slabs_free}, one that was full to
     * {@code slabs_partial}. Cache lock held.
     */
    private void kmemCacheFreeOne(Cpu cpu, SlabObject objp) {
        Slab slabp = objp.slab();
        Page page = objectPage(objp);
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
            slabsFree.listAdd(cpu, FREE_ONE_ADD_FREE, slabp);
        } else if (inuse == num) { // Was full.
            slabp.listDel(cpu, FREE_ONE_DEL);
            slabsPartial.listAdd(cpu, FREE_ONE_ADD_PARTIAL, slabp);
        }
    }

    /** {@code virt_to_page(objp)}: the page the object lies in. */
    Page objectPage(SlabObject objp) {
        Page first = objp.slab().page();
        int offset = objp.slab().colouroff() + objp.index() * objsize;
        return first.zone().page(first.pfn() + (long) Math.min(offset / SlabFlags.PAGE_SIZE, (1 << gfporder) - 1));
    }

    // ---- growing --------------------------------------------------------------------

    /**
     * {@code kmem_cache_grow(cachep, flags)} — mm/slab.c, 2.5.31: one new slab on
     * {@code slabs_free}. Takes the next colour and marks the cache growing (so the reaper leaves
     * it alone) under the lock; gets the pages with the lock dropped; marks each page PG_slab and
     * points it at the cache and the slab; constructs the objects; links the slab. False if the
     * page allocator failed. (2.4's sanity check is "in interrupt and flags other than
     * SLAB_ATOMIC"; the part that matters, {@code __GFP_WAIT} in an interrupt, is what is checked.)
     */
    boolean kmemCacheGrow(Cpu cpu, int gfp) {
        if (cpu.inInterrupt() && (gfp & Gfp.__GFP_WAIT) != 0) {
            throw cpu.detectors().kernelBug(cpu, -1, GROW_COLOUR,
                    "kmem_cache_grow(" + name + "): __GFP_WAIT allocation in interrupt context");
        }
        boolean saved = spinlock.spinLockIrqsave(cpu);
        cpu.step(GROW_COLOUR, this, Access.WRITE);
        int offset = colourNext;
        colourNext++;
        if (colourNext >= colour) {
            colourNext = 0;
        }
        offset *= colourOff;
        cpu.step(GROW_DFLAGS, this, Access.WRITE);
        dflags |= SlabFlags.DFLGS_GROWN;
        cpu.step(GROW_GROWING, this, Access.WRITE);
        growing++;
        spinlock.spinUnlockIrqrestore(cpu, saved);

        Page page = kmemGetpages(cpu, gfp);
        if (page == null) { // failed:
            saved = spinlock.spinLockIrqsave(cpu);
            cpu.step(GROW_FAILED, this, Access.WRITE);
            growing--;
            spinlock.spinUnlockIrqrestore(cpu, saved);
            return false;
        }
        // kmem_cache_slabmgmt(): the descriptor (see Slab on where it lives); on-slab, it takes
        // L1_CACHE_ALIGN(num * sizeof(kmem_bufctl_t) + sizeof(slab_t)) bytes before the objects.
        if ((flags & SlabFlags.CFLGS_OFF_SLAB) == 0) {
            offset += SlabAllocator.l1CacheAlign(num * SlabFlags.SIZEOF_BUFCTL + SlabFlags.SIZEOF_SLAB_T);
        }
        Slab slabp = new Slab(this, page, offset, num);
        for (int i = 0; i < 1 << gfporder; i++) {
            Page p = page.zone().page(page.pfn() + i);
            cpu.step(GROW_SET_CACHE, p, Access.WRITE);
            cpu.step(GROW_SET_SLAB, p, Access.WRITE);
            allocator.setSlabOfPage(p, slabp);
            p.setFlag(cpu, GROW_PAGE_SET_SLAB, PG_slab);
        }
        kmemCacheInitObjs(slabp);
        saved = spinlock.spinLockIrqsave(cpu);
        cpu.step(GROW_DONE, this, Access.WRITE);
        growing--;
        slabsFree.listAddTail(cpu, GROW_ADD, slabp);
        spinlock.spinUnlockIrqrestore(cpu, saved);
        allocator.slabPageLru().slabGrown(cpu, slabp);
        return true;
    }

    /**
     * {@code kmem_cache_init_objs()} — mm/slab.c, 2.5.31: run the constructor on each object and
     * chain them all free. No steps: nobody else can see the slab yet.
     */
    private void kmemCacheInitObjs(Slab slabp) {
        for (int i = 0; i < num; i++) {
            T o = memory.get();
            slabp.setObject(i, o);
            if (ctor != null) {
                ctor.accept(o);
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
    private Page kmemGetpages(Cpu cpu, int gfp) {
        allocator.checkLruSeams();
        Page page = allocator.machine().pageAlloc().allocPages(cpu, gfp | gfpflags, gfporder);
        if (page != null) {
            allocator.addSlabPages(1 << gfporder);
        }
        return page;
    }

    /**
     * {@code kmem_freepages(cachep, addr)} — mm/slab.c, 2.5.31: {@code PageClearSlab()} on each
     * of the {@code 1 << gfporder} pages, then {@code free_pages()} (or, with slab-on-LRU, the
     * machine's release protocol: {@link SlabPageLru#releaseSlabPages}).
     */
    private void kmemFreepages(Cpu cpu, Page page) {
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
    void kmemSlabDestroy(Cpu cpu, Slab slabp) {
        kmemFreepages(cpu, slabp.page());
    }

    // ---- shrinking ------------------------------------------------------------------

    /**
     * {@code drain_cpu_caches(cachep)} — mm/slab.c, 2.5.31: empty every CPU's array (the IPI,
     * one atomic step per array, see {@link CpuCache}) and give the objects back to their slabs
     * with interrupts off.
     */
    void drainCpuCaches(Cpu cpu) {
        for (int i = 0; i < cpudata.length(); i++) {
            CpuCache cc = cpudata.get(i);
            if (cc == null) {
                continue;
            }
            Object[] old = cc.takeAll(cpu, DRAIN_IPI);
            if (old.length == 0) {
                continue;
            }
            cpu.localIrqDisable();
            freeBlock(cpu, old);
            cpu.localIrqEnable();
        }
    }

    /**
     * {@code __kmem_cache_shrink_locked(cachep)} — mm/slab.c, 2.5.31: destroy every free slab
     * unless the cache is growing, dropping the lock (held, irqs off) around each destroy.
     * Returns how many slabs it destroyed.
     */
    int kmemCacheShrinkLocked(Cpu cpu) {
        int ret = 0;
        for (;;) {
            cpu.step(SHRINK_GROWING, this, Access.READ);
            if (growing != 0) {
                break;
            }
            cpu.step(SHRINK_PREV, slabsFree, Access.READ);
            ListHead p = slabsFree.prev();
            if (p == slabsFree) {
                break;
            }
            Slab slabp = (Slab) p;
            slabp.listDel(cpu, SHRINK_DEL);
            spinlock.spinUnlockIrq(cpu);
            kmemSlabDestroy(cpu, slabp);
            ret++;
            spinlock.spinLockIrq(cpu);
        }
        return ret;
    }

    /**
     * {@code __kmem_cache_shrink(cachep)} — mm/slab.c, 2.5.31: drain the per-CPU arrays, destroy
     * the free slabs; true if objects are still allocated (full or partial slabs remain).
     */
    boolean kmemCacheShrinkAll(Cpu cpu) {
        drainCpuCaches(cpu);
        spinlock.spinLockIrq(cpu);
        kmemCacheShrinkLocked(cpu);
        boolean busy = !slabsFull.listEmpty(cpu, SHRINK_FULL) || !slabsPartial.listEmpty(cpu, SHRINK_PARTIAL);
        spinlock.spinUnlockIrq(cpu);
        return busy;
    }

    /**
     * {@code kmem_cache_shrink(cachep)} — mm/slab.c, 2.5.31: drain the per-CPU arrays and destroy
     * the free slabs; returns the pages freed ({@code ret << gfporder}).
     */
    public int kmemCacheShrink(Cpu cpu) {
        if (cpu.inInterrupt()) {
            throw cpu.detectors().kernelBug(cpu, -1, SHRINK_GROWING, "kmem_cache_shrink in interrupt context");
        }
        drainCpuCaches(cpu);
        spinlock.spinLockIrq(cpu);
        int ret = kmemCacheShrinkLocked(cpu);
        spinlock.spinUnlockIrq(cpu);
        return ret << gfporder;
    }

    // ---- per-CPU arrays -------------------------------------------------------------

    /**
     * {@code enable_cpucache(cachep)} — mm/slab.c, 2.5.31: limit 252 for objects up to 256 bytes,
     * 124 up to 1024, 60 up to a page, none above; batchcount half the limit.
     */
    void enableCpucache(Cpu cpu) {
        if (objsize > SlabFlags.PAGE_SIZE) {
            return;
        }
        int limit = objsize > 1024 ? 60 : objsize > 256 ? 124 : 252;
        kmemTuneCpucache(cpu, limit, limit / 2);
    }

    /**
     * {@code kmem_tune_cpucache(cachep, limit, batchcount)} — mm/slab.c, 2.5.31 (what a write to
     * /proc/slabinfo does): new arrays of {@code limit} on every CPU (none if 0), the old ones'
     * objects back to their slabs. Returns 0 or -EINVAL (-22).
     * <p>Departure: the kernel swaps the arrays by IPI, which cannot land while the owner is in
     * the middle of using its array; the emulator's swap can, so tune only at quiescence (setup).
     */
    public int kmemTuneCpucache(Cpu cpu, int limit, int batch) {
        if (limit < 0 || batch < 0 || batch > limit || (limit != 0 && batch == 0)) {
            return -22;
        }
        List<CpuCache> old = new ArrayList<>();
        for (int i = 0; i < cpudata.length(); i++) {
            cpu.step(TUNE_IPI, this, Access.WRITE);
            CpuCache o = cpudata.getAndSet(i, limit == 0 ? null : new CpuCache(i, limit));
            if (o != null) {
                old.add(o);
            }
        }
        spinlock.spinLockIrq(cpu);
        cpu.step(TUNE_BATCH, this, Access.WRITE);
        batchcount = batch;
        spinlock.spinUnlockIrq(cpu);
        for (CpuCache o : old) {
            Object[] objs = o.takeAll(cpu, TUNE_IPI);
            if (objs.length > 0) {
                cpu.localIrqDisable();
                freeBlock(cpu, objs);
                cpu.localIrqEnable();
            }
        }
        return 0;
    }

    // ---- quiet views, for checks and tests ------------------------------------------

    /** The slabs on {@code slabs_full}, {@code slabs_partial} or {@code slabs_free}, without steps. */
    public List<Slab> slabsQuietly(SlabList which) {
        ListHead head = switch (which) {
            case FULL -> slabsFull;
            case PARTIAL -> slabsPartial;
            case FREE -> slabsFree;
        };
        List<Slab> out = new ArrayList<>();
        for (ListHead e = head.next(); e != head; e = e.next()) {
            out.add((Slab) e);
        }
        return out;
    }

    /** The number of slabs on all three lists, without steps. */
    public int nrSlabsQuietly() {
        return slabsFull.size() + slabsPartial.size() + slabsFree.size();
    }

    /** The objects held in the per-CPU arrays, without steps. */
    public int cpuCachedQuietly() {
        int n = 0;
        for (int i = 0; i < cpudata.length(); i++) {
            CpuCache cc = cpudata.get(i);
            n += cc == null ? 0 : cc.availQuietly();
        }
        return n;
    }

    /** {@code growing}, read without a step. */
    public int growingQuietly() {
        return growing;
    }

    /** The three slab lists of a cache. */
    public enum SlabList { FULL, PARTIAL, FREE }

    /** {@code cachep->next}: a cache's entry on {@code cache_chain}. */
    static final class ChainLink extends ListHead {
        final KmemCache<?> cache;

        ChainLink(KmemCache<?> cache) {
            this.cache = cache;
        }
    }

    @Override
    public String toString() {
        return "kmem_cache " + name;
    }
}
