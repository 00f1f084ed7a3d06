package org.mmemu.reclaim;

import static org.mmemu.core.page.PageFlags.PG_active;
import static org.mmemu.core.page.PageFlags.PG_dirty;
import static org.mmemu.core.page.PageFlags.PG_lru;
import static org.mmemu.core.page.PageFlags.PG_private;
import static org.mmemu.core.page.PageFlags.PG_slab;
import static org.mmemu.core.page.PageFlags.PG_writeback;

import org.mmemu.core.Machine;
import org.mmemu.core.ReclaimShape;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.VmStat;
import org.mmemu.pagevec.Pagevec;
import org.mmemu.slab.SlabAllocator;

/**
 * mm/vmscan.c's {@code shrink_list()} and its helpers {@code page_mapping_inuse()} and
 * {@code is_page_cache_freeable()} (BK 18 Aug 2002 to 2.6.7), at the version the machine's kernel
 * profile names ({@link ReclaimShape}): what becomes of each page of a batch that shrink_cache()
 * ({@link ShrinkCacheScan}) has isolated. A page nobody else wants leaves the page or swap cache and is
 * freed through {@code __pagevec_release_nonlru()}; the rest stay on the list for the caller to put
 * back. Works only on pages already off the LRU; uses no other part of reclaim. Split out of
 * {@link Vmscan} (mm/vmscan.c) as the kernel's functions divide it.
 */
final class ShrinkList {
    private static final Site SL_EMPTY = Site.of("shrink_list", "list_empty(page_list)");
    private static final Site SL_TAIL = Site.of("shrink_list", "page = list_entry(page_list->prev)");
    private static final Site SL_DEL = Site.of("shrink_list", "list_del(&page->lru)");
    private static final Site SL_LOCK = Site.of("shrink_list", "TestSetPageLocked(page)");
    private static final Site SL_ACTIVE = Site.of("shrink_list", "BUG_ON(PageActive(page))");
    private static final Site SL_SLAB = Site.of("shrink_list", "PageSlab(page)");
    private static final Site SL_WB = Site.of("shrink_list", "PageWriteback(page)");
    private static final Site SL_MAPPING = Site.of("shrink_list", "mapping = page->mapping");
    private static final Site IN_MAPPING = Site.of("page_mapping_inuse", "mapping = page->mapping");
    private static final Site SL_PRIVATE = Site.of("shrink_list", "PagePrivate(page)");
    private static final Site SL_DIRTY = Site.of("shrink_list", "PageDirty(page)");
    private static final Site SL_COUNT = Site.of("shrink_list", "page_count(page)");
    private static final Site SL_INDEX = Site.of("shrink_list", "swp_entry_t swap = { .val = page->index }");
    private static final Site SL_PUT = Site.of("shrink_list", "__put_page(page) /* The pagecache ref */");
    private static final Site SL_UNLOCK = Site.of("shrink_list", "unlock_page(page)");
    private static final Site SL_SETACTIVE = Site.of("shrink_list", "SetPageActive(page)");
    private static final Site SL_KEEP = Site.of("shrink_list", "list_add(&page->lru, &ret_pages)");
    private static final Site SL_KEEP_LRU = Site.of("shrink_list", "BUG_ON(PageLRU(page))");
    private static final Site SL_SPLICE = Site.of("shrink_list", "list_splice(&ret_pages, page_list)");

    private final Machine machine;
    private final ReclaimShape shape;
    private final LruOps ops;
    private final Writeback writeback;
    private final SwapState swap;
    private final Rmap rmap;
    private final Buffers buffers;
    private final VmStat vmstat;

    ShrinkList(Machine machine, ReclaimShape shape, LruOps ops, Writeback writeback, SwapState swap, Rmap rmap,
               Buffers buffers) {
        this.machine = machine;
        this.shape = shape;
        this.ops = ops;
        this.writeback = writeback;
        this.swap = swap;
        this.rmap = rmap;
        this.buffers = buffers;
        this.vmstat = machine.pageAlloc().vmstat();
    }

    /** The outcomes of one page in shrink_list, named by the kernel's labels. */
    enum Outcome { KEEP, KEEP_LOCKED, ACTIVATE_LOCKED, FREE_IT, PAGECACHE_FREE }

    /**
     * mm/vmscan.c: shrink_list() (BK 18 Aug 2002 to 2.6.7; the mapping re-read after
     * add_to_swap() from "swapout fix", changeset 47, {@link #shrinkOne}): every isolated page
     * either goes (out of the page or swap cache, the pagecache reference dropped, freed through
     * {@code __pagevec_release_nonlru}) or stays on {@code pageList} for the caller to put back,
     * marked active if it was in use. Returns how many of {@code nrPages} are still to be freed.
     */
    public int shrinkList(Cpu cpu, ListHead pageList, int nrPages, int gfpMask, int[] maxScan) {
        ListHead retPages = new ListHead();
        Pagevec freedPvec = new Pagevec();
        int nrPagesIn = nrPages;
        int pgactivate = 0;

        freedPvec.pagevecInit();
        for (;;) {
            boolean fold = LongList.begin(cpu, LongList.tailIsFiller(pageList));
            try {
                if (pageList.listEmpty(cpu, SL_EMPTY)) {
                    break;
                }
                Outcome o = shrinkListOne(cpu, pageList, retPages, freedPvec, gfpMask, maxScan);
                if (o == Outcome.FREE_IT || o == Outcome.PAGECACHE_FREE) {
                    nrPages--;
                } else if (o == Outcome.ACTIVATE_LOCKED) {
                    pgactivate++;
                }
            } finally {
                LongList.end(cpu, fold);
            }
        }
        pageList.listSplice(cpu, SL_SPLICE, retPages);
        if (freedPvec.pagevecCount() != 0) {
            ops.pagevecReleaseNonlru(cpu, freedPvec);
        }
        vmstat.add(VmStat.Item.pgsteal, nrPagesIn - nrPages);
        vmstat.add(VmStat.Item.pgactivate, pgactivate);
        return nrPages;
    }

    /**
     * One pass of shrink_list()'s loop: the page at the tail of {@code pageList} is taken off,
     * decided on, and either queued on {@code freedPvec} ({@code free_it:}) or kept on
     * {@code retPages}. Returns the page's outcome.
     */
    private Outcome shrinkListOne(Cpu cpu, ListHead pageList, ListHead retPages, Pagevec freedPvec, int gfpMask,
                                  int[] maxScan) {
        {
            cpu.step(SL_TAIL, pageList, Access.READ);
            Page page = pageList.tailEntry(cpu, SL_TAIL, Page.class);
            page.listDel(cpu, SL_DEL);
            Outcome o = shrinkOne(cpu, page, gfpMask, maxScan);
            switch (o) {
                case FREE_IT, PAGECACHE_FREE -> {
                    // free_it:
                    page.unlockPage(cpu, SL_UNLOCK);
                    if (freedPvec.pagevecAdd(page) == 0) {
                        ops.pagevecReleaseNonlru(cpu, freedPvec);
                    }
                    return o;
                }
                case ACTIVATE_LOCKED -> {
                    page.setFlag(cpu, SL_SETACTIVE, PG_active);
                    page.unlockPage(cpu, SL_UNLOCK);
                }
                case KEEP_LOCKED -> page.unlockPage(cpu, SL_UNLOCK);
                case KEEP -> { }
                default -> throw new AssertionError(o);
            }
            // keep:
            retPages.listAdd(cpu, SL_KEEP, page);
            if (page.testFlag(cpu, SL_KEEP_LRU, PG_lru)) {
                throw cpu.detectors().kernelBug(cpu, page.pfn(), SL_KEEP_LRU, "shrink_list: PageLRU(page) on keep");
            }
            return o;
        }
    }

    /**
     * mm/vmscan.c: shrink_list() loop body (BK 18 Aug 2002 to 2.6.7; changeset 47 for the
     * re-read of {@code page->mapping} after add_to_swap(), {@link ReclaimShape#rereadMappingAfterAddToSwap()}):
     * for one page that is off every list, decides its outcome
     * and does everything up to the labels ({@code free_it:}, {@code activate_locked:},
     * {@code keep_locked:}, {@code keep:}), which the caller runs.
     */
    Outcome shrinkOne(Cpu cpu, Page page, int gfpMask, int[] maxScan) {
        if (page.testSetPageLocked(cpu, SL_LOCK)) {
            return Outcome.KEEP;
        }
        if (page.testFlag(cpu, SL_ACTIVE, PG_active)) {
            throw cpu.detectors().kernelBug(cpu, page.pfn(), SL_ACTIVE, "shrink_list: PageActive(page)");
        }
        SlabAllocator slab = machine.extensionOrNull(SlabAllocator.class);
        if (slab != null && slab.options().slabOnLru() && page.testFlag(cpu, SL_SLAB, PG_slab)) {
            // slablru (Ed Tomlinson, 2.5.32-mm1; docs/FIDELITY.md): a slab page on the LRU is not
            // page cache; its cache decides whether the slab can go (free or pruned empty),
            // shrank (some objects pruned) or is busy. Never in mainline, so a machine without
            // the option has no such test and no such step.
            SlabAllocator.SlabPageVerdict v = slab.reclaimSlabPage(cpu, page, gfpMask);
            return v.freeIt() ? Outcome.FREE_IT
                    : v == SlabAllocator.SlabPageVerdict.BUSY ? Outcome.ACTIVATE_LOCKED : Outcome.KEEP_LOCKED;
        }
        boolean mayEnterFs = (gfpMask & Gfp.__GFP_FS) != 0
                || (swap.pageSwapCache(cpu, page) && (gfpMask & Gfp.__GFP_IO) != 0);

        if (page.testFlag(cpu, SL_WB, PG_writeback)) {
            // The kernel waits here when it may enter the fs; see {@link Vmscan}'s class comment.
            return Outcome.KEEP_LOCKED;
        }

        rmap.pteChainLock(cpu, page);
        if (rmap.pageReferenced(cpu, page) > 0 && pageMappingInuse(cpu, page)) {
            // In active use or really unfreeable. Activate it.
            rmap.pteChainUnlock(cpu, page);
            return Outcome.ACTIVATE_LOCKED;
        }
        Object mapping = page.mapping(cpu, SL_MAPPING);

        // Anonymous process memory without backing store: try to give it swap space.
        if (rmap.pageMapped(cpu, page) && mapping == null && !page.testFlag(cpu, SL_PRIVATE, PG_private)) {
            rmap.pteChainUnlock(cpu, page);
            if (!swap.addToSwap(cpu, page)) {
                return Outcome.ACTIVATE_LOCKED;
            }
            rmap.pteChainLock(cpu, page);
            // "swapout fix" (changeset 47, 19 Sep 2002; 2.5.39 l.134, 2.6.0 l.245; 2.6.6/2.6.7's
            // page_mapping() after the block): before it the local stays NULL, so the page just
            // given swap space is neither unmapped nor written and goes to keep_locked below
            if (shape.rereadMappingAfterAddToSwap()) {
                mapping = page.mapping(cpu, SL_MAPPING);
            }
            // 2.6.6 (l.~290) and 2.6.7 (l.316-318) compute may_enter_fs after add_to_swap: a page
            // just added to the swap cache may be written by a __GFP_IO caller
            if (shape.loops().atLeast(ReclaimShape.Loops.V2_6_6)) {
                mayEnterFs = (gfpMask & Gfp.__GFP_FS) != 0
                        || (swap.pageSwapCache(cpu, page) && (gfpMask & Gfp.__GFP_IO) != 0);
            }
        }

        // The page is mapped into the page tables of one or more processes: unmap it
        // (if (page->pte.chain && mapping), every version: 2.5.33 l.123, 2.6.7 page_mapped).
        if (rmap.pageMapped(cpu, page) && mapping != null) {
            switch (rmap.tryToUnmap(cpu, page)) {
                case SWAP_ERROR, SWAP_FAIL -> {
                    rmap.pteChainUnlock(cpu, page);
                    return Outcome.ACTIVATE_LOCKED;
                }
                case SWAP_AGAIN -> {
                    rmap.pteChainUnlock(cpu, page);
                    return Outcome.KEEP_LOCKED;
                }
                case SWAP_SUCCESS -> { }
                default -> throw new AssertionError();
            }
        }
        rmap.pteChainUnlock(cpu, page);

        // Dirty, freeable, with a mapping and allowed into the fs: start writeback and keep it.
        if (page.testFlag(cpu, SL_DIRTY, PG_dirty) && isPageCacheFreeable(cpu, page) && mapping != null
                && mayEnterFs) {
            writeback.vmWriteback(cpu, page);
            maxScan[0] -= 1; // *max_scan -= cluster_size - nr_to_write: one page written
            return Outcome.KEEP;
        }

        // Buffers: drop them if they are clean; a page without a mapping may then go at once.
        if (page.testFlag(cpu, SL_PRIVATE, PG_private)) {
            if (!buffers.tryToReleasePage(cpu, page)) {
                return Outcome.KEEP_LOCKED;
            }
            if (mapping == null && page.pageCount(cpu, SL_COUNT) == 1) {
                return Outcome.FREE_IT;
            }
        }

        if (mapping == null) {
            return Outcome.KEEP_LOCKED; // truncate got there first
        }

        AddressSpace as = (AddressSpace) mapping;
        as.pageLock().spinLock(cpu);
        // The non-racy check for a busy page: pagecache + us == 2, and clean.
        if (page.pageCount(cpu, SL_COUNT) != 2 || page.testFlag(cpu, SL_DIRTY, PG_dirty)) {
            as.pageLock().spinUnlock(cpu);
            return Outcome.KEEP_LOCKED;
        }
        if (swap.pageSwapCache(cpu, page)) {
            cpu.step(SL_INDEX, page, Access.INDEX, Access.READ);
            long entry = page.index();
            swap.deleteFromSwapCacheLocked(cpu, page);
            as.pageLock().spinUnlock(cpu);
            swap.swapFree(cpu, entry);
        } else {
            as.removeFromPageCacheLocked(cpu, page);
            as.pageLock().spinUnlock(cpu);
        }
        page.putPageNoTest(cpu, SL_PUT); // the pagecache reference
        return Outcome.PAGECACHE_FREE;
    }

    /**
     * mm/vmscan.c: page_mapping_inuse() (2.5.31 to 2.6.7; 2.6.0 adds the PageSwapCache test,
     * 2.6.6 reads the mapping through page_mapping() after it): whether the page is in use
     * through a mapping, pte-chain lock held: mapped into page tables, or (2.6.0 on) in the swap
     * cache, or its file is mmap'd by somebody ({@code !list_empty(&mapping->i_mmap) ||
     * !list_empty(&mapping->i_mmap_shared)}, {@link AddressSpace#iMmapEmpty}). 2.5.x and 2.6.0
     * load {@code page->mapping} first, at the declaration (2.5.33 l.66-75, 2.6.0 l.158-170);
     * 2.6.6/2.6.7 after the swap-cache test (2.6.7 l.155-165).
     */
    boolean pageMappingInuse(Cpu cpu, Page page) {
        boolean late = shape.loops().atLeast(ReclaimShape.Loops.V2_6_6);
        Object mapping = late ? null : page.mapping(cpu, IN_MAPPING);
        if (rmap.pageMapped(cpu, page)) {
            return true; // Page is in somebody's page tables.
        }
        if (shape.inuseTestsSwapCache() && swap.pageSwapCache(cpu, page)) {
            return true; // Be more reluctant to reclaim swapcache than pagecache
        }
        if (late) {
            mapping = page.mapping(cpu, IN_MAPPING);
        }
        if (!(mapping instanceof AddressSpace as)) {
            return false;
        }
        // File is mmap'd by somebody.
        return !as.iMmapEmpty(cpu, false) || !as.iMmapEmpty(cpu, true);
    }

    /** mm/vmscan.c: is_page_cache_freeable() (2.5.31): {@code page_count - !!PagePrivate == 2}. */
    private boolean isPageCacheFreeable(Cpu cpu, Page page) {
        int c = page.pageCount(cpu, SL_COUNT);
        return c - (page.testFlag(cpu, SL_PRIVATE, PG_private) ? 1 : 0) == 2;
    }
}
