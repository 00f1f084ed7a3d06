package org.mmemu.reclaim;

import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.PageFlags;

/**
 * Shim, a stand-in for the buffer heads of fs/buffer.c (2.5.31) that PG_private announces: a
 * page either has buffers or not, and its buffers are either busy (dirty or locked, so
 * {@code try_to_free_buffers()} fails) or clean. {@code page->private} holds 1 for clean
 * buffers and 2 for busy ones; like the kernel's, it is read and written under PG_locked.
 *
 * <p>As in 2.5 ({@code __set_page_buffers}/{@code __clear_page_buffers}), the buffers hold a
 * reference on the page: that is why {@code is_page_cache_freeable()} subtracts
 * {@code !!PagePrivate} and why a truncated page whose buffers stay busy lives on without a
 * mapping until reclaim frees it.
 */
public final class Buffers {
    private static final Site GET = Site.of("__set_page_buffers", "page_cache_get(page)");
    private static final Site PUT = Site.of("__clear_page_buffers", "page_cache_release(page)");
    private static final Site SET_PRIVATE = Site.of("create_empty_buffers", "SetPagePrivate(page)");
    private static final Site CLEAR_PRIVATE = Site.of("try_to_free_buffers", "ClearPagePrivate(page)");
    private static final Site BUSY = Site.of("try_to_free_buffers", "buffer_busy(bh)");
    private static final Site CLEAN = Site.of("try_to_free_buffers", "ClearPageDirty(page) (all buffers clean)");

    Buffers() {
    }

    /** fs/buffer.c: create_empty_buffers() (2.5.31): gives a locked page buffers, busy or clean. */
    public void attachBuffers(Cpu cpu, Page page, boolean busy) {
        page.pageCacheGet(cpu, GET);
        page.setPrivateData(busy ? 2 : 1);
        page.setFlag(cpu, SET_PRIVATE, PageFlags.PG_private);
    }

    /** Marks a page's buffers clean (their I/O finished), under PG_locked. */
    public void cleanBuffers(Cpu cpu, Page page) {
        cpu.step(BUSY, page, Access.PRIVATE, Access.WRITE);
        page.setPrivateData(1);
    }

    /**
     * mm/filemap.c: try_to_release_page() (2.5.31) → fs/buffer.c: try_to_free_buffers(): fails
     * if a buffer is busy; otherwise drops the buffers, clears PG_private and, since every buffer
     * was clean, PG_dirty too, and drops the buffers' reference (with {@code __put_page}: every
     * caller holds a reference of its own). Returns whether the buffers are gone.
     */
    public boolean tryToReleasePage(Cpu cpu, Page page) {
        cpu.step(BUSY, page, Access.PRIVATE, Access.READ);
        if (page.privateData() == 2) {
            return false;
        }
        page.setPrivateData(0);
        page.clearFlag(cpu, CLEAN, PageFlags.PG_dirty);
        page.clearFlag(cpu, CLEAR_PRIVATE, PageFlags.PG_private);
        page.putPageNoTest(cpu, PUT);
        return true;
    }
}
