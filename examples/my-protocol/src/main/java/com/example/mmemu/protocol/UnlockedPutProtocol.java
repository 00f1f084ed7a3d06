package com.example.mmemu.protocol;

import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.page.Page;
import org.mmemu.lru.Lru;
import org.mmemu.lru.SeedRaceExpectation;
import org.mmemu.lru.ZoneLru;
import org.mmemu.lru.protocol.AlwaysLockProtocol;
import org.mmemu.lru.protocol.ForwardingLruProtocol;
import org.mmemu.lru.protocol.PagesToFree;

/**
 * {@code unlocked-put}: the seed mail's always-lock with the lock dropped from one path. The
 * single-page release ({@code page_cache_release()}) and reclaim's isolation and put-back are
 * always-lock's; the vector release ({@code __pagevec_release()}) drops its reference before
 * taking {@code zone->lru_lock}, as if someone had shortened the critical section of the
 * batched path. The page still leaves the LRU under the lock.
 *
 * <p>It is wrong: between this CPU's last put and its lock, reclaim can isolate the page under
 * the lock and take a reference on a page whose count is already zero; reclaim's own release
 * then frees it, and this CPU frees it again once it gets the lock. Exploring the seed race
 * (an interrupt in exactly that gap) finds the double free.
 */
public final class UnlockedPutProtocol extends ForwardingLruProtocol {
    // Step sites: the function and statement each step mirrors, as traces show them.
    static final Site RESERVED = Site.of("__pagevec_release", "if (PageReserved(page))");
    static final Site TESTZERO = Site.of("__pagevec_release", "if (put_page_testzero(page))");
    static final Site CLEAR_LRU = Site.of("__pagevec_release", "if (TestClearPageLRU(page))");
    static final Site FREE = Site.of("__pagevec_release", "pagevec_free(&pages_to_free)");

    /** Public with no arguments: {@link java.util.ServiceLoader} makes it. */
    public UnlockedPutProtocol() {
        super(new AlwaysLockProtocol());
    }

    @Override
    public String name() {
        return "unlocked-put";
    }

    @Override
    public String origin() {
        return "an example: always-lock with the put of __pagevec_release() moved out of the lock";
    }

    @Override
    public String version() {
        return "2.5.31-mm1";
    }

    @Override
    public SeedRaceExpectation expectedOnSeedRace() {
        return SeedRaceExpectation.doubleFree("double free: the vector release puts outside the lock");
    }

    /** {@code __pagevec_release()} with {@code put_page_testzero()} before the lock: the deliberate bug. */
    @Override
    public void releasePages(Cpu cpu, Page[] pages, int nr) {
        PagesToFree pagesToFree = new PagesToFree();
        for (int i = 0; i < nr; i++) {
            Page page = pages[i];
            if (page.pageReserved(cpu, RESERVED) || !page.putPageTestzero(cpu, TESTZERO)) {
                continue;
            }
            ZoneLru zl = Lru.of(cpu).zoneOf(page);
            boolean flags = zl.lruLock().spinLockIrqsave(cpu);
            if (page.testClearPageLru(cpu, CLEAR_LRU)) {
                zl.delPageFromLru(cpu, page);
            }
            zl.lruLock().spinUnlockIrqrestore(cpu, flags);
            if (pagesToFree.add(page) == 0) {
                pagesToFree.free(cpu, FREE);
            }
        }
        pagesToFree.free(cpu, FREE);
    }
}
