package org.mmemu.slab;

import org.mmemu.core.Machine;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.page.Page;
import org.mmemu.lru.Lru;
import org.mmemu.lru.ZoneLru;

/**
 * Slab pages on the LRU: mm/slab.c's {@code kmem_cache_grow()} and {@code kmem_freepages()}
 * meeting mm/swap.c's LRU, as Ed Tomlinson's "slablru" did for rmap-2.4 and 2.5.32-mm1
 * (docs/FIDELITY.md; never in mainline, and its code is not in the reference, so what follows is
 * this emulator's reading of the idea, marked [I] where it chooses).
 *
 * <p><b>Which pages go on the LRU: the first page of each slab only.</b> Reclaim's unit for slab
 * memory is the slab, not the page: whichever of its pages reclaim met, it could only free or
 * prune the whole slab. One LRU entry per slab makes a slab age like one page and be looked at
 * once per pass; putting every page on would have reclaim meet the same slab {@code 1 << order}
 * times per pass and would need a reference on each tail page, which a 2.5 high-order block does
 * not have (prep_new_page() counts only the first page). Most caches are order 0 (dentries,
 * inodes, buffer heads, the small kmalloc sizes), so for them the difference does not arise.
 *
 * <p><b>Adding.</b> After {@code kmem_cache_grow()} has set PG_slab, the first page goes on its
 * zone's inactive list: {@code TestSetPageLRU}, then under {@code zone->lru_lock},
 * {@code add_page_to_inactive_list()} — 2.5.31's direct {@code lru_cache_add()}, with the lock
 * taken irqsave because a cache can grow in interrupt context (GFP_ATOMIC), where the
 * {@code spin_lock_irq()} of lru_cache_add() would turn interrupts back on [I]. Not the deferred
 * pagevec form of 2.5.32: its per-CPU vector is not irq-safe, and its extra reference would make
 * a slab page's count differ from 1 while it waits. The slab's reference stays the page's only
 * one, so its count is 1 like any page-cache page whose last user is about to let go.
 *
 * <p><b>Releasing.</b> {@code kmem_freepages()} drops the slab's reference on the first page
 * through the machine's protocol ({@code page_cache_release()}), which takes the page off the
 * LRU under the lock and frees it when the count reaches zero, so {@code __free_pages_ok()}
 * never sees PG_lru; if reclaim holds its isolation reference at that moment, the page is freed
 * when reclaim drops it. The tail pages of a multi-page slab, never on the LRU and with count 0,
 * go back one by one with {@code __free_pages_ok(page + i, 0)}: the buddy merges them with the
 * first page whenever that one is freed. (The kernel freed the block at once with
 * {@code free_pages(addr, order)}; the protocols free only order 0 [I].)
 *
 * <p>{@link #nrUsedZonePages} is the LRU's size that mm-slab's {@code shrink_slab()} weighs
 * scanning against on any machine with an LRU.
 */
public final class LruSlabPages implements SlabPageLru {
    private static final Site ADD_TEST_SET_LRU = Site.of("slablru: lru_cache_add", "if (!TestSetPageLRU(page))");
    private static final Site FREE_TAIL = Site.of("kmem_freepages", "__free_pages_ok(page + i, 0) (slab-on-LRU tail)");

    private final Machine machine;

    private LruSlabPages(Machine machine) {
        this.machine = machine;
    }

    /**
     * Wires mm-slab to the machine's LRU (mm-lru must be installed, {@code Lru.install}): sets
     * {@code options} and, when {@code options.slabOnLru()}, installs the slab-on-LRU seams.
     * Call at boot, before any cache grows. ({@code shrink_slab()} uses
     * {@link #nrUsedZonePages} on any machine with an LRU, attached or not.)
     */
    public static void attach(Machine machine, SlabOptions options) {
        Lru.of(machine); // fails early without an LRU
        SlabAllocator sa = SlabAllocator.of(machine);
        sa.configure(options);
        if (options.slabOnLru()) {
            sa.setSlabPageLru(new LruSlabPages(machine));
        }
    }

    /**
     * mm/vmscan.c: nr_used_zone_pages() (2.5.42, SHR): Σ {@code nr_active + nr_inactive} over
     * the zones, read without the locks as the kernel does.
     */
    public static long nrUsedZonePages(Machine machine) {
        long n = 0;
        for (ZoneLru zl : Lru.of(machine).zones()) {
            n += zl.nrActive() + zl.nrInactive();
        }
        return n;
    }

    /**
     * slablru's {@code lru_cache_add()} of a new slab (in {@code kmem_cache_grow()}, after
     * PageSetSlab; [I], see the class comment): the first page onto its zone's inactive list.
     */
    @Override
    public void slabGrown(Cpu cpu, Slab slab) {
        Page page = slab.page();
        if (page.testSetPageLru(cpu, ADD_TEST_SET_LRU)) {
            return;
        }
        ZoneLru zl = Lru.of(cpu).zoneOf(page);
        boolean flags = zl.lruLock().spinLockIrqsave(cpu);
        zl.addPageToInactiveList(cpu, page);
        zl.lruLock().spinUnlockIrqrestore(cpu, flags);
    }

    /**
     * mm/slab.c: kmem_freepages() (2.5.31) with slab-on-LRU: the slab's reference on the first
     * page is dropped through the machine's protocol ({@code page_cache_release()}); the tail
     * pages go back with {@code __free_pages_ok(page + i, 0)} (see the class comment).
     */
    @Override
    public void releaseSlabPages(Cpu cpu, Page page, int order) {
        for (int i = 1; i < 1 << order; i++) {
            machine.pageAlloc().freePagesOk(cpu, page.zone().page(page.pfn() + i), 0, FREE_TAIL);
        }
        Lru.of(cpu).protocol().pageCacheRelease(cpu, page);
    }
}
