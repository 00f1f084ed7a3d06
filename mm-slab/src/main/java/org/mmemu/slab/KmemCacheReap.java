package org.mmemu.slab;

import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.list.ListHead;

/**
 * The reaper of mm/slab.c (2.5.31): the body of {@code kmem_cache_reap()} once
 * {@code cache_chain_sem} is held, the clock over {@code cache_chain} and the destruction of half
 * the best cache's free slabs. Apart from {@link SlabAllocator}, which keeps the semaphore, the
 * clock hand and the public {@link SlabAllocator#kmemCacheReap}, because the reaper is the one
 * function of the chain that walks every cache and reaches into each one's lists.
 */
final class KmemCacheReap {
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

    private KmemCacheReap() {
    }

    /**
     * {@code kmem_cache_reap()} — mm/slab.c, 2.5.31, from {@code searchp = clock_searchp} on,
     * with {@code cache_chain_sem} held (see {@link SlabAllocator#kmemCacheReap}). Returns the
     * pages freed.
     */
    static int reapLocked(Cpu cpu, SlabAllocator sa) {
        cpu.step(REAP_CLOCK, sa, Access.READ);
        KmemCache<?> searchp = sa.clockSearchp;
        if (searchp == null) {
            return 0;
        }
        int scan = SlabAllocator.REAP_SCANLEN;
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
                        if (pages >= SlabAllocator.REAP_PERFECT) {
                            cpu.step(REAP_SET_CLOCK, sa, Access.WRITE);
                            sa.clockSearchp = sa.nextCache(searchp);
                            perfect = true; // goto perfect, the lock still held
                            break;
                        }
                    }
                }
                searchp.spinlock.spinUnlockIrq(cpu); // next_unlock:
            }
            cpu.step(REAP_NEXT, searchp.next, Access.READ); // next:
            searchp = sa.nextCache(searchp);
        } while (--scan > 0 && searchp != sa.clockSearchp);

        if (!perfect) {
            cpu.step(REAP_SET_CLOCK, sa, Access.WRITE);
            sa.clockSearchp = searchp;
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
            KmemCacheGrow.kmemSlabDestroy(cpu, best, slabp);
            best.spinlock.spinLockIrq(cpu);
        }
        best.spinlock.spinUnlockIrq(cpu);
        return scan << best.gfporder();
    }

    /**
     * The part of the reaper's look at one cache before counting (its lock held): skip it if
     * growing or grown since the last look; drain this CPU's array. False to skip.
     */
    private static boolean reapLook(Cpu cpu, KmemCache<?> searchp) {
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
                KmemCacheFreeOne.freeBlockLocked(cpu, searchp, objs);
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
}
