package org.mmemu.reclaim;

import java.util.HashMap;
import java.util.Map;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.PageFlags;
import org.mmemu.core.sync.SpinLock;

/**
 * {@code struct address_space} and the page-cache functions of mm/filemap.c (2.5.31): the pages
 * of one file (or of swap, for {@code swapper_space}), each holding one reference for the cache,
 * {@code page->mapping} and {@code page->index} pointing back, all under
 * {@code mapping->page_lock}.
 *
 * <p>Departures, both shims: the radix tree is a hash map (a lookup, an insert or a delete is one
 * step on the mapping, as one tree walk under the lock); {@code page_lock} was an
 * {@code rwlock_t} in 2.5.31 and is a spinlock here, so readers serialise (no reader of this
 * emulation needs to run beside another).
 */
public final class AddressSpace {
    /** {@code -EEXIST}. */
    public static final int EEXIST = 17;

    private static final Site LOOKUP = Site.of("radix_tree_lookup", "mapping->page_tree");
    private static final Site INSERT = Site.of("radix_tree_insert", "mapping->page_tree");
    private static final Site DELETE = Site.of("radix_tree_delete", "mapping->page_tree");
    private static final Site FIND_GET = Site.of("find_get_page", "page_cache_get(page)");
    private static final Site ADD_GET = Site.of("add_to_page_cache", "page_cache_get(page)");
    private static final Site ADD_PUT = Site.of("add_to_page_cache", "page_cache_release(page)");
    private static final Site ADD_LOCKED = Site.of("add_to_page_cache", "SetPageLocked(page)");
    private static final Site ADD_MAPPING = Site.of("___add_to_page_cache", "page->mapping = mapping");
    private static final Site DEL_MAPPING = Site.of("__remove_from_page_cache", "page->mapping = NULL");
    private static final Site NRPAGES = Site.of("___add_to_page_cache", "mapping->nrpages++");
    private static final Site NRPAGES_DEC = Site.of("__remove_from_page_cache", "mapping->nrpages--");
    private static final Site TR_GET = Site.of("truncate_list_pages", "page_cache_get(page)");
    private static final Site TR_LOCK = Site.of("truncate_list_pages", "failed = TestSetPageLocked(page)");
    private static final Site TR_WRITEBACK = Site.of("truncate_list_pages", "PageWriteback(page)");
    private static final Site TR_WAIT = Site.of("truncate_list_pages", "wait_on_page_locked(page)");
    private static final Site TR_DIRTY = Site.of("truncate_complete_page", "ClearPageDirty(page)");
    private static final Site TR_UPTODATE = Site.of("truncate_complete_page", "ClearPageUptodate(page)");
    private static final Site TR_PRIVATE = Site.of("truncate_complete_page", "PagePrivate(page)");
    private static final Site I_MMAP = Site.of("page_mapping_inuse", "list_empty(&mapping->i_mmap)");
    private static final Site I_MMAP_SHARED = Site.of("page_mapping_inuse", "list_empty(&mapping->i_mmap_shared)");
    private static final Site TR_UNLOCK = Site.of("truncate_list_pages", "unlock_page(page)");

    private final LruOps lruOps;
    private final Writeback writeback;
    private final Rmap rmap;
    private final Buffers buffers;
    private final String name;
    private final boolean swapper;
    private final SpinLock pageLock;
    private final Map<Long, Page> pageTree = new HashMap<>();
    /** {@code clean_pages}/{@code dirty_pages} through {@code page->list}, or null when not kept ({@link PageLists}). */
    private final PageLists lists;
    private int nrpages;

    /** A mapping of the page cache; files are made by {@link Reclaim#fileMapping}. */
    AddressSpace(LruOps lruOps, Writeback writeback, Rmap rmap, Buffers buffers, String name,
                 boolean swapper) {
        this(lruOps, writeback, rmap, buffers, name, swapper, null);
    }

    /** The same, keeping the page lists {@code lists} (null: none). */
    AddressSpace(LruOps lruOps, Writeback writeback, Rmap rmap, Buffers buffers, String name,
                 boolean swapper, PageLists lists) {
        this.lists = lists;
        this.lruOps = lruOps;
        this.writeback = writeback;
        this.rmap = rmap;
        this.buffers = buffers;
        this.name = name;
        this.swapper = swapper;
        this.pageLock = new SpinLock(name + "->page_lock");
    }

    /**
     * Shim for {@code mapping->i_mmap} / {@code mapping->i_mmap_shared} (include/linux/fs.h,
     * 2.5.31 to 2.6.7): the lists of the private and shared vmas that map this file, kept as
     * counts (the vmas themselves are not emulated). {@link #mmap}/{@link #munmap} stand for
     * {@code __vma_link_file()} / {@code __remove_shared_vm_struct()}.
     */
    private volatile int iMmap;
    private volatile int iMmapShared;

    /** Adds a private ({@code shared} false) or shared vma mapping this file. One step. */
    public void mmap(Cpu cpu, boolean shared) {
        cpu.step(shared ? I_MMAP_SHARED : I_MMAP, this, Access.WRITE);
        if (shared) {
            iMmapShared++;
        } else {
            iMmap++;
        }
    }

    /** Removes a vma added by {@link #mmap}. One step. */
    public void munmap(Cpu cpu, boolean shared) {
        cpu.step(shared ? I_MMAP_SHARED : I_MMAP, this, Access.WRITE);
        if (shared) {
            iMmapShared--;
        } else {
            iMmap--;
        }
    }

    /**
     * {@code list_empty(&mapping->i_mmap)} ({@code shared} false) or
     * {@code list_empty(&mapping->i_mmap_shared)}: one load.
     */
    public boolean iMmapEmpty(Cpu cpu, boolean shared) {
        cpu.step(shared ? I_MMAP_SHARED : I_MMAP, this, Access.READ);
        return (shared ? iMmapShared : iMmap) == 0;
    }

    public String name() {
        return name;
    }

    /** Whether this is {@code swapper_space}. */
    public boolean isSwapper() {
        return swapper;
    }

    /** {@code mapping->page_lock}. */
    public SpinLock pageLock() {
        return pageLock;
    }

    /** {@code mapping->nrpages}, without a step. */
    public int nrpages() {
        return nrpages;
    }

    /** The page at {@code index}, without steps or a reference: for checks. */
    public Page pageQuietly(long index) {
        synchronized (pageTree) {
            return pageTree.get(index);
        }
    }

    /**
     * Setup, not kernel: puts {@code page}, whose {@code page->mapping} already names this space,
     * into the tree at the next free index (the number of pages before it), without steps, as
     * {@code add_to_page_cache()} would have left it. For a scenario's pages of a named mapping.
     */
    public void addQuietly(Page page) {
        synchronized (pageTree) {
            long index = nrpages;
            while (pageTree.containsKey(index)) {
                index++;
            }
            pageTree.put(index, page);
            page.setIndex(index);
        }
        nrpages++;
        if (lists != null) {
            lists.addQuietly(page, page.hasFlag(PageFlags.PG_dirty));
        }
    }

    /** The page lists this mapping keeps, or null ({@code machine: page-lists}). */
    public PageLists pageLists() {
        return lists;
    }

    /**
     * __set_page_dirty_nobuffers()'s move of {@code page} to {@code dirty_pages}, page_lock held
     * by the caller: {@code list_del(&page->list)} and {@code list_add()} at the given sites; no
     * step when the lists are not kept.
     */
    void moveToDirtyPages(Cpu cpu, Page page, Site del, Site add) {
        if (lists != null) {
            lists.moveToDirty(cpu, page, del, add);
        }
    }

    /** mm/filemap.c: find_get_page() (2.5.31): the page at {@code index} with a reference, or null. */
    public Page findGetPage(Cpu cpu, long index) {
        pageLock.spinLock(cpu);
        cpu.step(LOOKUP, this, Access.READ);
        Page page;
        synchronized (pageTree) {
            page = pageTree.get(index);
        }
        if (page != null) {
            page.pageCacheGet(cpu, FIND_GET);
        }
        pageLock.spinUnlock(cpu);
        return page;
    }

    /**
     * mm/filemap.c: add_to_page_cache() (2.5.31): takes the cache's reference, inserts the page
     * under page_lock, locks it (the caller will read it in) and points it at the mapping.
     * Returns 0, or {@link #EEXIST} when another page is already at {@code index}.
     */
    public int addToPageCache(Cpu cpu, Page page, long index) {
        page.pageCacheGet(cpu, ADD_GET);
        pageLock.spinLock(cpu);
        cpu.step(INSERT, this, Access.WRITE);
        boolean inserted;
        synchronized (pageTree) {
            inserted = pageTree.putIfAbsent(index, page) == null;
        }
        if (inserted) {
            page.setFlag(cpu, ADD_LOCKED, PageFlags.PG_locked);
            if (lists != null) {
                lists.addClean(cpu, page);
            }
            page.setMapping(cpu, ADD_MAPPING, this);
            page.setIndex(index);
            cpu.step(NRPAGES, this, Access.WRITE);
            nrpages++;
        } else {
            page.putPageNoTest(cpu, ADD_PUT);
        }
        pageLock.spinUnlock(cpu);
        return inserted ? 0 : EEXIST;
    }

    /** mm/filemap.c: add_to_page_cache_lru() (2.5.32): add_to_page_cache, then lru_cache_add. */
    public int addToPageCacheLru(Cpu cpu, Page page, long index) {
        int err = addToPageCache(cpu, page, index);
        if (err == 0) {
            lruOps.lruCacheAdd(cpu, page);
        }
        return err;
    }

    /**
     * mm/filemap.c: __remove_from_page_cache() (2.5.31), with page_lock held: out of the tree,
     * {@code page->mapping = NULL}. The caller drops the cache's reference.
     */
    public void removeFromPageCacheLocked(Cpu cpu, Page page) {
        cpu.step(DELETE, this, Access.WRITE);
        synchronized (pageTree) {
            pageTree.remove(page.index());
        }
        if (lists != null) {
            lists.del(cpu, page);
        }
        page.setMapping(cpu, DEL_MAPPING, null);
        cpu.step(NRPAGES_DEC, this, Access.WRITE);
        nrpages--;
    }

    /** mm/filemap.c: remove_from_page_cache() (2.5.31): the same under page_lock. */
    public void removeFromPageCache(Cpu cpu, Page page) {
        pageLock.spinLock(cpu);
        removeFromPageCacheLocked(cpu, page);
        pageLock.spinUnlock(cpu);
    }

    /**
     * mm/filemap.c: truncate_inode_pages() (2.5.32-2.5.33) over truncate_list_pages() and
     * truncate_complete_page(), for a whole-page {@code start} (no partial page). Under
     * {@code mapping->page_lock}: take the first page at or past {@code start}, get a reference,
     * {@code TestSetPageLocked()}; a page under writeback is unlocked and waited on, a page
     * someone else has locked is waited on ({@code wait_on_page_locked()}); otherwise, with the
     * mapping unlocked, the page is truncated ({@code truncate_complete_page()}: buffers
     * invalidated, {@code ClearPageDirty}, {@code ClearPageUptodate},
     * {@code remove_from_page_cache()} (which clears {@code page->mapping} under
     * {@code page_lock}), the cache's reference dropped) and unlocked; the lookup's reference is
     * dropped and the walk restarts from the head, as the kernel's {@code goto restart}.
     * <p>Departures: the mapping's four page lists are one walk in index order (the kernel goes
     * io, dirty, clean, locked pages, each from the head); {@code page_lock} is a spinlock, not
     * 2.5's rwlock; {@code vmtruncate()}'s {@code zap_page_range()} before the call is folded in
     * as an unmap of the locked page (pages are mapped only through the rmap shim);
     * {@code clean_list_pages()} (a {@code ClearPageDirty} of each page past {@code start},
     * before the walk) is not made; the {@code need_resched()} check makes no step. 2.5.31
     * also took the page off the LRU ({@code lru_cache_del}) here; the pagevec series (2.5.32)
     * left that to the last {@code page_cache_release()}, and that is the form run.
     */
    public void truncateInodePages(Cpu cpu, long start) {
        pageLock.spinLock(cpu);
        for (;;) {
            Page page = firstPageFrom(cpu, start);
            if (page == null) {
                break;
            }
            page.pageCacheGet(cpu, TR_GET);
            boolean failed = page.testSetPageLocked(cpu, TR_LOCK);
            if (!failed && page.pageWriteback(cpu, TR_WRITEBACK)) {
                page.unlockPage(cpu, TR_UNLOCK);
                pageLock.spinUnlock(cpu);
                writeback.waitOnPageWriteback(cpu, page);
                lruOps.pageCacheRelease(cpu, page);
                pageLock.spinLock(cpu);
                continue;
            }
            pageLock.spinUnlock(cpu);
            if (!failed) {
                truncateCompletePage(cpu, page);
                page.unlockPage(cpu, TR_UNLOCK);
            } else {
                page.waitOnPageLocked(cpu, TR_WAIT);
            }
            lruOps.pageCacheRelease(cpu, page);
            pageLock.spinLock(cpu);
        }
        pageLock.spinUnlock(cpu);
    }

    /** truncate_list_pages()'s walk to the next page to truncate: one load of the list, the lowest index at or past {@code start}. */
    private Page firstPageFrom(Cpu cpu, long start) {
        cpu.step(LOOKUP, this, Access.READ);
        Page first = null;
        synchronized (pageTree) {
            for (Map.Entry<Long, Page> e : pageTree.entrySet()) {
                if (e.getKey() >= start && (first == null || e.getKey() < first.index())) {
                    first = e.getValue();
                }
            }
        }
        return first;
    }

    /**
     * mm/filemap.c: truncate_complete_page() (2.5.32-2.5.33), the page locked by the caller:
     * buffers invalidated when it has them ({@code do_invalidatepage()}; busy buffers keep
     * PG_private and the page loses only its mapping, the case shrink_list's
     * {@code !mapping && count == 1} frees), cleaned, out of the cache, the cache's reference
     * dropped.
     */
    private void truncateCompletePage(Cpu cpu, Page page) {
        rmap.unmapAll(cpu, page);
        if (page.testFlag(cpu, TR_PRIVATE, PageFlags.PG_private)) {
            buffers.tryToReleasePage(cpu, page);
        }
        page.clearFlag(cpu, TR_DIRTY, PageFlags.PG_dirty);
        page.clearFlag(cpu, TR_UPTODATE, PageFlags.PG_uptodate);
        removeFromPageCache(cpu, page);
        lruOps.pageCacheRelease(cpu, page);
    }

    @Override
    public String toString() {
        return name;
    }
}
