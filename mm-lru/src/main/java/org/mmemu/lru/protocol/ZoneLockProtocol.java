package org.mmemu.lru.protocol;

import org.mmemu.core.KernelProfile;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Page;
import org.mmemu.lru.LruProtocol;
import org.mmemu.lru.ZoneLru;

/**
 * The four operations of a kernel whose release and isolation are {@link ZoneLockPaths}' under
 * one {@link KernelProfile}: 2.5.31-mm1 ({@link Mm1Protocol}) and 2.5.33
 * ({@link Linux2533Protocol}). The subclasses are their names, versions and sources.
 */
abstract class ZoneLockProtocol implements LruProtocol {
    private final KernelProfile kernel;

    ZoneLockProtocol(KernelProfile kernel) {
        this.kernel = kernel;
    }

    /** The kernel whose choices the shared paths run with. */
    @Override
    public final KernelProfile profile() {
        return kernel;
    }

    /** include/linux/mm.h: put_page() and mm/swap.c: __page_cache_release(): see {@link ZoneLockPaths#pageCacheRelease}. */
    @Override
    public final void pageCacheRelease(Cpu cpu, Page page) {
        ZoneLockPaths.pageCacheRelease(cpu, kernel, page);
    }

    /** mm/swap.c: release_pages(): see {@link ZoneLockPaths#releasePages}. */
    @Override
    public final void releasePages(Cpu cpu, Page[] pages, int nr) {
        ZoneLockPaths.releasePages(cpu, kernel, pages, nr);
    }

    /** mm/vmscan.c: shrink_cache() / refill_inactive_zone() isolation: see {@link ZoneLockPaths#isolate}. */
    @Override
    public final boolean isolateLruPage(Cpu cpu, ZoneLru zl, Page page, ListHead dst, boolean fromActive) {
        return ZoneLockPaths.isolate(cpu, kernel, zl, page, dst, fromActive);
    }

    /** mm/vmscan.c: shrink_cache() put-back (02 with 17): see {@link LruSteps#putback}. */
    @Override
    public final void putbackLruPage(Cpu cpu, ZoneLru zl, Page page) {
        LruSteps.putback(cpu, zl, page);
    }
}
