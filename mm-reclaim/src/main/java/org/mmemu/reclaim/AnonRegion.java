package org.mmemu.reclaim;

import org.mmemu.core.Machine;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.Page;
import org.mmemu.core.sync.SpinLock;
import org.mmemu.pagevec.Pagevec;

/**
 * Shim, a stand-in for one anonymous mapping and its page tables (mm/memory.c, 2.5.31): a row of
 * ptes, each empty, mapping a page (which the pte holds a reference on), or holding a swap
 * entry after reclaim swapped the page out. {@code mm->page_table_lock} guards the ptes, as in
 * the kernel; reclaim's {@code try_to_unmap()} only trylocks it.
 *
 * <p>Swap-in is not emulated: touching a swapped-out pte is counted and does nothing else (the
 * workloads only need reclaim's side of anonymous memory).
 */
public final class AnonRegion {
    private static final Site PTE_SET = Site.of("do_anonymous_page", "set_pte(page_table, entry)");
    private static final Site PTE_READ = Site.of("handle_pte_fault", "entry = *pte");
    private static final Site PTE_SWAP = Site.of("try_to_unmap_one", "set_pte(ptep, swp_entry_to_pte(entry))");
    private static final Site ZAP = Site.of("zap_pte_range", "ptep_get_and_clear(ptep)");

    private final Machine machine;
    private final LruOps lruOps;
    private final Rmap rmap;
    private final SwapState swap;
    private final SpinLock pageTableLock;
    private final Page[] pte;
    private final long[] swapEntry;
    private long swappedTouches;

    /** An empty region of {@code pages} ptes on {@code machine}; made by {@link Reclaim#anonRegion}. */
    AnonRegion(Machine machine, LruOps lruOps, Rmap rmap, SwapState swap, String name, int pages) {
        this.machine = machine;
        this.lruOps = lruOps;
        this.rmap = rmap;
        this.swap = swap;
        this.pageTableLock = new SpinLock(name + "->page_table_lock");
        this.pte = new Page[pages];
        this.swapEntry = new long[pages];
    }

    /** {@code mm->page_table_lock}. */
    public SpinLock pageTableLock() {
        return pageTableLock;
    }

    public int size() {
        return pte.length;
    }

    /**
     * mm/memory.c: do_anonymous_page() (2.5.31), a write fault on an empty pte: allocate a page
     * (the pte's reference), map it, put it on the LRU, add the rmap. False if the allocation
     * failed (the fault would OOM).
     */
    public boolean fault(Cpu cpu, int vpn) {
        Page page = machine.pageAlloc().allocPage(cpu, Gfp.GFP_HIGHUSER);
        if (page == null) {
            return false;
        }
        pageTableLock.spinLock(cpu);
        cpu.step(PTE_SET, this, Access.WRITE);
        pte[vpn] = page;
        lruOps.lruCacheAdd(cpu, page);
        rmap.pageAddRmap(cpu, page, this, vpn);
        pageTableLock.spinUnlock(cpu);
        return true;
    }

    /** A user access to {@code vpn}: the MMU sets the accessed bit of a present pte. */
    public void touch(Cpu cpu, int vpn) {
        pageTableLock.spinLock(cpu);
        cpu.step(PTE_READ, this, Access.READ);
        Page page = pte[vpn];
        if (page != null) {
            rmap.touch(cpu, page);
        } else if (swapEntry[vpn] != 0) {
            swappedTouches++;
        }
        pageTableLock.spinUnlock(cpu);
    }

    /**
     * mm/memory.c: zap_page_range() (2.5.31 with 2.5.33's batched freeing of anonymous pages):
     * clears every pte; a present page loses its rmap and its pte reference, dropped through a
     * pagevec and the protocol's release_pages; a swap entry is given back with swap_free.
     */
    public void unmap(Cpu cpu) {
        Pagevec pvec = new Pagevec();
        pageTableLock.spinLock(cpu);
        for (int vpn = 0; vpn < pte.length; vpn++) {
            cpu.step(ZAP, this, Access.WRITE);
            Page page = pte[vpn];
            long entry = swapEntry[vpn];
            pte[vpn] = null;
            swapEntry[vpn] = 0;
            if (page != null) {
                rmap.pageRemoveRmap(cpu, page);
                if (pvec.pagevecAdd(page) == 0) {
                    lruOps.pagevecReleaseLocked(cpu, pvec);
                }
            } else if (entry != 0) {
                swap.swapFree(cpu, entry);
            }
        }
        pageTableLock.spinUnlock(cpu);
        lruOps.pagevecRelease(cpu, pvec);
    }

    /** Called by try_to_unmap() with the page table lock held: the pte now holds a swap entry. */
    void setSwapEntry(Cpu cpu, int vpn, long entry) {
        cpu.step(PTE_SWAP, this, Access.WRITE);
        pte[vpn] = null;
        swapEntry[vpn] = entry;
    }

    /** How many ptes map a page now, without steps. */
    public int residentQuietly() {
        int n = 0;
        for (Page p : pte) {
            if (p != null) {
                n++;
            }
        }
        return n;
    }

    /** How many ptes hold a swap entry now, without steps. */
    public int swappedQuietly() {
        int n = 0;
        for (long e : swapEntry) {
            if (e != 0) {
                n++;
            }
        }
        return n;
    }

    /** Touches of swapped-out ptes (swap-in is not emulated). */
    public long swappedTouches() {
        return swappedTouches;
    }
}
