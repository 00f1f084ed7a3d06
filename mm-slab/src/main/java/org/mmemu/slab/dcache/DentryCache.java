package org.mmemu.slab.dcache;

import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Gfp;
import org.mmemu.core.sync.SpinLock;
import org.mmemu.slab.KmemCache;
import org.mmemu.slab.Slab;
import org.mmemu.slab.SlabAllocator;
import org.mmemu.slab.SlabFlags;
import org.mmemu.slab.SlabObject;
import org.mmemu.slab.shrink.Shrinker;
import org.mmemu.slab.shrink.ShrinkerList;

/**
 * A dentry-like cache of reclaimable slab objects, after fs/dcache.c (2.5.31-2.5.42): the
 * {@code dentry_cache} slab, {@code dcache_lock}, the LRU of unused dentries
 * ({@code dentry_unused}, newest at the head) with {@code dentry_stat.nr_unused}, and the ways
 * memory pressure reaches it — {@code shrink_dcache_memory()} as 2.5.31's
 * {@code shrink_caches()} called it (by priority), and as a shrinker (SHR, 2.5.42).
 *
 * <p><b>Why it is here.</b> A slab page of such a cache can be freed only when every object on
 * it is pruned, and pruning goes by the LRU of objects, not by page: that mismatch is what
 * slablru (slab pages on the page LRU) and then the shrinker API were about (docs/FIDELITY.md).
 * The cache also gives the last {@code dput()} the {@code atomic_dec_and_lock()} protocol of
 * docs/RACE.md, the correct answer to the race of the seed mail for the page LRU's cousin.
 *
 * <p>A shim of the VFS: no names, hash chains, inodes or parents. A dentry is "hashed" or not;
 * {@link #dAlloc} returns it hashed with one reference (d_alloc plus d_add).
 */
public final class DentryCache {
    /** {@code sizeof(struct dentry)} on i386 around 2.5.31 [I]; rounded up to 128 by SLAB_HWCACHE_ALIGN. */
    public static final int SIZEOF_DENTRY = 112;

    private static final Site ALLOC_COUNT = Site.of("d_alloc", "atomic_set(&dentry->d_count, 1)");
    private static final Site ALLOC_FLAGS = Site.of("d_alloc", "dentry->d_vfs_flags = 0");
    private static final Site ALLOC_STAT = Site.of("d_alloc", "dentry_stat.nr_dentry++");
    private static final Site ADD_HASH = Site.of("d_add", "list_add(&entry->d_hash, list)");
    private static final Site DGET = Site.of("dget", "atomic_inc(&dentry->d_count)");
    private static final Site DGET_LOCKED = Site.of("__dget_locked", "atomic_inc(&dentry->d_count)");
    private static final Site DGET_LOCKED_READ = Site.of("__dget_locked", "atomic_read(&dentry->d_count) == 1");
    private static final Site DGET_LOCKED_UNUSED = Site.of("__dget_locked", "dentry_stat.nr_unused--");
    private static final Site DGET_LOCKED_DEL = Site.of("__dget_locked", "list_del_init(&dentry->d_lru)");
    private static final Site LOOKUP_HASHED = Site.of("d_lookup", "d_unhashed(dentry)");
    private static final Site LOOKUP_REF = Site.of("d_lookup", "dentry->d_vfs_flags |= DCACHE_REFERENCED");
    private static final Site DROP = Site.of("d_drop", "list_del_init(&dentry->d_hash)");
    private static final Site ADL_LOAD = Site.of("atomic_dec_and_lock", "c = atomic_read(count)");
    private static final Site ADL_CMPXCHG = Site.of("atomic_dec_and_lock", "cmpxchg(count, c, c - 1)");
    private static final Site ADL_DEC = Site.of("atomic_dec_and_lock", "atomic_dec_and_test(count)");
    private static final Site DPUT_LRU = Site.of("dput", "if (!list_empty(&dentry->d_lru)) BUG()");
    private static final Site DPUT_HASHED = Site.of("dput", "list_empty(&dentry->d_hash)");
    private static final Site DPUT_ADD = Site.of("dput", "list_add(&dentry->d_lru, &dentry_unused)");
    private static final Site DPUT_UNUSED = Site.of("dput", "dentry_stat.nr_unused++");
    private static final Site KILL_STAT = Site.of("dput", "kill_it: dentry_stat.nr_dentry--");
    private static final Site PRUNE_PREV = Site.of("prune_dcache", "tmp = dentry_unused.prev");
    private static final Site PRUNE_DEL = Site.of("prune_dcache", "list_del_init(tmp)");
    private static final Site PRUNE_UNUSED = Site.of("prune_dcache", "dentry_stat.nr_unused--");
    private static final Site PRUNE_REF = Site.of("prune_dcache", "dentry->d_vfs_flags & DCACHE_REFERENCED");
    private static final Site PRUNE_READD = Site.of("prune_dcache", "list_add(&dentry->d_lru, &dentry_unused)");
    private static final Site PRUNE_READD_UNUSED = Site.of("prune_dcache", "dentry_stat.nr_unused++");
    private static final Site PRUNE_COUNT = Site.of("prune_dcache", "if (atomic_read(&dentry->d_count)) BUG()");
    private static final Site ONE_DROP = Site.of("prune_one_dentry", "__d_drop(dentry)");
    private static final Site ONE_STAT = Site.of("prune_one_dentry", "dentry_stat.nr_dentry--");
    private static final Site SHRINK_UNUSED = Site.of("shrink_dcache_memory", "dentry_stat.nr_unused");
    private static final Site SLAB_PRUNE_LRU = Site.of("slablru: prune dentries of a slab", "dentry on dentry_unused");

    private final SlabAllocator allocator;
    private final KmemCache<Dentry> dentryCache;
    private final SpinLock dcacheLock = new SpinLock("dcache_lock");
    private final ListHead dentryUnused = new ListHead();
    private final Object stat = new Object();
    private int nrUnused;
    private int nrDentry;
    private Shrinker shrinker;

    private DentryCache(SlabAllocator allocator, KmemCache<Dentry> cache) {
        this.allocator = allocator;
        this.dentryCache = cache;
    }

    /**
     * {@code dcache_init()} — fs/dcache.c, 2.5.31/2.5.42: the {@code dentry_cache} slab
     * ({@code SLAB_HWCACHE_ALIGN}, order 0, no constructor), the slab-on-LRU pruner, and, if
     * {@code withShrinker}, {@code set_shrinker(DEFAULT_SEEKS, shrink_dcache_memory)} as 2.5.42
     * did (2.5.31 had no shrinkers).
     */
    public static DentryCache dcacheInit(Cpu cpu, SlabAllocator allocator, boolean withShrinker) {
        KmemCache<Dentry> c = allocator.kmemCacheCreate(cpu, "dentry_cache", SIZEOF_DENTRY, 0, 0, null,
                SlabFlags.SLAB_HWCACHE_ALIGN, Dentry::new);
        DentryCache dc = new DentryCache(allocator, c);
        c.setPruner(dc::pruneSlab);
        if (withShrinker) {
            dc.shrinker = ShrinkerList.of(allocator.machine()).setShrinker(cpu, Shrinker.DEFAULT_SEEKS,
                    dc::shrinkDcacheMemory);
        }
        return dc;
    }

    /** The {@code dentry_cache} slab. */
    public KmemCache<Dentry> kmemCache() {
        return dentryCache;
    }

    /** The shrinker registered by {@link #dcacheInit}, or null. */
    public Shrinker shrinker() {
        return shrinker;
    }

    /** {@code dcache_lock}. */
    public SpinLock dcacheLock() {
        return dcacheLock;
    }

    /** {@code dentry_stat.nr_unused}, read without a step. */
    public int nrUnusedQuietly() {
        synchronized (stat) {
            return nrUnused;
        }
    }

    /** {@code dentry_stat.nr_dentry}, read without a step. */
    public int nrDentryQuietly() {
        synchronized (stat) {
            return nrDentry;
        }
    }

    /** The length of {@code dentry_unused}, walked without steps. */
    public int unusedListSizeQuietly() {
        return dentryUnused.size();
    }

    private void addNrUnused(Cpu cpu, Site site, int d) {
        cpu.step(site, stat, Access.WRITE);
        synchronized (stat) {
            nrUnused += d;
        }
    }

    private void addNrDentry(Cpu cpu, Site site, int d) {
        cpu.step(site, stat, Access.WRITE);
        synchronized (stat) {
            nrDentry += d;
        }
    }

    // ---- getting and putting --------------------------------------------------------

    /**
     * {@code d_alloc()} then {@code d_add()} — fs/dcache.c, 2.5.31: a dentry from the slab with
     * one reference, hashed. Null if the slab cannot grow.
     */
    public Dentry dAlloc(Cpu cpu, int gfp) {
        Dentry d = dentryCache.kmemCacheAlloc(cpu, gfp);
        if (d == null) {
            return null;
        }
        d.setDCount(cpu, ALLOC_COUNT, 1);
        cpu.step(ALLOC_FLAGS, d, Access.WRITE);
        d.dVfsFlags = 0;
        d.dLru.init();
        dcacheLock.spinLock(cpu);
        addNrDentry(cpu, ALLOC_STAT, 1);
        cpu.step(ADD_HASH, d, Access.WRITE);
        d.hashed = true;
        dcacheLock.spinUnlock(cpu);
        return d;
    }

    /** {@code dget(dentry)} — include/linux/dcache.h: a reference on a dentry already held. */
    public Dentry dget(Cpu cpu, Dentry d) {
        d.incDCount(cpu, DGET);
        return d;
    }

    /**
     * {@code d_lookup()} finding {@code d} — fs/dcache.c, 2.5.31: under {@code dcache_lock}, if it
     * is still hashed, {@code __dget_locked()} (which takes an unused dentry off
     * {@code dentry_unused}) and mark it DCACHE_REFERENCED. Null if it was unhashed (pruned).
     */
    public Dentry dLookup(Cpu cpu, Dentry d) {
        dcacheLock.spinLock(cpu);
        cpu.step(LOOKUP_HASHED, d, Access.READ);
        if (!d.hashed) {
            dcacheLock.spinUnlock(cpu);
            return null;
        }
        dgetLocked(cpu, d);
        cpu.step(LOOKUP_REF, d, Access.WRITE);
        d.dVfsFlags |= Dentry.DCACHE_REFERENCED;
        dcacheLock.spinUnlock(cpu);
        return d;
    }

    /** {@code __dget_locked()} — fs/dcache.c, 2.5.31: a 0 → 1 re-get leaves {@code dentry_unused}. */
    private void dgetLocked(Cpu cpu, Dentry d) {
        d.incDCount(cpu, DGET_LOCKED);
        if (d.dCount(cpu, DGET_LOCKED_READ) == 1) {
            addNrUnused(cpu, DGET_LOCKED_UNUSED, -1);
            d.dLru.listDelInit(cpu, DGET_LOCKED_DEL);
        }
    }

    /** {@code d_drop()} — include/linux/dcache.h: unhash, so the last {@code dput()} frees it. */
    public void dDrop(Cpu cpu, Dentry d) {
        dcacheLock.spinLock(cpu);
        cpu.step(DROP, d, Access.WRITE);
        d.hashed = false;
        dcacheLock.spinUnlock(cpu);
    }

    /**
     * {@code dput(dentry)} — fs/dcache.c, 2.5.31: {@code atomic_dec_and_lock(&d_count,
     * &dcache_lock)}; on the last reference a hashed dentry goes to the head of
     * {@code dentry_unused}, an unhashed one is killed (back to the slab).
     */
    public void dput(Cpu cpu, Dentry d) {
        if (!atomicDecAndLock(cpu, d)) {
            return;
        }
        cpu.step(DPUT_LRU, d.dLru, Access.READ);
        if (d.dLru.isLinked()) {
            dcacheLock.spinUnlock(cpu);
            throw cpu.detectors().kernelBug(cpu, -1, DPUT_LRU, "dput on a free dentry (" + d + ")");
        }
        cpu.step(DPUT_HASHED, d, Access.READ);
        if (d.hashed) {
            dentryUnused.listAdd(cpu, DPUT_ADD, d.dLru);
            addNrUnused(cpu, DPUT_UNUSED, 1);
            dcacheLock.spinUnlock(cpu);
            return;
        }
        // kill_it:
        addNrDentry(cpu, KILL_STAT, -1);
        dcacheLock.spinUnlock(cpu);
        dFree(cpu, d);
    }

    /**
     * {@code atomic_dec_and_lock(&d_count, &dcache_lock)} — arch/i386/lib/dec_and_lock.c
     * (docs/RACE.md): the cmpxchg fast path unless the count would reach zero, then the slow path
     * under the lock. True (lock held) iff the count reached zero.
     */
    private boolean atomicDecAndLock(Cpu cpu, Dentry d) {
        for (;;) {
            int c = d.dCount(cpu, ADL_LOAD);
            if (c - 1 == 0) {
                break; // slow path
            }
            if (d.cmpxchg(cpu, ADL_CMPXCHG, c, c - 1)) {
                return false;
            }
        }
        dcacheLock.spinLock(cpu);
        if (d.decAndTest(cpu, ADL_DEC)) {
            return true;
        }
        dcacheLock.spinUnlock(cpu);
        return false;
    }

    /** {@code d_free()} — fs/dcache.c: {@code kmem_cache_free(dentry_cache, dentry)}. */
    private void dFree(Cpu cpu, Dentry d) {
        dentryCache.kmemCacheFree(cpu, d);
    }

    // ---- pruning --------------------------------------------------------------------

    /**
     * {@code prune_dcache(count)} — fs/dcache.c, 2.5.4x-2.6.0 form [I for the exact version]:
     * look at up to {@code count} dentries from the cold end of {@code dentry_unused}; a
     * referenced one loses the bit and goes back to the head, the others are freed. Returns how
     * many it freed. (2.4's form counted only the freed ones; with a shrinker's
     * {@code nr_to_scan} the scanned count is the one that makes sense.)
     */
    public int pruneDcache(Cpu cpu, int count) {
        int freed = 0;
        dcacheLock.spinLock(cpu);
        for (; count > 0; count--) {
            cpu.step(PRUNE_PREV, dentryUnused, Access.READ);
            ListHead tmp = dentryUnused.prev();
            if (tmp == dentryUnused) {
                break;
            }
            tmp.listDelInit(cpu, PRUNE_DEL);
            addNrUnused(cpu, PRUNE_UNUSED, -1);
            Dentry d = ((Dentry.LruLink) tmp).dentry;
            cpu.step(PRUNE_REF, d, Access.WRITE);
            if ((d.dVfsFlags & Dentry.DCACHE_REFERENCED) != 0) {
                d.dVfsFlags &= ~Dentry.DCACHE_REFERENCED;
                dentryUnused.listAdd(cpu, PRUNE_READD, tmp);
                addNrUnused(cpu, PRUNE_READD_UNUSED, 1);
                continue;
            }
            pruneOneDentry(cpu, d);
            freed++;
        }
        dcacheLock.spinUnlock(cpu);
        return freed;
    }

    /**
     * {@code prune_one_dentry()} — fs/dcache.c, 2.5.31: unhash, drop {@code dcache_lock} around
     * the free, take it again. {@code dcache_lock} held on entry and exit.
     */
    private void pruneOneDentry(Cpu cpu, Dentry d) {
        if (d.dCount(cpu, PRUNE_COUNT) != 0) {
            dcacheLock.spinUnlock(cpu);
            throw cpu.detectors().kernelBug(cpu, -1, PRUNE_COUNT, "unused dentry with a count (" + d + ")");
        }
        cpu.step(ONE_DROP, d, Access.WRITE);
        d.hashed = false;
        addNrDentry(cpu, ONE_STAT, -1);
        dcacheLock.spinUnlock(cpu); // dentry_iput() drops it
        dFree(cpu, d);
        dcacheLock.spinLock(cpu);
    }

    /**
     * {@code shrink_dcache_memory(nr, gfp_mask)}, the shrinker — fs/dcache.c, 2.5.42 (SHR): prune
     * {@code nr} if the caller may enter the filesystem; answer {@code dentry_stat.nr_unused}.
     */
    public int shrinkDcacheMemory(Cpu cpu, int nr, int gfpMask) {
        if (nr != 0 && (gfpMask & Gfp.__GFP_FS) != 0) {
            pruneDcache(cpu, nr);
        }
        cpu.step(SHRINK_UNUSED, stat, Access.READ);
        return nrUnusedQuietly();
    }

    /**
     * {@code shrink_dcache_memory(priority, gfp_mask)} — fs/dcache.c, 2.5.31, as
     * {@code shrink_caches()} called it when the LRU scan fell short (docs/FIDELITY.md): prune
     * {@code nr_unused / priority}, then {@code kmem_cache_shrink(dentry_cache)}; returns the
     * pages that freed.
     */
    public int shrinkDcacheMemoryPriority(Cpu cpu, int priority, int gfpMask) {
        if ((gfpMask & Gfp.__GFP_FS) == 0) {
            return 0;
        }
        cpu.step(SHRINK_UNUSED, stat, Access.READ);
        int count = nrUnusedQuietly() / priority;
        pruneDcache(cpu, count);
        return dentryCache.kmemCacheShrink(cpu);
    }

    /**
     * The slab-on-LRU pruner (slablru, 2.5.32-mm1, in outline [I]): free the unused dentries that
     * live in {@code slab}, regardless of their place on {@code dentry_unused}, so that reclaim
     * can free the slab's page. Returns how many it freed.
     */
    int pruneSlab(Cpu cpu, Slab slab, int gfp) {
        if ((gfp & Gfp.__GFP_FS) == 0) {
            return 0;
        }
        int freed = 0;
        dcacheLock.spinLock(cpu);
        for (int i = 0; i < slab.num(); i++) {
            SlabObject o = slab.object(i);
            if (!(o instanceof Dentry d)) {
                continue;
            }
            cpu.step(SLAB_PRUNE_LRU, d.dLru, Access.READ);
            if (!d.isAllocated() || !d.dLru.isLinked()) {
                continue;
            }
            d.dLru.listDelInit(cpu, PRUNE_DEL);
            addNrUnused(cpu, PRUNE_UNUSED, -1);
            pruneOneDentry(cpu, d);
            freed++;
        }
        dcacheLock.spinUnlock(cpu);
        return freed;
    }

    /** Tears the cache down: prune everything, remove the shrinker, destroy the slab cache. */
    public int destroy(Cpu cpu) {
        pruneDcache(cpu, Integer.MAX_VALUE);
        if (shrinker != null) {
            ShrinkerList.of(allocator.machine()).removeShrinker(cpu, shrinker);
            shrinker = null;
        }
        return allocator.kmemCacheDestroy(cpu, dentryCache);
    }
}
