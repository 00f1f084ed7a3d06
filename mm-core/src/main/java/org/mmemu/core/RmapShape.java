package org.mmemu.core;

/**
 * The reverse-mapping and page-cache choices a kernel makes by version, around mm/vmscan.c's
 * refill of the inactive list, mm/rmap.c's {@code page_referenced()} and mm/page-writeback.c's
 * {@code set_page_dirty()} against truncate: one component of
 * {@link KernelProfile}, {@link KernelProfile#rmap()}, made by {@link #of(String)}; compositions
 * change it with the {@code with...} methods.
 *
 * <p>Emulator, not a mirror. Each field names the commits behind it (ids of the public
 * history-token repository, docs/FIDELITY.md).
 *
 * @param refillChainTrylock mm/vmscan.c: refill_inactive() takes a mapped page's chain lock
 *                           with a bare {@code test_and_set_bit(PG_chainlock, &page->flags)}
 *                           as a trylock (a page whose bit is set goes back to the active list
 *                           unexamined), from "multithread page reclaim" (637e8ec953, changeset
 *                           02, 14 Aug 2002) to "fix uniprocessor lockups" (ed612d3580, 19 Aug
 *                           2002, 2.5.32), which made it {@code pte_chain_lock()}: the BK tree of
 *                           18 Aug ({@code 2.5.31-bk}) only. -mm1 (21 Aug) had the fix
 * @param pageReferenced     which form of mm/rmap.c's page_referenced() refill calls
 *                           ({@link PageReferenced})
 * @param setPageDirtyRechecksMapping mm/page-writeback.c: __set_page_dirty_nobuffers() looks
 *                           at {@code page->mapping} again under {@code mapping->page_lock}
 *                           before moving the page to {@code mapping->dirty_pages} ("fix a race
 *                           between set_page_dirty and truncate", f97b42b287, 10 Aug 2002,
 *                           2.5.31); before, it moves the page whatever truncate did meanwhile
 */
public record RmapShape(boolean refillChainTrylock, PageReferenced pageReferenced,
                        boolean setPageDirtyRechecksMapping) {

    /** The forms of page_referenced() that refill_inactive_zone() calls. */
    public enum PageReferenced {
        /**
         * 2.5.31 to 2.6.7 as mirrored: called with the pte chain lock held (2.6.7's
         * page_map_lock is run as that lock).
         */
        PTE_CHAIN_LOCK,
        /**
         * "rmaplock: kill page_map_lock" (f7f5e03df0, Hugh Dickins, 23 Aug 2004, 2.6.9-rc2):
         * called unlocked ({@code is_locked} 0), it takes the page lock with
         * {@code TestSetPageLocked()} to hold {@code page->mapping} still, and unlocks only
         * {@code else if (page->mapping)}: a mapping truncate has just cleared leaves the page
         * locked.
         */
        PAGE_LOCK_LOST_UNLOCK,
        /**
         * "fix missing unlock_page in mm/rmap.c" (58765ab99d, Nick Piggin, 17 Sep 2004,
         * 2.6.9-rc3): the same, with the unlock made whatever the mapping.
         */
        PAGE_LOCK
    }

    /** The shape of kernel {@code version} ({@link KernelProfile#compare} orders versions). */
    public static RmapShape of(String version) {
        boolean bk = version != null && version.contains("-bk")
                && KernelProfile.compare(version, "2.5.31") >= 0 && KernelProfile.compare(version, "2.5.32") < 0;
        return new RmapShape(bk, PageReferenced.PTE_CHAIN_LOCK, KernelProfile.compare(version, "2.5.31") >= 0);
    }

    /** This shape with refill's chain-lock form as {@code trylock} says. */
    public RmapShape withRefillChainTrylock(boolean trylock) {
        return new RmapShape(trylock, pageReferenced, setPageDirtyRechecksMapping);
    }

    /** This shape with page_referenced() in {@code form}. */
    public RmapShape withPageReferenced(PageReferenced form) {
        return new RmapShape(refillChainTrylock, form, setPageDirtyRechecksMapping);
    }

    /** This shape with __set_page_dirty_nobuffers()'s recheck as {@code recheck} says. */
    public RmapShape withSetPageDirtyRechecksMapping(boolean recheck) {
        return new RmapShape(refillChainTrylock, pageReferenced, recheck);
    }
}
