package org.mmemu.reclaim;

import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.PageFlags;
import org.mmemu.core.sync.SpinLock;

/**
 * The swap cache and a bounded swap device: mm/swap_state.c and mm/swapfile.c (2.5.31).
 * {@code swapper_space} is an {@link AddressSpace} like any other, indexed by swap entry, and
 * {@code PageSwapCache(page)} is {@code page->mapping == &swapper_space}, as in 2.5.31. The
 * device is a {@code swap_map} of use counts under {@code swaplock}; entry {@code e} is slot
 * {@code e - 1} (entry 0 means "no swap", as {@code swp_entry_t.val == 0} does).
 */
public final class SwapState {
    private static final Site NR_SWAP = Site.of("out_of_memory", "nr_swap_pages > 0");
    private static final Site TOTAL_SWAP = Site.of("refill_inactive_zone", "total_swap_pages == 0");
    private static final Site MAP = Site.of("get_swap_page", "si->swap_map[offset]");
    private static final Site DUP = Site.of("swap_duplicate", "p->swap_map[offset]++");
    private static final Site FREE = Site.of("swap_free", "p->swap_map[offset]--");
    private static final Site IS_SWAPCACHE = Site.of("PageSwapCache", "page->mapping == &swapper_space");
    private static final Site UPTODATE = Site.of("add_to_swap", "SetPageUptodate(page)");
    private static final Site DIRTY = Site.of("add_to_swap", "set_page_dirty(page)");

    private final AddressSpace swapperSpace;
    private final SpinLock swaplock = new SpinLock("swaplock");
    private final int[] swapMap;
    private int nrSwapPages;
    private int next;

    SwapState(int slots, LruOps lruOps, Writeback writeback, Rmap rmap, Buffers buffers) {
        this.swapperSpace = new AddressSpace(lruOps, writeback, rmap, buffers, "swapper_space", true);
        this.swapMap = new int[slots];
        this.nrSwapPages = slots;
    }

    /** {@code swapper_space}. */
    public AddressSpace swapperSpace() {
        return swapperSpace;
    }

    /** {@code nr_swap_pages}, without a step. */
    public int nrSwapPages() {
        return nrSwapPages;
    }

    /** mm/swapfile.c: {@code total_swap_pages} (the slots swapped on; never changes here): a load, one step. */
    public int totalSwapPages(Cpu cpu) {
        cpu.step(TOTAL_SWAP, swapMap, Access.READ);
        return swapMap.length;
    }

    /** include/linux/swap.h: nr_swap_pages (2.5.31): a load, one step. */
    public int nrSwapPages(Cpu cpu) {
        cpu.step(NR_SWAP, swapMap, Access.READ);
        return nrSwapPages;
    }

    /** include/linux/mm.h: PageSwapCache() (2.5.31): {@code page->mapping == &swapper_space}, one load. */
    public boolean pageSwapCache(Cpu cpu, Page page) {
        return page.mapping(cpu, IS_SWAPCACHE) == swapperSpace;
    }

    /** mm/swapfile.c: get_swap_page() (2.5.31): a free slot with use count 1, or entry 0. */
    public long getSwapPage(Cpu cpu) {
        swaplock.spinLock(cpu);
        try {
            for (int k = 0; k < swapMap.length; k++) {
                int slot = (next + k) % swapMap.length;
                cpu.step(MAP, swapMap, Access.READ);
                if (swapMap[slot] == 0) {
                    swapMap[slot] = 1;
                    nrSwapPages--;
                    next = slot + 1;
                    return slot + 1L;
                }
            }
            return 0;
        } finally {
            swaplock.spinUnlock(cpu);
        }
    }

    /** mm/swapfile.c: swap_duplicate() (2.5.31): one more user of the entry. */
    public void swapDuplicate(Cpu cpu, long entry) {
        swaplock.spinLock(cpu);
        cpu.step(DUP, swapMap, Access.WRITE);
        swapMap[(int) entry - 1]++;
        swaplock.spinUnlock(cpu);
    }

    /** mm/swapfile.c: swap_free() (2.5.31): one user fewer; the slot is free at zero. */
    public void swapFree(Cpu cpu, long entry) {
        swaplock.spinLock(cpu);
        cpu.step(FREE, swapMap, Access.WRITE);
        int slot = (int) entry - 1;
        if (swapMap[slot] <= 0) {
            swaplock.spinUnlock(cpu);
            throw cpu.detectors().kernelBug(cpu, -1, FREE, "swap_free: unused swap entry " + entry);
        }
        if (--swapMap[slot] == 0) {
            nrSwapPages++;
        }
        swaplock.spinUnlock(cpu);
    }

    /**
     * mm/swap_state.c: add_to_swap() (2.5.31), for a locked anonymous page: take a slot, add the
     * page to the swap cache at that entry (the cache's reference), mark it uptodate and dirty
     * (its data is only in memory). False when swap is full.
     */
    public boolean addToSwap(Cpu cpu, Page page) {
        long entry = getSwapPage(cpu);
        if (entry == 0) {
            return false;
        }
        if (swapperSpace.addToPageCache(cpu, page, entry) != 0) {
            swapFree(cpu, entry);
            return false;
        }
        page.setFlag(cpu, UPTODATE, PageFlags.PG_uptodate);
        page.setFlag(cpu, DIRTY, PageFlags.PG_dirty);
        return true;
    }

    /**
     * mm/swap_state.c: __delete_from_swap_cache() (2.5.31), with swapper_space's page_lock held:
     * takes the page out of the cache; the caller then frees the entry and drops the cache's
     * reference.
     */
    public void deleteFromSwapCacheLocked(Cpu cpu, Page page) {
        swapperSpace.removeFromPageCacheLocked(cpu, page);
    }
}
