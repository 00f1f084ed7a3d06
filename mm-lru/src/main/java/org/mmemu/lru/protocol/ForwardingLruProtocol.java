package org.mmemu.lru.protocol;

import static com.google.common.base.Preconditions.checkNotNull;

import org.mmemu.core.emu.Cpu;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Page;
import org.mmemu.lru.LruProtocol;
import org.mmemu.lru.ZoneLru;

/**
 * Part of the protocol SPI (see {@link LruProtocol}): a protocol that runs another's steps
 * except where it overrides them, for a variant that changes one path (a lock dropped from
 * {@code releasePages}, say) and keeps the rest. The mechanics follow the delegate (its four
 * paths, {@link #biasedCount()}, {@link #leavesZeroCountPages()}); what describes the variant
 * does not: it declares its own {@link #name()}, {@link #origin()} and {@link #version()}, and
 * keeps the defaults of {@link #changesets()}, {@link #expectedOnSeedRace()} and
 * {@link #profile()} (the kernel profile of its own version) unless it overrides them.
 *
 * <p>Emulator, not a mirror: the delegate's paths stand for mm/swap.c: release_pages() and
 * __page_cache_release(), and mm/vmscan.c: shrink_cache() (2.5.31-mm1 for mm1).
 */
public abstract class ForwardingLruProtocol implements LruProtocol {
    private final LruProtocol delegate;

    /** A variant of {@code delegate}, e.g. {@code new AlwaysLockProtocol()}. */
    protected ForwardingLruProtocol(LruProtocol delegate) {
        this.delegate = checkNotNull(delegate, "delegate");
    }

    /** The protocol whose steps this one runs where it does not override them. */
    protected final LruProtocol delegate() {
        return delegate;
    }

    @Override
    public boolean biasedCount() {
        return delegate.biasedCount();
    }

    @Override
    public boolean leavesZeroCountPages() {
        return delegate.leavesZeroCountPages();
    }

    @Override
    public void pageCacheRelease(Cpu cpu, Page page) {
        delegate.pageCacheRelease(cpu, page);
    }

    @Override
    public void releasePages(Cpu cpu, Page[] pages, int nr) {
        delegate.releasePages(cpu, pages, nr);
    }

    @Override
    public boolean isolateLruPage(Cpu cpu, ZoneLru zl, Page page, ListHead dst, boolean fromActive) {
        return delegate.isolateLruPage(cpu, zl, page, dst, fromActive);
    }

    @Override
    public void putbackLruPage(Cpu cpu, ZoneLru zl, Page page) {
        delegate.putbackLruPage(cpu, zl, page);
    }
}
