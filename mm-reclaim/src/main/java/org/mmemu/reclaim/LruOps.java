package org.mmemu.reclaim;

import org.mmemu.core.emu.Cpu;
import org.mmemu.core.page.Page;
import org.mmemu.lru.LruCache;
import org.mmemu.pagevec.LruAddPvecs;
import org.mmemu.pagevec.Pagevec;
import org.mmemu.pagevec.Pagevecs;

/**
 * The mm/swap.c entry points (2.5.32, 2.5.31-mm1) that reclaim and its workloads call, in one
 * place: the deferred per-CPU {@code lru_cache_add}/{@code lru_add_drain} and the pagevec
 * releases of mm-pagevec, {@code mark_page_accessed} and {@code page_cache_release} of mm-lru.
 * The release paths all end in the machine's protocol. Each method names its kernel twin; the
 * code is mm-lru's and mm-pagevec's.
 */
final class LruOps {
    LruOps() {
    }

    /** mm/swap.c: lru_cache_add() (2.5.32, deferred through lru_add_pvecs). */
    void lruCacheAdd(Cpu cpu, Page page) {
        LruAddPvecs.lruCacheAdd(cpu, page);
    }

    /** mm/swap.c: lru_add_drain() (2.5.32). */
    void lruAddDrain(Cpu cpu) {
        LruAddPvecs.lruAddDrain(cpu);
    }

    /** mm/filemap.c: mark_page_accessed() (2.5.31). */
    void markPageAccessed(Cpu cpu, Page page) {
        LruCache.markPageAccessed(cpu, page);
    }

    /** include/linux/pagemap.h: page_cache_release() (2.5.32), the protocol's release side. */
    void pageCacheRelease(Cpu cpu, Page page) {
        LruCache.pageCacheRelease(cpu, page);
    }

    /**
     * include/linux/pagevec.h: pagevec_release() (2.5.32), filler pages folded
     * ({@link LongList#release}).
     */
    void pagevecRelease(Cpu cpu, Pagevec pvec) {
        if (pvec.pagevecCount() != 0) {
            LongList.release(cpu, pvec);
        }
    }

    /**
     * mm/swap.c: __pagevec_release() (2.5.31-mm1), the protocol's release_pages, filler pages
     * folded ({@link LongList#release}).
     */
    void pagevecReleaseLocked(Cpu cpu, Pagevec pvec) {
        LongList.release(cpu, pvec);
    }

    /** mm/swap.c: __pagevec_release_nonlru() (2.5.32, P5). */
    void pagevecReleaseNonlru(Cpu cpu, Pagevec pvec) {
        Pagevecs.__pagevecReleaseNonlru(cpu, pvec);
    }
}
