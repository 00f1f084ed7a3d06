package org.mmemu.lru.protocol;

import org.mmemu.core.emu.Cpu;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Page;
import org.mmemu.lru.LruProtocol;
import org.mmemu.lru.ZoneLru;

/**
 * The four operations of a kernel whose release and isolation are {@link ZoneLockTests}' with
 * one {@link ZoneLockTests.Kernel} choice: 2.5.31-mm1 ({@link Mm1Protocol}) and 2.5.33
 * ({@link Linux2533Protocol}). The subclasses are their names, versions and sources.
 */
abstract class ZoneLockProtocol implements LruProtocol {
    private final ZoneLockTests.Kernel kernel;

    ZoneLockProtocol(ZoneLockTests.Kernel kernel) {
        this.kernel = kernel;
    }

    /** include/linux/mm.h: put_page() and mm/swap.c: __page_cache_release(): see {@link ZoneLockTests#pageCacheRelease}. */
    @Override
    public final void pageCacheRelease(Cpu cpu, Page page) {
        ZoneLockTests.pageCacheRelease(cpu, kernel, page);
    }

    /** mm/swap.c: release_pages(): see {@link ZoneLockTests#releasePages}. */
    @Override
    public final void releasePages(Cpu cpu, Page[] pages, int nr) {
        ZoneLockTests.releasePages(cpu, kernel, pages, nr);
    }

    /** mm/vmscan.c: shrink_cache() / refill_inactive_zone() isolation: see {@link ZoneLockTests#isolate}. */
    @Override
    public final boolean isolateLruPage(Cpu cpu, ZoneLru zl, Page page, ListHead dst, boolean fromActive) {
        return ZoneLockTests.isolate(cpu, kernel, zl, page, dst, fromActive);
    }

    /** mm/vmscan.c: shrink_cache() put-back (02 with 17): see {@link LruSteps#putback}. */
    @Override
    public final void putbackLruPage(Cpu cpu, ZoneLru zl, Page page) {
        LruSteps.putback(cpu, zl, page);
    }
}
