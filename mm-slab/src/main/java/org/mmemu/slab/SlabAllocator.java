package org.mmemu.slab;

import static org.mmemu.core.page.PageFlags.PG_lru;
import static org.mmemu.core.page.PageFlags.PG_slab;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Detectors;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.Site;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.Zone;
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
    private static final Site REAP_CLOCK = Site.of("kmem_cache_reap", "searchp = clock_searchp");
    private static final Site REAP_NO_REAP = Site.of("kmem_cache_reap", "searchp->flags & SLAB_NO_REAP");
    private static final Site REAP_GROWING = Site.of("kmem_cache_reap", "if (searchp->growing)");
    private static final Site REAP_GROWN = Site.of("kmem_cache_reap", "if (searchp->dflags & DFLGS_GROWN)");
    private static final Site REAP_GROWN_CLEAR = Site.of("kmem_cache_reap", "searchp->dflags &= ~DFLGS_GROWN");
    private static final Site REAP_CC = Site.of("kmem_cache_reap", "__free_block(searchp, cc_entry(cc), cc->avail); cc->avail = 0");
    private static final Site REAP_WALK = Site.of("kmem_cache_reap", "p = p->next (full_free++)");
    private static final Site REAP_NEXT = Site.of("kmem_cache_reap", "searchp = list_entry(searchp->next.next)");
    private static final Site REAP_SET_CLOCK = Site.of("kmem_cache_reap", "clock_searchp = searchp");
    private static final Site REAP_BEST_GROWING = Site.of("kmem_cache_reap", "if (best_cachep->growing)");
    private static final Site REAP_PREV = Site.of("kmem_cache_reap", "p = best_cachep->slabs_free.prev");
    private static final Site REAP_DEL = Site.of("kmem_cache_reap", "list_del(&slabp->list)");
    /** The first step of {@link #reclaimSlabPage}: reclaim looks up the slab of the page. */
    public static final Site RECLAIM_SLAB = Site.of("slablru: reclaim slab page", "slabp = GET_PAGE_SLAB(page)");
    private static final Site RECLAIM_INUSE = Site.of("slablru: reclaim slab page", "slabp->inuse");
    private static final Site RECLAIM_DEL = Site.of("slablru: reclaim slab page", "list_del(&slabp->list)");
    private static final Site CHECK = Site.of("slab accounting", "quiescent check");

    private final Machine machine;
    private final ListHead cacheChain = new ListHead();
    private final SpinLock cacheChainSem = new SpinLock("cache_chain_sem");
    private KmemCache<?> clockSearchp;
    private final AtomicLong nrSlab = new AtomicLong();
    private final AtomicReferenceArray<Slab> slabOfPage;
    private volatile SlabOptions options = SlabOptions.MAINLINE;
    private volatile SlabPageLru slabPageLru;
    private volatile boolean lruInstalled;

    private SlabAllocator(Machine machine) {
        this.machine = machine;
        this.slabOfPage = new AtomicReferenceArray<>(machine.node().nrPages());
        this.slabPageLru = SlabPageLru.direct(machine);
        machine.detectors().addQuiescentCheck(this::checkAccounting);
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
        int[] est = kmemCacheEstimate(order, size, flags);
        int num = est[0];
        int leftOver = est[1];
        if (num == 0) {
            return null; // "kmem_cache_create: couldn't create cache"
        }
        int slabSize = l1CacheAlign(num * SlabFlags.SIZEOF_BUFCTL + SlabFlags.SIZEOF_SLAB_T);
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
     * {@code kmem_cache_estimate(gfporder, size, flags, &left_over, &num)} — mm/slab.c, 2.5.31:
     * how many objects fit a slab with the descriptor and one bufctl per object (unless off-slab),
     * and the bytes left over. Returns {@code {num, left_over}}.
     */
    static int[] kmemCacheEstimate(int gfporder, int size, int flags) {
        int wastage = SlabFlags.PAGE_SIZE << gfporder;
        int extra = 0;
        int base = 0;
        if ((flags & SlabFlags.CFLGS_OFF_SLAB) == 0) {
            base = SlabFlags.SIZEOF_SLAB_T;
            extra = SlabFlags.SIZEOF_BUFCTL;
        }
        int i = 0;
        while (i * size + l1CacheAlign(base + i * extra) <= wastage) {
            i++;
        }
        if (i > 0) {
            i--;
        }
        if (i > SlabFlags.SLAB_LIMIT) {
            i = SlabFlags.SLAB_LIMIT;
        }
        wastage -= i * size;
        wastage -= l1CacheAlign(base + i * extra);
        return new int[] {i, wastage};
    }

    /** {@code L1_CACHE_ALIGN(x)}. */
    static int l1CacheAlign(int x) {
        return (x + SlabFlags.L1_CACHE_BYTES - 1) & ~(SlabFlags.L1_CACHE_BYTES - 1);
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
        if (cachep.kmemCacheShrinkAll(cpu)) {
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
    private KmemCache<?> nextCache(KmemCache<?> c) {
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
            return reapLocked(cpu);
        } finally {
            cacheChainSem.spinUnlock(cpu);
        }
    }

    private int reapLocked(Cpu cpu) {
        cpu.step(REAP_CLOCK, this, Access.READ);
        KmemCache<?> searchp = clockSearchp;
        if (searchp == null) {
            return 0;
        }
        int scan = REAP_SCANLEN;
        int bestLen = 0;
        int bestPages = 0;
        KmemCache<?> best = null;
        boolean perfect = false;
        do {
            cpu.step(REAP_NO_REAP, searchp, Access.READ);
            if ((searchp.flags() & SlabFlags.SLAB_NO_REAP) == 0) {
                searchp.spinlock.spinLockIrq(cpu);
                if (reapLook(cpu, searchp)) {
                    int fullFree = countFreeSlabs(cpu, searchp);
                    int pages = fullFree << searchp.gfporder();
                    if (searchp.hasCtor()) {
                        pages = (pages * 4 + 1) / 5;
                    }
                    if (searchp.gfporder() != 0) {
                        pages = (pages * 4 + 1) / 5;
                    }
                    if (pages > bestPages) {
                        best = searchp;
                        bestLen = fullFree;
                        bestPages = pages;
                        if (pages >= REAP_PERFECT) {
                            cpu.step(REAP_SET_CLOCK, this, Access.WRITE);
                            clockSearchp = nextCache(searchp);
                            perfect = true; // goto perfect, the lock still held
                            break;
                        }
                    }
                }
                searchp.spinlock.spinUnlockIrq(cpu); // next_unlock:
            }
            cpu.step(REAP_NEXT, searchp.next, Access.READ); // next:
            searchp = nextCache(searchp);
        } while (--scan > 0 && searchp != clockSearchp);

        if (!perfect) {
            cpu.step(REAP_SET_CLOCK, this, Access.WRITE);
            clockSearchp = searchp;
            if (best == null) {
                return 0; // couldn't find anything to reap
            }
            best.spinlock.spinLockIrq(cpu);
        }
        // perfect: free only 50% of the free slabs
        bestLen = (bestLen + 1) / 2;
        for (scan = 0; scan < bestLen; scan++) {
            cpu.step(REAP_BEST_GROWING, best, Access.READ);
            if (best.growing != 0) {
                break;
            }
            cpu.step(REAP_PREV, best.slabsFree, Access.READ);
            ListHead p = best.slabsFree.prev();
            if (p == best.slabsFree) {
                break;
            }
            Slab slabp = (Slab) p;
            slabp.listDel(cpu, REAP_DEL);
            // Safe to drop the lock. The slab is no longer linked to the cache.
            best.spinlock.spinUnlockIrq(cpu);
            best.kmemSlabDestroy(cpu, slabp);
            best.spinlock.spinLockIrq(cpu);
        }
        best.spinlock.spinUnlockIrq(cpu);
        return scan << best.gfporder();
    }

    /**
     * The part of the reaper's look at one cache before counting (its lock held): skip it if
     * growing or grown since the last look; drain this CPU's array. False to skip.
     */
    private boolean reapLook(Cpu cpu, KmemCache<?> searchp) {
        cpu.step(REAP_GROWING, searchp, Access.READ);
        if (searchp.growing != 0) {
            return false;
        }
        cpu.step(REAP_GROWN, searchp, Access.READ);
        if ((searchp.dflags & SlabFlags.DFLGS_GROWN) != 0) {
            cpu.step(REAP_GROWN_CLEAR, searchp, Access.WRITE);
            searchp.dflags &= ~SlabFlags.DFLGS_GROWN;
            return false;
        }
        CpuCache cc = searchp.cpuCache(cpu.id());
        if (cc != null) {
            Object[] objs = cc.takeAll(cpu, REAP_CC);
            if (objs.length > 0) {
                searchp.freeBlockLocked(cpu, objs);
            }
        }
        return true;
    }

    /** The reaper's walk of {@code slabs_free}: one load per entry. */
    private static int countFreeSlabs(Cpu cpu, KmemCache<?> c) {
        int n = 0;
        cpu.step(REAP_WALK, c.slabsFree, Access.READ);
        for (ListHead p = c.slabsFree.next(); p != c.slabsFree; p = p.next()) {
            n++;
            cpu.step(REAP_WALK, p, Access.READ);
        }
        return n;
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
        cpu.step(RECLAIM_SLAB, page, Access.READ);
        Slab slabp = slabOfPage.get(page.pfn());
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
    private SlabPageVerdict tryDestroy(Cpu cpu, Slab slabp) {
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
            cachep.kmemSlabDestroy(cpu, slabp);
            return SlabPageVerdict.FREED;
        }
        cachep.spinlock.spinUnlockIrq(cpu);
        return null;
    }

    // ---- accounting -----------------------------------------------------------------

    /**
     * The quiescent check: every slab of every cache is on the list its {@code inuse} says, its
     * pages have PG_slab, belong to it and are not free, and without slab-on-LRU are not on the
     * LRU; {@code nr_slab} is the sum of their pages; and no page has PG_slab without a slab.
     */
    void checkAccounting(Detectors d) {
        long pages = 0;
        for (KmemCache<?> c : cachesQuietly()) {
            for (KmemCache.SlabList which : KmemCache.SlabList.values()) {
                for (Slab s : c.slabsQuietly(which)) {
                    KmemCache.SlabList should = s.inuse == 0 ? KmemCache.SlabList.FREE
                            : s.inuse == c.num() ? KmemCache.SlabList.FULL : KmemCache.SlabList.PARTIAL;
                    if (which != should) {
                        d.report(FindingKind.ACCOUNTING, null, s.page().pfn(), CHECK,
                                s + " is on slabs_" + which.name().toLowerCase() + ", should be on slabs_"
                                        + should.name().toLowerCase());
                    }
                    for (int i = 0; i < 1 << c.gfporder(); i++) {
                        Page p = s.page().zone().page(s.page().pfn() + i);
                        if (!p.hasFlag(PG_slab) || d.isFree(p.pfn()) || slabOfPage.get(p.pfn()) != s) {
                            d.report(FindingKind.ACCOUNTING, null, p.pfn(), CHECK,
                                    p + " of " + s + ": PG_slab clear, free, or owned by another slab");
                        }
                        if (!options.slabOnLru() && (p.hasFlag(PG_lru) || p.isLinked())) {
                            d.report(FindingKind.ACCOUNTING, null, p.pfn(), CHECK,
                                    p + " of " + s + " is on the LRU, but slab-on-LRU is off");
                        }
                    }
                    pages += 1L << c.gfporder();
                }
            }
        }
        if (pages != nrSlab.get()) {
            d.report(FindingKind.ACCOUNTING, null, -1, CHECK,
                    "nr_slab is " + nrSlab.get() + " but the caches' slabs hold " + pages + " pages");
        }
        for (Zone z : machine.node().zones()) {
            for (int i = 0; i < z.size(); i++) {
                Page p = z.pageIfLookedAt(i); // a page nobody looked at has no flags
                if (p != null && p.hasFlag(PG_slab) && slabOfPage.get((int) p.pfn()) == null) {
                    d.report(FindingKind.ACCOUNTING, null, p.pfn(), CHECK, p + " has PG_slab but belongs to no slab");
                }
            }
        }
    }
}
