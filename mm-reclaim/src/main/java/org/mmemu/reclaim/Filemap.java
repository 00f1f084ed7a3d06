package org.mmemu.reclaim;

import org.mmemu.core.Machine;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.PageFlags;

/**
 * The page-cache paths of mm/filemap.c (2.5.31) that the workloads drive, one page at a time:
 * a read ({@code do_generic_file_read}) and a write that dirties the page
 * ({@code generic_file_write} → {@code set_page_dirty}). The disk is a shim: a read completes
 * at once ({@code ->readpage} sets PG_uptodate and unlocks the page).
 */
public final class Filemap {
    private static final Site UPTODATE = Site.of("readpage", "SetPageUptodate(page)");
    private static final Site UNLOCK = Site.of("readpage", "unlock_page(page)");
    private static final Site DIRTY = Site.of("set_page_dirty", "SetPageDirty(page)");
    private static final Site PUT_NEW = Site.of("do_generic_file_read", "page_cache_release(cached_page)");

    private final Machine machine;
    private final LruOps lruOps;

    /** The page cache side of {@code machine}, releasing through {@code lruOps}; made by {@link Reclaim#filemap()}. */
    Filemap(Machine machine, LruOps lruOps) {
        this.machine = machine;
        this.lruOps = lruOps;
    }

    /** What a one-page read found. */
    public enum Result { HIT, MISS, NOMEM }

    /**
     * mm/filemap.c: do_generic_file_read() (2.5.31), for page {@code index} of {@code mapping}:
     * a cached page is marked accessed; a missing one is allocated, added to the page cache and
     * the LRU, read in and marked accessed. Either way the read's own reference is dropped at the
     * end, leaving the cache's.
     */
    public Result read(Cpu cpu, AddressSpace mapping, long index) {
        Got got = getPage(cpu, mapping, index);
        if (got == null) {
            return Result.NOMEM;
        }
        lruOps.markPageAccessed(cpu, got.page);
        lruOps.pageCacheRelease(cpu, got.page);
        return got.fresh ? Result.MISS : Result.HIT;
    }

    /**
     * mm/filemap.c: generic_file_write() → set_page_dirty() (2.5.31), for one page: the page
     * is read in if missing, then dirtied. False if no page could be allocated.
     */
    public boolean write(Cpu cpu, AddressSpace mapping, long index) {
        Got got = getPage(cpu, mapping, index);
        if (got == null) {
            return false;
        }
        Page page = got.page;
        page.setFlag(cpu, DIRTY, PageFlags.PG_dirty);
        lruOps.markPageAccessed(cpu, page);
        lruOps.pageCacheRelease(cpu, page);
        return true;
    }

    /** A page with the reader's reference, and whether it was read in just now. */
    private record Got(Page page, boolean fresh) {
    }

    /** find_get_page, or page_cache_alloc + add_to_page_cache_lru + readpage; with a reference. */
    private Got getPage(Cpu cpu, AddressSpace mapping, long index) {
        for (;;) {
            Page page = mapping.findGetPage(cpu, index);
            if (page != null) {
                return new Got(page, false);
            }
            Page cached = machine.pageAlloc().allocPage(cpu, Gfp.GFP_HIGHUSER);
            if (cached == null) {
                return null;
            }
            if (mapping.addToPageCacheLru(cpu, cached, index) == 0) {
                // ->readpage(): the shim disk answers at once.
                cached.setFlag(cpu, UPTODATE, PageFlags.PG_uptodate);
                cached.unlockPage(cpu, UNLOCK);
                return new Got(cached, true);
            }
            // Raced with another reader: drop ours and look again.
            lruOps.pageCacheRelease(cpu, cached);
            cpu.local(PUT_NEW);
        }
    }
}
