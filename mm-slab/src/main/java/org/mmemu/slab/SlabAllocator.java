package org.mmemu.slab;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.Page;
import org.mmemu.core.sync.SpinLock;

/**
 * The machine-wide state of mm/slab.c (2.5.31): {@code cache_chain} under {@code cache_chain_sem},
 * the reaper's clock hand {@code clock_searchp}, and the functions over all caches —
 * {@code kmem_cache_create()}, {@code kmem_cache_destroy()} and {@code kmem_cache_reap()}.
 * One per {@link Machine}, kept as a machine extension ({@link #of}).
 *
 * <p><b>Pressure.</b> In 2.5.31 the only way memory pressure reached the slab was
 * {@code shrink_caches()} calling {@link #kmemCacheReap} before anything else (docs/FIDELITY.md,
 * docs/FIDELITY.md): a clock over at most {@code REAP_SCANLEN} caches picks the one with the most free-slab
 * pages and destroys half of its free slabs. Caches with reclaimable objects (dentries, inodes)
 * were pruned separately by count, and from ~2.5.42 through the shrinkers of
 * {@link org.mmemu.slab.shrink.ShrinkerList}.
 *
 * <p><b>Emulator state.</b> Beside the kernel's state it keeps {@code nr_slab}, the pages held
 * by slabs (2.6 counted it in {@code /proc/vmstat}; 2.5.31 did not), the owner of each slab page
 * (what {@code SET_PAGE_SLAB()} stored in {@code page->list}; mm-core's {@code page->list} is the
 * buddy's), and a quiescent check that the two agree with the caches and with PG_slab.
 *
 * <p><b>Where the functions are.</b> This class keeps the chain, the clock hand and the public
 * entries; beside it are the reaper's walk ({@link KmemCacheReap}), the slab layout arithmetic
 * ({@link KmemCacheEstimate}), slab-on-LRU's reclaim of a slab page ({@link SlabPageReclaim}) and
 * the quiescent check ({@link SlabAccounting}).
 *
 * <p><b>Departures.</b> There is no {@code cache_cache}: descriptors are Java objects, so the
 * chain's head is a bare list head, which the clock skips as the kernel's clock skips
 * {@code cache_cache} (it is SLAB_NO_REAP), including the scan slot it costs.
 * {@code cache_chain_sem} is a semaphore in the kernel; here it is a {@link SpinLock} (down =
 * lock, down_trylock = trylock), since no emulated code sleeps.
 */
public final class SlabAllocator {
    /** {@code REAP_SCANLEN}: caches the reaper looks at per call. */
    public static final int REAP_SCANLEN = 10;
    /** {@code REAP_PERFECT}: free-slab pages that end the search at once. */
    public static final int REAP_PERFECT = 10;

    private static final Site CREATE_DUP = Site.of("kmem_cache_create", "list_for_each(p, &cache_chain): strcmp(pc->name, name)");
    private static final Site CREATE_ADD = Site.of("kmem_cache_create", "list_add(&cachep->next, &cache_chain)");
    private static final Site CREATE_CLOCK = Site.of("kmem_cache_create", "clock_searchp (first cache)");
    private static final Site DESTROY_GROWING = Site.of("kmem_cache_destroy", "cachep->growing");
    private static final Site DESTROY_CLOCK = Site.of("kmem_cache_destroy", "if (clock_searchp == cachep)");
    private static final Site DESTROY_DEL = Site.of("kmem_cache_destroy", "list_del(&cachep->next)");
    private static final Site DESTROY_READD = Site.of("kmem_cache_destroy", "list_add(&cachep->next, &cache_chain)");
    /** The first step of {@link #reclaimSlabPage}: reclaim looks up the slab of the page. */
    public static final Site RECLAIM_SLAB = Site.of("slablru: reclaim slab page", "slabp = GET_PAGE_SLAB(page)");

    private final Machine machine;
    private final ListHead cacheChain = new ListHead();
    private final SpinLock cacheChainSem = new SpinLock("cache_chain_sem");
    /** {@code clock_searchp}: where the reaper's next look starts; under {@code cache_chain_sem}. */
    KmemCache<?> clockSearchp;
    private final AtomicLong nrSlab = new AtomicLong();
    private final AtomicReferenceArray<Slab> slabOfPage;
    private volatile SlabOptions options = SlabOptions.MAINLINE;
    private volatile SlabPageLru slabPageLru;
    private volatile boolean lruInstalled;

    private SlabAllocator(Machine machine) {
        this.machine = machine;
        this.slabOfPage = new AtomicReferenceArray<>(machine.node().nrPages());
        this.slabPageLru = SlabPageLru.direct(machine);
        machine.detectors().addQuiescentCheck(d -> SlabAccounting.checkAccounting(this, d));
    }

    /** The machine's slab allocator, created (and its accounting check registered) on first use. */
    public static SlabAllocator of(Machine machine) {
        return machine.extension(SlabAllocator.class, SlabAllocator::new);
    }

    public Machine machine() {
        return machine;
    }

    /** The options in force. */
    public SlabOptions options() {
        return options;
    }

    /**
     * Sets the options; before any cache grows. Slab-on-LRU needs the LRU seams of mm-lru
     * ({@link #setSlabPageLru}) installed too, which this checks at the first grow.
     */
    public void configure(SlabOptions opts) {
        if (nrSlab.get() != 0) {
            throw new IllegalStateException("slab options must be set before any slab is grown");
        }
        options = opts;
    }

    /** Installs the slab-on-LRU seams (mm-lru does, when the option is on). */
    public void setSlabPageLru(SlabPageLru lru) {
        slabPageLru = lru;
        lruInstalled = true;
    }

    SlabPageLru slabPageLru() {
        return slabPageLru;
    }

    /** {@code cache_chain_sem}. */
    public SpinLock cacheChainSem() {
        return cacheChainSem;
    }

    /** The pages held by slabs now ({@code nr_slab}). */
    public long nrSlab() {
        return nrSlab.get();
    }

    void addSlabPages(int n) {
        nrSlab.addAndGet(n);
    }

    /** Refuses to grow a slab with slab-on-LRU on and the LRU seams missing: a setup error. */
    void checkLruSeams() {
        if (options.slabOnLru() && !lruInstalled) {
            throw new IllegalStateException("slab-on-LRU is on but mm-lru's SlabPageLru is not installed");
        }
    }

    /** The slab that page {@code page} belongs to (what {@code GET_PAGE_SLAB()} reads), without a step; or null. */
    public Slab slabOfPageQuietly(Page page) {
        return slabOfPage.get(page.pfn());
    }

    void setSlabOfPage(Page page, Slab slab) {
        slabOfPage.set(page.pfn(), slab);
    }

    /** The caches on {@code cache_chain}, without steps. */
    public List<KmemCache<?>> cachesQuietly() {
        List<KmemCache<?>> out = new ArrayList<>();
        for (ListHead e = cacheChain.next(); e != cacheChain; e = e.next()) {
            out.add(((KmemCache.ChainLink) e).cache);
        }
        return out;
    }

    // ---- create and destroy ---------------------------------------------------------

    /** {@link #kmemCacheCreate(Cpu, String, int, int, int, Consumer, int, Supplier)} with plain objects. */
    public KmemCache<SlabObject> kmemCacheCreate(Cpu cpu, String name, int size, int offset, int order,
                                                 Consumer<? super SlabObject> ctor, int flags) {
        return kmemCacheCreate(cpu, name, size, offset, order, ctor, flags, SlabObject::new);
    }

    /**
     * {@code kmem_cache_create(name, size, offset, flags, ctor, dtor)} — mm/slab.c, 2.5.31.
     * <p>Aligns the size to a word (to {@code L1_CACHE_BYTES}, halved for small objects, with
     * SLAB_HWCACHE_ALIGN), puts the descriptor off-slab for objects of {@code PAGE_SIZE/8} and
     * up, computes {@code num} and the colours with {@code kmem_cache_estimate()}, enables the
     * per-CPU arrays, and adds the cache to {@code cache_chain} (a duplicate name is a BUG()).
     * Returns null if not even one object fits a slab of {@code order}.
     * <p>Departure: {@code order} is the caller's, where the kernel derives it (see {@link KmemCache}).
     *
     * @param offset the colour offset (the kernel's {@code offset} argument; 0 for the default)
     * @param memory makes the object of each slot (stands for the slab's memory)
     */
    public <T extends SlabObject> KmemCache<T> kmemCacheCreate(Cpu cpu, String name, int size, int offset,
            int order, Consumer<? super T> ctor, int flags, Supplier<? extends T> memory) {
        if (name == null || cpu.inInterrupt() || size < SlabFlags.BYTES_PER_WORD
                || size > (1 << SlabFlags.MAX_GFP_ORDER) * SlabFlags.PAGE_SIZE || offset < 0 || offset > size
                || order < 0 || order > SlabFlags.MAX_GFP_ORDER) {
            throw cpu.detectors().kernelBug(cpu, -1, CREATE_ADD, "kmem_cache_create(" + name + "): bad arguments");
        }
        if ((flags & ~SlabFlags.CREATE_MASK) != 0) {
            throw cpu.detectors().kernelBug(cpu, -1, CREATE_ADD, "kmem_cache_create(" + name + "): bad flags");
        }
        if ((size & (SlabFlags.BYTES_PER_WORD - 1)) != 0) {
            size = (size + SlabFlags.BYTES_PER_WORD - 1) & ~(SlabFlags.BYTES_PER_WORD - 1);
        }
        int align = SlabFlags.BYTES_PER_WORD;
        if ((flags & SlabFlags.SLAB_HWCACHE_ALIGN) != 0) {
            align = SlabFlags.L1_CACHE_BYTES;
        }
        if (size >= (SlabFlags.PAGE_SIZE >> 3)) {
            flags |= SlabFlags.CFLGS_OFF_SLAB;
        }
        if ((flags & SlabFlags.SLAB_HWCACHE_ALIGN) != 0) {
            while (size < align / 2) {
                align /= 2;
            }
            size = (size + align - 1) & ~(align - 1);
        }
        int[] est = KmemCacheEstimate.kmemCacheEstimate(order, size, flags);
        int num = est[0];
        int leftOver = est[1];
        if (num == 0) {
            return null; // "kmem_cache_create: couldn't create cache"
        }
        int slabSize = KmemCacheEstimate.l1CacheAlign(num * SlabFlags.SIZEOF_BUFCTL + SlabFlags.SIZEOF_SLAB_T);
        if ((flags & SlabFlags.CFLGS_OFF_SLAB) != 0 && leftOver >= slabSize) {
            flags &= ~SlabFlags.CFLGS_OFF_SLAB;
            leftOver -= slabSize;
        }
        offset += align - 1;
        offset &= ~(align - 1);
        if (offset == 0) {
            offset = SlabFlags.L1_CACHE_BYTES;
        }
        KmemCache<T> cachep = new KmemCache<>(this, name, size, flags, num, order, leftOver / offset, offset,
                ctor, memory, machine.cpus().size());
        cachep.enableCpucache(cpu);

        cacheChainSem.spinLock(cpu); // down(&cache_chain_sem)
        for (ListHead p = cacheChain.next(); p != cacheChain; p = p.next()) {
            cpu.step(CREATE_DUP, p, Access.READ);
            if (((KmemCache.ChainLink) p).cache.name().equals(name)) {
                cacheChainSem.spinUnlock(cpu);
                throw cpu.detectors().kernelBug(cpu, -1, CREATE_DUP, "kmem_cache_create: duplicate cache name " + name);
            }
        }
        cacheChain.listAdd(cpu, CREATE_ADD, cachep.next);
        cpu.step(CREATE_CLOCK, this, Access.WRITE);
        if (clockSearchp == null) {
            clockSearchp = cachep; // the kernel's clock starts at cache_cache, which is always there
        }
        cacheChainSem.spinUnlock(cpu);
        return cachep;
    }

    /**
     * {@code kmem_cache_destroy(cachep)} — mm/slab.c, 2.5.31: unlink the cache from the chain
     * (moving the reaper's clock off it), then shrink it completely; if objects are still
     * allocated, put it back and return 1 ("can't free all objects"), else 0.
     */
    public int kmemCacheDestroy(Cpu cpu, KmemCache<?> cachep) {
        cpu.step(DESTROY_GROWING, cachep, Access.READ);
        if (cpu.inInterrupt() || cachep.growing != 0) {
            throw cpu.detectors().kernelBug(cpu, -1, DESTROY_GROWING,
                    "kmem_cache_destroy(" + cachep.name() + ") in interrupt context or while growing");
        }
        cacheChainSem.spinLock(cpu);
        cpu.step(DESTROY_CLOCK, this, Access.WRITE);
        if (clockSearchp == cachep) {
            KmemCache<?> n = nextCache(cachep);
            clockSearchp = n == cachep ? null : n;
        }
        cachep.next.listDel(cpu, DESTROY_DEL);
        cacheChainSem.spinUnlock(cpu);
        if (KmemCacheShrinkLocked.kmemCacheShrinkAll(cpu, cachep)) {
            cacheChainSem.spinLock(cpu);
            cacheChain.listAdd(cpu, DESTROY_READD, cachep.next);
            if (clockSearchp == null) {
                clockSearchp = cachep;
            }
            cacheChainSem.spinUnlock(cpu);
            return 1;
        }
        return 0;
    }

    /** {@code list_entry(searchp->next.next, kmem_cache_t, next)}, stepping over the chain's bare head. */
    KmemCache<?> nextCache(KmemCache<?> c) {
        ListHead n = c.next.next();
        if (n == cacheChain) {
            n = n.next();
        }
        return ((KmemCache.ChainLink) n).cache;
    }

    // ---- reaping --------------------------------------------------------------------

    /**
     * {@code kmem_cache_reap(gfp_mask)} — mm/slab.c, 2.5.31; called first by
     * {@code shrink_caches()} (docs/FIDELITY.md).
     * <ol>
     * <li>Take {@code cache_chain_sem} (only try without {@code __GFP_WAIT}).
     * <li>From {@code clock_searchp}, look at up to {@code REAP_SCANLEN} caches, skipping
     *     SLAB_NO_REAP ones, growing ones and ones that grew since the last look (clearing
     *     DFLGS_GROWN); give back this CPU's array of each to its slabs; count the free slabs and
     *     weigh their pages ×4/5 for a constructor and ×4/5 again for multi-page slabs. A cache
     *     worth {@code REAP_PERFECT} pages ends the search at once.
     * <li>Destroy half (rounded up) of the best cache's free slabs, dropping its lock around each.
     * </ol>
     * Returns the pages freed.
     * <p>The reference says "×4/5 if it has a constructor" and "most of" the free slabs; the
     * order penalty and the half are mm/slab.c's own (2.4.18, "free only 50% of the free slabs"),
     * which 2.5.31 carried unchanged [I]. Only this CPU's array is drained, as
     * {@code cc_data(searchp)} is; the other CPUs' arrays are left alone.
     */
    public int kmemCacheReap(Cpu cpu, int gfpMask) {
        if ((gfpMask & Gfp.__GFP_WAIT) != 0) {
            cacheChainSem.spinLock(cpu);
        } else if (!cacheChainSem.spinTrylock(cpu)) {
            return 0;
        }
        try {
            return KmemCacheReap.reapLocked(cpu, this);
        } finally {
            cacheChainSem.spinUnlock(cpu);
        }
    }

    // ---- slab-on-LRU seam -----------------------------------------------------------

    /**
     * What reclaim's look at a slab page it isolated came to, and what {@code shrink_list()}
     * does with the page next (the label it goes to).
     */
    public enum SlabPageVerdict {
        /**
         * The page is no longer a slab page: the slab was destroyed (by the reaper, a shrink, or
         * a destroy) after reclaim isolated it, and its release already dropped the slab's
         * reference. {@code free_it}: reclaim's reference is the last one.
         */
        NOT_SLAB,
        /**
         * The slab was free: reclaim destroyed it, and {@code kmem_freepages()} dropped the
         * slab's reference through the protocol (the page is off the LRU, so nothing was
         * freed yet). {@code free_it}: reclaim's reference is the last one.
         */
        FREED,
        /**
         * The slab had objects in use; its cache's pruner freed some of them, but the slab is
         * not free yet. {@code keep_locked}: back on the inactive list, to be looked at again.
         */
        PRUNED,
        /**
         * The slab had objects in use and nothing could be pruned (or the cache was growing).
         * {@code activate_locked}: in use, like a referenced page.
         */
        BUSY;

        /** Whether {@code shrink_list()} goes to {@code free_it} (drops its reference) rather than putting the page back. */
        public boolean freeIt() {
            return this == NOT_SLAB || this == FREED;
        }
    }

    /**
     * Reclaim meets a slab page (slab-on-LRU; slablru, 2.5.32-mm1, in outline [I]: its code is
     * not in the reference). What mm/vmscan.c's {@code shrink_list()} calls for a page with
     * PG_slab, with the page isolated: off the LRU, PG_lru clear, reclaim's isolation reference
     * held and PG_locked set (as for any page after {@code TestSetPageLocked}).
     *
     * <p>Under the cache lock: a slab that is no longer linked on its cache's lists is being
     * destroyed by someone else ({@link SlabPageVerdict#NOT_SLAB}); a free slab is taken off
     * {@code slabs_free} and destroyed ({@link SlabPageVerdict#FREED}). A slab with objects in
     * use is handed to the cache's {@link SlabPruner}; if that left it free, it is destroyed as
     * well. Destroying releases the slab's reference through the machine's protocol
     * ({@link SlabPageLru#releaseSlabPages}): with reclaim's reference still held the count
     * stays above zero and nothing is freed there; the page is freed when {@code shrink_list()}
     * drops its own reference at {@code free_it} ({@code __pagevec_release_nonlru()}), which is
     * why {@link SlabPageVerdict#freeIt()} is what reclaim follows. A kept page is put back by
     * the protocol's put-back like any other, so the LRU never loses a live slab.
     */
    public SlabPageVerdict reclaimSlabPage(Cpu cpu, Page page, int gfp) {
        return SlabPageReclaim.reclaimSlabPage(cpu, this, page, gfp);
    }
}
