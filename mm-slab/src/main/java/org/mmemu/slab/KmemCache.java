package org.mmemu.slab;

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
 * <p><b>Where the functions are.</b> This class keeps the cache's state and the per-CPU halves of
 * allocation and free ({@code __kmem_cache_alloc()}, {@code __kmem_cache_free()}), the array
 * tuning and the public entries. The parts that work on the slab lists and pages sit beside it,
 * as mm/slab.c groups them: {@link KmemCacheAllocOne} (batch refill,
 * {@code kmem_cache_alloc_one}), {@link KmemCacheFreeOne} ({@code free_block},
 * {@code kmem_cache_free_one}), {@link KmemCacheGrow} (a slab's pages, {@code kmem_cache_grow}
 * to {@code kmem_freepages}) and {@link KmemCacheShrinkLocked} ({@code drain_cpu_caches},
 * {@code __kmem_cache_shrink}).
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
    private static final Site FREE_CC_PUSH = Site.of("__kmem_cache_free", "cc_entry(cc)[cc->avail++] = objp");
    private static final Site FREE_CC_BATCH = Site.of("__kmem_cache_free", "cc->avail -= batchcount");
    private static final Site FREE_CC_BATCHCOUNT = Site.of("__kmem_cache_free", "batchcount = cachep->batchcount");
    private static final Site FREE_SHADOW = Site.of("kmem_cache_free", "objp");
    private static final Site ALLOC_SHADOW = Site.of("kmem_cache_alloc", "return objp");
    private static final Site TUNE_IPI = Site.of("kmem_tune_cpucache", "smp_call_function_all_cpus(do_ccupdate_local)");
    private static final Site TUNE_BATCH = Site.of("kmem_tune_cpucache", "cachep->batchcount = batchcount");

    private final SlabAllocator allocator;
    private final String name;
    private final int objsize;
    private final int flags;
    private final int num;
    private final int gfporder;
    final int gfpflags;
    private final int colour;
    private final int colourOff;
    final Consumer<? super T> ctor;
    final Supplier<? extends T> memory;
    final SpinLock spinlock;
    final ListHead slabsFull = new ListHead();
    final ListHead slabsPartial = new ListHead();
    final ListHead slabsFree = new ListHead();
    /** {@code cachep->next}: the cache's link on {@code cache_chain}. */
    final ChainLink next = new ChainLink(this);
    final AtomicReferenceArray<CpuCache> cpudata;
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
                    objp = KmemCacheAllocOne.kmemCacheAllocBatch(cpu, this, cc);
                }
                if (objp == null) { // alloc_new_slab_nolock:
                    cpu.localIrqRestore(saved);
                    if (KmemCacheGrow.kmemCacheGrow(cpu, this, gfp)) {
                        continue;
                    }
                    return null;
                }
            } else {
                spinlock.spinLock(cpu);
                Slab slabp = KmemCacheAllocOne.kmemCacheAllocOneSlab(cpu, this);
                if (slabp == null) { // alloc_new_slab:
                    spinlock.spinUnlock(cpu);
                    cpu.localIrqRestore(saved);
                    if (KmemCacheGrow.kmemCacheGrow(cpu, this, gfp)) {
                        continue;
                    }
                    return null;
                }
                objp = KmemCacheAllocOne.kmemCacheAllocOneTail(cpu, this, slabp);
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
                KmemCacheFreeOne.freeBlock(cpu, this, batch);
                if (!cc.push(cpu, FREE_CC_PUSH, objp)) {
                    throw new IllegalStateException(cc + ": still full after free_block");
                }
            }
        } else {
            KmemCacheFreeOne.freeBlock(cpu, this, new Object[] {objp});
        }
        cpu.localIrqRestore(saved);
    }

    // ---- shrinking ------------------------------------------------------------------

    /**
     * {@code kmem_cache_shrink(cachep)} — mm/slab.c, 2.5.31: drain the per-CPU arrays and destroy
     * the free slabs; returns the pages freed ({@code ret << gfporder}).
     */
    public int kmemCacheShrink(Cpu cpu) {
        if (cpu.inInterrupt()) {
            throw cpu.detectors().kernelBug(cpu, -1, KmemCacheShrinkLocked.SHRINK_GROWING,
                    "kmem_cache_shrink in interrupt context");
        }
        KmemCacheShrinkLocked.drainCpuCaches(cpu, this);
        spinlock.spinLockIrq(cpu);
        int ret = KmemCacheShrinkLocked.kmemCacheShrinkLocked(cpu, this);
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
                KmemCacheFreeOne.freeBlock(cpu, this, objs);
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
