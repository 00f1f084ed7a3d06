package org.mmemu.reclaim;

import static org.mmemu.core.page.PageFlags.PG_chainlock;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.page.Page;

/**
 * Shim, a stand-in for the reverse mappings of mm/rmap.c (2.5.31, Rik van Riel's pte chains):
 * reclaim only needs to know whether a page is mapped, whether a mapping referenced it since the
 * last look, and to unmap it. So a page's pte chain is reduced to a mapcount and one "young"
 * bit (the accessed bit of all its ptes together), and an anonymous page remembers the one
 * {@link AnonRegion} slot that maps it, which {@code try_to_unmap()} turns into a swap entry.
 *
 * <p>The chain is still guarded by the real {@code pte_chain_lock()}: the PG_chainlock bit
 * spinlock of 2.5.31 (docs/FIDELITY.md, bit 15). Each read or write of the mapcount or the young
 * bit is one step on the page, as the pte walk would be.
 */
public final class Rmap {
    /** The results of {@code try_to_unmap()} (include/linux/rmap-locking.h, 2.5.31). */
    public enum Unmap { SWAP_SUCCESS, SWAP_AGAIN, SWAP_FAIL, SWAP_ERROR }

    private static final Site CHAIN_LOCK = Site.of("pte_chain_lock", "test_and_set_bit(PG_chainlock, &page->flags)");
    private static final Site CHAIN_UNLOCK = Site.of("pte_chain_unlock", "clear_bit(PG_chainlock, &page->flags)");
    private static final Site CHAIN_LOCK_UP = Site.of("pte_chain_lock", "preempt_disable() (UP: no bit)");
    private static final Site CHAIN_UNLOCK_UP = Site.of("pte_chain_unlock", "preempt_enable() (UP: no bit)");
    private static final Site REFILL_TRYLOCK = Site.of("refill_inactive", "test_and_set_bit(PG_chainlock, &page->flags)");
    private static final Site ADD_RMAP = Site.of("page_add_rmap", "pte_chain add");
    private static final Site REMOVE_RMAP = Site.of("page_remove_rmap", "pte_chain remove");
    /**
     * Marked {@code data_race()}: an unlocked test, rechecked where it matters (2.5's
     * refill_inactive tests {@code page->pte.chain} again under pte_chain_lock; shrink_list under
     * the page lock); in 2.6 it is {@code atomic_read(&page->_mapcount)} against
     * page_remove_rmap()'s atomic, no data race at all (docs/FIDELITY.md, intended races).
     */
    private static final Site MAPPED = Site.of("page_mapped", "page->pte.chain != NULL").dataRace();
    private static final Site YOUNG = Site.of("handle_mm_fault", "pte_mkyoung (the MMU sets the accessed bit)");
    private static final Site REF_CLEAR = Site.of("page_referenced", "TestClearPageReferenced(page)");
    private static final Site REF_CHAIN = Site.of("page_referenced", "page->pte.chain (walk the chain)");
    private static final Site REF_YOUNG = Site.of("page_referenced", "ptep_test_and_clear_young(pte)");
    private static final Site UNMAP_YOUNG = Site.of("try_to_unmap_one", "ptep_test_and_clear_young(ptep)");
    private static final Site UNMAP_CLEAR = Site.of("try_to_unmap_one", "ptep_get_and_clear(ptep)");
    private static final Site UNMAP_DIRTY = Site.of("try_to_unmap_one", "set_page_dirty(page)");
    private static final Site MAP_GET = Site.of("filemap_nopage", "page_cache_get(page)");
    private static final Site UNMAP_RELEASE = Site.of("try_to_unmap_one", "page_cache_release(page)");

    /** Every page's reduced pte chain; made when the first page is mapped (see {@link #chains()}). */
    private static final class Chains {
        final int[] mapcount;
        final boolean[] young;
        final AnonRegion[] anonRegion;
        final int[] anonVpn;

        Chains(int n) {
            mapcount = new int[n];
            young = new boolean[n];
            anonRegion = new AnonRegion[n];
            anonVpn = new int[n];
        }
    }

    private static final VarHandle CHAINS;

    static {
        try {
            CHAINS = MethodHandles.lookup().findVarHandle(Rmap.class, "chains", Chains.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int nrPages;
    /**
     * Null until a page is mapped: a machine whose pages are never mapped (a scenario's, booted
     * for every explored schedule) reads every page as unmapped and not young without it.
     */
    private volatile Chains chains;
    private final LruOps lruOps;
    /** Set once, at boot, by {@link #attach}: swap state and rmap need each other (swapper_space's truncation unmaps). */
    private SwapState swap;

    Rmap(Machine machine, LruOps lruOps) {
        this.nrPages = machine.node().nrPages();
        this.lruOps = lruOps;
    }

    /** The chains, made now if no page was mapped yet (CPUs of the free engine that race here get one). */
    private Chains chains() {
        Chains c = chains;
        if (c == null) {
            Chains fresh = new Chains(nrPages);
            Chains won = (Chains) CHAINS.compareAndExchange(this, null, fresh);
            c = won == null ? fresh : won;
        }
        return c;
    }

    void attach(SwapState s) {
        swap = s;
    }

    /**
     * include/linux/rmap-locking.h: pte_chain_lock() (2.5.31): {@code preempt_disable()}, then,
     * under {@code #ifdef CONFIG_SMP} only, the spin on the PG_chainlock bit. On a uniprocessor
     * build ({@link Cpu#smp()} false) it is the {@code preempt_disable()} alone, one local step,
     * and the bit is never set: what ed612d3580 (2.5.32) was about, a {@code test_and_set_bit}
     * trylock of the bit elsewhere meeting an unlock that is a no-op. (rmap-locking.h is not in
     * the stored text; the form is the changeset's.)
     */
    public void pteChainLock(Cpu cpu, Page page) {
        if (!cpu.smp()) {
            cpu.local(CHAIN_LOCK_UP);
            cpu.preemptDisable();
            return;
        }
        while (page.testSetFlag(cpu, CHAIN_LOCK, PG_chainlock)) {
            Thread.onSpinWait();
        }
    }

    /**
     * include/linux/rmap-locking.h: pte_chain_unlock() (2.5.31): under {@code CONFIG_SMP} the
     * clear of the bit, then {@code preempt_enable()}; on UP the {@code preempt_enable()} alone.
     */
    public void pteChainUnlock(Cpu cpu, Page page) {
        if (!cpu.smp()) {
            cpu.local(CHAIN_UNLOCK_UP);
            if (cpu.preemptCount() > 0) {
                cpu.preemptEnable();
            }
            return;
        }
        page.clearFlag(cpu, CHAIN_UNLOCK, PG_chainlock);
        cpu.detectors().pageLocks().chainBitReleased(page.pfn());
    }

    /**
     * mm/vmscan.c: refill_inactive() (BK of 14-19 Aug 2002, 2.5.31 + 637e8ec953 "multithread
     * page reclaim", up to ed612d3580^): {@code if (test_and_set_bit(PG_chainlock,
     * &page->flags))}, the chain lock taken as a trylock with the bare bitop, on SMP and UP
     * alike and without {@code pte_chain_lock()}'s {@code preempt_disable()}. One atomic step;
     * true when the bit was already set (the caller puts the page back on the active list).
     * A bit won is recorded as held by this CPU (shadow state for {@code lock-leak}), and
     * {@link #pteChainUnlock} forgets it when it clears the bit, which on a uniprocessor build it
     * never does: the lockup ed612d3580 fixed.
     */
    public boolean refillChainTrylock(Cpu cpu, Page page) {
        boolean was = page.testSetFlag(cpu, REFILL_TRYLOCK, PG_chainlock);
        if (!was) {
            cpu.detectors().pageLocks().chainBitTaken(cpu, page.pfn(), REFILL_TRYLOCK);
        }
        return was;
    }

    /**
     * mm/rmap.c: page_add_rmap() (2.5.31), for a page just mapped by a pte that holds a
     * reference of its own (the caller took it). {@code region}/{@code vpn} name the pte of an
     * anonymous page (null for a file page). The new pte is young.
     */
    public void pageAddRmap(Cpu cpu, Page page, AnonRegion region, int vpn) {
        pteChainLock(cpu, page);
        cpu.step(ADD_RMAP, page, Access.PTE_CHAIN, Access.WRITE);
        int i = page.pfn();
        Chains c = chains();
        c.mapcount[i]++;
        c.young[i] = true;
        if (region != null) {
            c.anonRegion[i] = region;
            c.anonVpn[i] = vpn;
        }
        pteChainUnlock(cpu, page);
    }

    /** mm/rmap.c: page_remove_rmap() (2.5.31). The caller drops the pte's reference after it. */
    public void pageRemoveRmap(Cpu cpu, Page page) {
        pteChainLock(cpu, page);
        cpu.step(REMOVE_RMAP, page, Access.PTE_CHAIN, Access.WRITE);
        int i = page.pfn();
        Chains c = chains;
        if (c != null && c.mapcount[i] > 0 && --c.mapcount[i] == 0) {
            c.anonRegion[i] = null;
            c.young[i] = false;
        }
        pteChainUnlock(cpu, page);
    }

    /** mm/vmscan.c's test {@code page->pte.chain != NULL} (2.5.31): a load, one step. */
    public boolean pageMapped(Cpu cpu, Page page) {
        cpu.step(MAPPED, page, Access.PTE_CHAIN, Access.READ);
        Chains c = chains;
        return c != null && c.mapcount[page.pfn()] > 0;
    }

    /** Shim for the MMU setting a pte's accessed bit ({@code pte_mkyoung}, 2.5.31) on a user access. One step. */
    public void touch(Cpu cpu, Page page) {
        cpu.step(YOUNG, page, Access.PTE_CHAIN, Access.WRITE);
        chains().young[page.pfn()] = true;
    }

    /**
     * mm/rmap.c: page_referenced() (2.5.31), with the pte chain locked: clears PG_referenced and
     * the ptes' accessed bits; returns how many of them were set.
     */
    public int pageReferenced(Cpu cpu, Page page) {
        int referenced = 0;
        if (page.testClearFlag(cpu, REF_CLEAR, org.mmemu.core.page.PageFlags.PG_referenced)) {
            referenced++;
        }
        return referenced + ptesReferenced(cpu, page);
    }

    /**
     * The pte walk of page_referenced() (mm/rmap.c, 2.5.31: the chain; 2.6.9's
     * page_referenced_one() over the file's vmas runs as the same walk): one load of the chain,
     * then, if mapped, the test-and-clear of the accessed bit. How many ptes were young.
     */
    int ptesReferenced(Cpu cpu, Page page) {
        int referenced = 0;
        cpu.step(REF_CHAIN, page, Access.PTE_CHAIN, Access.READ);
        Chains c = chains;
        if (c != null && c.mapcount[page.pfn()] > 0) {
            cpu.step(REF_YOUNG, page, Access.PTE_CHAIN, Access.WRITE);
            if (c.young[page.pfn()]) {
                c.young[page.pfn()] = false;
                referenced++;
            }
        }
        return referenced;
    }

    /**
     * mm/rmap.c: try_to_unmap() (2.5.31), with the pte chain locked: unmaps every pte. A young
     * pte fails the unmap (SWAP_FAIL, "recently referenced"); a page table whose lock is busy
     * gives SWAP_AGAIN; an anonymous page not in the swap cache is SWAP_ERROR. An anonymous pte
     * becomes a swap entry ({@code swap_duplicate}) and dirties the page (anonymous data is only
     * in memory); each pte's reference is dropped. The kernel drops it with
     * {@code page_cache_release}; the caller's reference keeps the count above zero, so this
     * emulation uses the plain {@code __put_page} and stays out of the protocol's release path.
     */
    public Unmap tryToUnmap(Cpu cpu, Page page) {
        int i = page.pfn();
        cpu.step(UNMAP_YOUNG, page, Access.PTE_CHAIN, Access.WRITE);
        Chains c = chains();
        if (c.young[i]) {
            c.young[i] = false;
            return Unmap.SWAP_FAIL;
        }
        AnonRegion region = c.anonRegion[i];
        if (region != null) {
            if (!swap.pageSwapCache(cpu, page)) {
                return Unmap.SWAP_ERROR;
            }
            if (!region.pageTableLock().spinTrylock(cpu)) {
                return Unmap.SWAP_AGAIN;
            }
            long entry = page.index();
            swap.swapDuplicate(cpu, entry);
            region.setSwapEntry(cpu, c.anonVpn[i], entry);
            region.pageTableLock().spinUnlock(cpu);
            page.setFlag(cpu, UNMAP_DIRTY, org.mmemu.core.page.PageFlags.PG_dirty);
        }
        int n = c.mapcount[i];
        cpu.step(UNMAP_CLEAR, page, Access.PTE_CHAIN, Access.WRITE);
        c.mapcount[i] = 0;
        c.anonRegion[i] = null;
        for (int k = 0; k < n; k++) {
            page.putPageNoTest(cpu, UNMAP_RELEASE);
        }
        return Unmap.SWAP_SUCCESS;
    }

    /**
     * mm/memory.c: do_no_page() with filemap_nopage() (2.5.31), shim: a file page mapped by one
     * more pte; the pte takes a reference of its own, then the rmap is added.
     */
    public void mapFilePage(Cpu cpu, Page page) {
        page.getPage(cpu, MAP_GET);
        pageAddRmap(cpu, page, null, 0);
    }

    /** mm/memory.c: zap_pte_range() (2.5.31), shim: one pte of a file page goes; rmap off, reference dropped. */
    public void unmapFilePage(Cpu cpu, Page page) {
        pageRemoveRmap(cpu, page);
        lruOps.pageCacheRelease(cpu, page);
    }

    /**
     * mm/memory.c: zap_page_range() as vmtruncate() uses it (2.5.31), shim: over every mapping of
     * a file page at once, called with the page locked and a reference held: all ptes go, and
     * their references with them ({@code __put_page}: the caller's reference keeps the count up).
     */
    public void unmapAll(Cpu cpu, Page page) {
        pteChainLock(cpu, page);
        cpu.step(UNMAP_CLEAR, page, Access.PTE_CHAIN, Access.WRITE);
        int i = page.pfn();
        Chains c = chains;
        int n = 0;
        if (c != null) {
            n = c.mapcount[i];
            c.mapcount[i] = 0;
            c.young[i] = false;
            c.anonRegion[i] = null;
        }
        pteChainUnlock(cpu, page);
        for (int k = 0; k < n; k++) {
            page.putPageNoTest(cpu, UNMAP_RELEASE);
        }
    }

    /** The mapcount, without a step: for checks. */
    public int mapcountQuietly(Page page) {
        Chains c = chains;
        return c == null ? 0 : c.mapcount[page.pfn()];
    }
}
