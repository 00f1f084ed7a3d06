package org.mmemu.lru.protocol;

import org.mmemu.core.KernelProfile;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Page;
import org.mmemu.lru.Lru;
import org.mmemu.lru.LruProtocol;
import org.mmemu.lru.SeedRaceExpectation;
import org.mmemu.lru.ZoneLru;

/**
 * {@code dec-and-lock}: the release side with {@code atomic_dec_and_lock()} (arch/i386/lib/dec_and_lock.c,
 * docs/RACE.md), the way fs/inode.c's iput() and fs/dcache.c's dput() drop the last reference:
 * "Normally, we handle that with atomic_dec_and_lock() (inodes)" (the seed mail). A put that
 * does not reach zero is a lockless {@code cmpxchg}; the last one happens under
 * {@code zone->lru_lock}, and the page leaves the LRU in the same critical section, so reclaim,
 * which finds pages only under that lock, never sees a zero count.
 *
 * <p>Choices (this pairing was proposed, never merged):
 * <ul>
 * <li>The lock is taken irqsave on the slow path ({@link AtomicDecAndLock#atomicDecAndLockIrqsave}).</li>
 * <li>On the last put: {@code if (TestClearPageLRU(page))} delete, unlock, then
 * {@code __free_pages_ok()} outside the lock, as __page_cache_release() frees after its
 * unlock.</li>
 * <li>The vector form takes the lock per last put; the lazy lock of __pagevec_release()
 * cannot be kept across pages because {@code atomic_dec_and_lock()} takes the lock itself.</li>
 * <li>Isolation is the plain one ({@link LruSteps#isolatePlain}: shrink_cache()'s statement
 * order on the inactive list, 2.5.31-bk7 refill_inactive()'s on the active list), as in iput()'s world where
 * {@code __iget()} under {@code inode_lock} needs no test: a count on the LRU is never zero.</li>
 * </ul>
 */
public final class DecAndLockProtocol implements LruProtocol {
    static final Site RESERVED = Site.of("page_cache_release", "if (PageReserved(page))");
    static final Site DEC_AND_LOCK = Site.of("page_cache_release", "if (atomic_dec_and_lock(&page->count, &zone->lru_lock))");
    static final Site CLEAR_LRU = Site.of("page_cache_release", "if (TestClearPageLRU(page))");
    static final Site FREE = Site.of("page_cache_release", "__free_pages_ok(page, 0)");
    static final Site PV_FREE = Site.of("__pagevec_release", "page_cache_release(page)");

    @Override
    public String name() {
        return "dec-and-lock";
    }

    @Override
    public String origin() {
        return "atomic_dec_and_lock() as iput()/dput() use it (arch/i386/lib/dec_and_lock.c; the seed mail's \"Normally, we handle that with\")";
    }

    @Override
    public String version() {
        return profile().version();
    }

    @Override
    public KernelProfile profile() {
        return KernelProfile.V2_5_31_MM1;
    }

    @Override
    public SeedRaceExpectation expectedOnSeedRace() {
        return SeedRaceExpectation.correct("correct; lock only on the last put");
    }

    /** mm/swap.c: page_cache_release() on atomic_dec_and_lock() (arch/i386/lib/dec_and_lock.c, 2.5). */
    @Override
    public void pageCacheRelease(Cpu cpu, Page page) {
        release(cpu, page, FREE);
    }

    private static void release(Cpu cpu, Page page, Site freeSite) {
        if (page.pageReserved(cpu, RESERVED)) {
            return;
        }
        Lru lru = Lru.of(cpu);
        ZoneLru zl = lru.zoneOf(page);
        cpu.local(DEC_AND_LOCK);
        int last = AtomicDecAndLock.atomicDecAndLockIrqsave(cpu, page, zl.lruLock());
        if (last == AtomicDecAndLock.NOT_LAST) {
            return;
        }
        if (page.testClearPageLru(cpu, CLEAR_LRU)) {
            zl.delPageFromLru(cpu, page);
        }
        zl.lruLock().spinUnlockIrqrestore(cpu, last == AtomicDecAndLock.LAST_IRQS_WERE_OFF);
        lru.machine().pageAlloc().freePagesOk(cpu, page, 0, freeSite);
    }

    /** mm/swap.c: __pagevec_release() on atomic_dec_and_lock(): page_cache_release() per page. */
    @Override
    public void releasePages(Cpu cpu, Page[] pages, int nr) {
        for (int i = 0; i < nr; i++) {
            release(cpu, pages[i], PV_FREE);
        }
    }

    /** mm/vmscan.c: shrink_cache() isolation without the count test (inactive: shrink_cache()'s order; active: refill_inactive()'s): {@link LruSteps#isolatePlain}. */
    @Override
    public boolean isolateLruPage(Cpu cpu, ZoneLru zl, Page page, ListHead dst, boolean fromActive) {
        return LruSteps.isolatePlain(cpu, zl, page, dst, fromActive);
    }

    /** mm/vmscan.c: shrink_cache() put-back (2.5.32, F2): see {@link LruSteps#putback}. */
    @Override
    public void putbackLruPage(Cpu cpu, ZoneLru zl, Page page) {
        LruSteps.putback(cpu, zl, page);
    }
}
