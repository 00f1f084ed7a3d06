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
 * {@code count-one}: the seed mail's fast path (akpm, 26 Aug 2002, docs/RACE.md proposal (b)):
 * read the count; if it is 1, do the put under the LRU lock as {@code always-lock} does;
 * otherwise a plain {@code atomic_dec} outside it. "This is nice and quick, but racy. Two
 * concurrent page_cache_releases will create a zero-ref unfreed page which is on the LRU.
 * These are rare, and can be mopped up in page reclaim." Both CPUs read 2, both
 * {@code atomic_dec}: nobody frees. It never frees twice; it leaks (and off the LRU the leak is
 * permanent, as Ehrhardt replied).
 *
 * <p>Choices where the mail is a sketch:
 * <ul>
 * <li>Lock irqsave, {@code PageReserved} first, and the 2.5.31 {@code __lru_cache_del()}
 * (mm/swap.c: {@code if (TestClearPageLRU(page))} delete) after the mail's
 * {@code if (PageLRU(page))}, as in {@link AlwaysLockProtocol}.</li>
 * <li>The vector form keeps __pagevec_release()'s lazy, per-zone lock: the first page that
 * reads 1 takes it, and it is kept (irqs off) for the rest of the vector; pages that read more
 * than 1 get the plain {@code atomic_dec}, held lock or not. Freed pages are freed after the
 * unlock, as __pagevec_release() does. The mail gives only page_cache_release().</li>
 * <li>Isolation is -mm1's, with its count test ({@link Mm1Protocol#isolateLruPage}): the
 * proposal changes only the release side, and the zero-ref pages it leaves on the LRU must not
 * be resurrected by reclaim's get. Freeing them is reclaim's mop-up (mm-reclaim), not the
 * isolation's.</li>
 * </ul>
 */
public final class CountOneProtocol implements LruProtocol {
    static final Site RESERVED = Site.of("page_cache_release", "if (PageReserved(page))");
    static final Site COUNT = Site.of("page_cache_release", "if (page_count(page) == 1)");
    static final Site TESTZERO = Site.of("page_cache_release", "if (put_page_testzero(page))");
    static final Site LRU = Site.of("page_cache_release", "if (PageLRU(page))");
    static final Site CLEAR_LRU = Site.of("__lru_cache_del", "if (TestClearPageLRU(page))");
    static final Site FREE = Site.of("page_cache_release", "__free_pages_ok(page, 0)");
    static final Site DEC = Site.of("page_cache_release", "atomic_dec(&page->count)");

    static final Site PV_RESERVED = Site.of("__pagevec_release", "if (PageReserved(page))");
    static final Site PV_COUNT = Site.of("__pagevec_release", "if (page_count(page) == 1)");
    static final Site PV_ZONE_CMP = Site.of("__pagevec_release", "if (pagezone != zone)");
    static final Site PV_TESTZERO = Site.of("__pagevec_release", "if (put_page_testzero(page))");
    static final Site PV_LRU = Site.of("__pagevec_release", "if (PageLRU(page))");
    static final Site PV_DEC = Site.of("__pagevec_release", "atomic_dec(&page->count)");
    static final Site PV_FREE = Site.of("__pagevec_release", "pagevec_free(&pages_to_free)");

    private final Mm1Protocol isolation = new Mm1Protocol();

    @Override
    public String name() {
        return "count-one";
    }

    @Override
    public String origin() {
        return "the seed mail's fast-path proposal: lock only when page_count() == 1 (akpm, 26 Aug 2002)";
    }

    @Override
    public String version() {
        return profile().version();
    }

    @Override
    public KernelProfile profile() {
        return KernelProfile.V2_5_31_MM1;
    }

    /** The mail: "Two concurrent page_cache_releases will create a zero-ref unfreed page which is on the LRU." */
    @Override
    public boolean leavesZeroCountPages() {
        return true;
    }

    @Override
    public SeedRaceExpectation expectedOnSeedRace() {
        return SeedRaceExpectation.correct("no double free; zero-ref pages left on the LRU, mopped up by reclaim");
    }

    /** mm/swap.c: page_cache_release() as the seed mail's second sketch (proposal (b)). */
    @Override
    public void pageCacheRelease(Cpu cpu, Page page) {
        if (page.pageReserved(cpu, RESERVED)) {
            return;
        }
        if (page.pageCount(cpu, COUNT) == 1) {
            Lru lru = Lru.of(cpu);
            ZoneLru zl = lru.zoneOf(page);
            boolean flags = zl.lruLock().spinLockIrqsave(cpu);
            if (page.putPageTestzero(cpu, TESTZERO)) {
                if (page.pageLru(cpu, LRU) && page.testClearPageLru(cpu, CLEAR_LRU)) {
                    zl.delPageFromLru(cpu, page);
                }
                lru.machine().pageAlloc().freePagesOk(cpu, page, 0, FREE);
            }
            zl.lruLock().spinUnlockIrqrestore(cpu, flags);
        } else {
            page.putPageNoTest(cpu, DEC);
        }
    }

    /** mm/swap.c: __pagevec_release() with proposal (b) per page (see the class comment). */
    @Override
    public void releasePages(Cpu cpu, Page[] pages, int nr) {
        ReleaseLocals rel = new ReleaseLocals(cpu);
        for (int i = 0; i < nr; i++) {
            Page page = pages[i];
            if (page.pageReserved(cpu, PV_RESERVED)) {
                continue;
            }
            if (page.pageCount(cpu, PV_COUNT) != 1) {
                page.putPageNoTest(cpu, PV_DEC);
                continue;
            }
            ZoneLru pagezone = rel.zoneOf(page);
            cpu.local(PV_ZONE_CMP);
            rel.lock(cpu, pagezone);
            if (page.putPageTestzero(cpu, PV_TESTZERO)) {
                if (page.pageLru(cpu, PV_LRU) && page.testClearPageLru(cpu, CLEAR_LRU)) {
                    pagezone.delPageFromLru(cpu, page);
                }
                rel.addOrFree(cpu, page, PV_FREE);
            }
        }
        rel.finish(cpu, PV_FREE);
    }

    /** mm/vmscan.c: shrink_cache() isolation of 2.5.31-mm1: {@link Mm1Protocol#isolateLruPage}. */
    @Override
    public boolean isolateLruPage(Cpu cpu, ZoneLru zl, Page page, ListHead dst, boolean fromActive) {
        return isolation.isolateLruPage(cpu, zl, page, dst, fromActive);
    }

    /** mm/vmscan.c: shrink_cache() put-back (2.5.32, F2): see {@link LruSteps#putback}. */
    @Override
    public void putbackLruPage(Cpu cpu, ZoneLru zl, Page page) {
        LruSteps.putback(cpu, zl, page);
    }
}
