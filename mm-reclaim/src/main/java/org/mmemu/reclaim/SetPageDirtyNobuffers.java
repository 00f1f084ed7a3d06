package org.mmemu.reclaim;

import static org.mmemu.core.page.PageFlags.PG_dirty;

import org.mmemu.core.KernelProfile;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.page.Page;

/**
 * include/linux/mm.h: __set_page_dirty_nobuffers() (2.5.31), declared there and defined in
 * mm/page-writeback.c: the set_page_dirty() of a mapping without buffers, as zap_pte_range()
 * calls it on a page it has not locked.
 *
 * <p>Where versions differ: 2.5.31's form is changeset f97b42b287; 2.5.30's is the one before it.
 * 2.5.31's form comes from "fix a race between set_page_dirty and
 * truncate" (f97b42b287, Andrew Morton, 10 Aug 2002); both were read at f97b42b287^ and
 * f97b42b287 in the history-token repository.
 *
 * <p>Departures: {@code __mark_inode_dirty(mapping->host, I_DIRTY_PAGES)} makes no step (no
 * inode is emulated); {@code page_lock} is a spinlock, not the rwlock's write side; without
 * {@code machine: page-lists} the move between the mapping's lists makes no step
 * ({@link PageLists}).
 */
public final class SetPageDirtyNobuffers {
    private static final Site TEST_SET = Site.of("__set_page_dirty_nobuffers", "TestSetPageDirty(page)");
    private static final Site MAPPING = Site.of("__set_page_dirty_nobuffers", "mapping = page->mapping");
    /** Marked {@code data_race()} where the mapping is looked at again under page_lock (f97b42b287). */
    private static final Site MAPPING_RECHECKED = MAPPING.dataRace();
    private static final Site RECHECK = Site.of("__set_page_dirty_nobuffers", "if (page->mapping) (race with truncate?)");
    private static final Site DEL = Site.of("__set_page_dirty_nobuffers", "list_del(&page->list)");
    private static final Site ADD = Site.of("__set_page_dirty_nobuffers", "list_add(&page->list, &mapping->dirty_pages)");

    private SetPageDirtyNobuffers() {
    }

    /**
     * include/linux/mm.h: __set_page_dirty_nobuffers() (2.5.31; defined in mm/page-writeback.c), on
     * the form of the kernel of {@code profile}.
     *
     * <p>On a kernel with {@code profile} (2.5.30's form before changeset f97b42b287):
     * {@code TestSetPageDirty}; if the page was clean, {@code mapping = page->mapping} (a plain
     * load); if that is non-NULL, under {@code mapping->page_lock} the page moves to
     * {@code dirty_pages}, on 2.5.31 on ({@code RmapShape.setPageDirtyRechecksMapping}) only if
     * {@code page->mapping} is still set: truncate may have taken the page out of the cache while
     * this CPU spun on the lock.
     */
    public static void setPageDirtyNobuffers(Cpu cpu, Page page, KernelProfile profile) {
        if (page.testSetFlag(cpu, TEST_SET, PG_dirty)) {
            return;
        }
        boolean recheck = profile.rmap().setPageDirtyRechecksMapping();
        if (!(page.mapping(cpu, recheck ? MAPPING_RECHECKED : MAPPING) instanceof AddressSpace mapping)) {
            return;
        }
        mapping.pageLock().spinLock(cpu);
        if (!recheck || page.mapping(cpu, RECHECK) != null) {
            mapping.moveToDirtyPages(cpu, page, DEL, ADD);
        }
        mapping.pageLock().spinUnlock(cpu);
    }
}
