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
 * {@code always-lock}: the seed mail's "sane, sensible and sucky way" (akpm, 26 Aug 2002,
 * &lt;3D6A8082.3775C5AB@zip.com.au&gt;, docs/RACE.md proposal (a)): every put is made under the
 * LRU lock, so the count can only reach zero while nobody can find the page on the LRU, and the
 * page leaves the LRU in the same critical section. "Presence on the LRU counts as a
 * reference, serialisation is via pagemap_lru_lock."
 *
 * <p>Choices where the mail is a sketch:
 * <ul>
 * <li>The lock is the page's {@code zone->lru_lock} (this machine is -mm1's, per zone), taken
 * with {@code spin_lock_irqsave}: it is irq-safe since patch 11, and a put may come from
 * interrupt context. The mail writes a plain {@code spin_lock}.</li>
 * <li>The mail's {@code lru_cache_del(page)} under the lock can only mean the lockless
 * {@code __lru_cache_del()} of 2.5.31 (mm/swap.c): {@code if (TestClearPageLRU(page))} delete
 * from the list; the page may not be on the LRU at all (its second sketch says so).</li>
 * <li>As in the mail, {@code __free_pages_ok()} runs before the unlock
 * ({@code zone->lock} nests inside {@code lru_lock}).</li>
 * <li>{@code PageReserved} is tested first, as every page_cache_release() of the era did.</li>
 * <li>The vector form applies the same per page, taking and dropping the lock for each: the
 * mail gives only page_cache_release(). That per-page lock is the "sucky" part.</li>
 * <li>Isolation is the plain one, without the count test ({@link LruSteps#isolatePlain}:
 * shrink_cache()'s statement order on the inactive list, refill_inactive()'s on the active),
 * exactly the mail's CPUB: under this protocol a page on the LRU never has a zero count, so
 * the test would be dead code, and leaving it out shows the lock alone is enough.</li>
 * </ul>
 */
public final class AlwaysLockProtocol implements LruProtocol {
    static final Site RESERVED = Site.of("page_cache_release", "if (PageReserved(page))");
    static final Site TESTZERO = Site.of("page_cache_release", "if (put_page_testzero(page))");
    static final Site CLEAR_LRU = Site.of("page_cache_release", "lru_cache_del(page): if (TestClearPageLRU(page))");
    static final Site FREE = Site.of("page_cache_release", "__free_pages_ok(page, 0)");
    static final Site PV_FREE = Site.of("__pagevec_release", "page_cache_release(page)");

    @Override
    public String name() {
        return "always-lock";
    }

    @Override
    public String origin() {
        return "the seed mail's \"sane, sensible and sucky\" proposal: take the LRU lock on every release (akpm, 26 Aug 2002)";
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
        return SeedRaceExpectation.correct("correct; a lock on every release");
    }

    /** mm/swap.c: page_cache_release() as the seed mail proposes it (proposal (a)). */
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
        boolean flags = zl.lruLock().spinLockIrqsave(cpu);
        if (page.putPageTestzero(cpu, TESTZERO)) {
            if (page.testClearPageLru(cpu, CLEAR_LRU)) {
                zl.delPageFromLru(cpu, page);
            }
            lru.machine().pageAlloc().freePagesOk(cpu, page, 0, freeSite);
        }
        zl.lruLock().spinUnlockIrqrestore(cpu, flags);
    }

    /** mm/swap.c: __pagevec_release() under proposal (a): page_cache_release() on each page. */
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
