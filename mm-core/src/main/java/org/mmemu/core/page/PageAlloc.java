package org.mmemu.core.page;

import static org.mmemu.core.page.PageFlags.*;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Detectors;
import org.mmemu.core.emu.Site;

/**
 * The buddy page allocator of mm/page_alloc.c (2.5.31, docs/FIDELITY.md, F1).
 *
 * <p>Free blocks of {@code 2^order} pages sit on {@code zone->free_area[order].free_list},
 * linked through {@code page->list}; one bit per buddy pair in {@code area->map} is toggled
 * on every allocation and free of either buddy, so on a free a bit that was set means the
 * buddy is free too and the two coalesce. Everything runs under {@code zone->lock}, taken
 * irqsave as in 2.5.31.
 *
 * <p>{@link #allocPages} is {@code __alloc_pages()} with the passes of 2.5.31: over
 * {@code pages_low}, wake kswapd, over {@code pages_min} (a quarter of it for
 * {@code __GFP_HIGH}), PF_MEMALLOC ignoring the minimums, give up without {@code __GFP_WAIT},
 * direct reclaim, a last pass over {@code pages_min}, and the retry. Unlike 2.5.31, the retry
 * is bounded ({@link #MAX_RETRIES}): the kernel loops until the OOM killer frees something,
 * and an emulated run must end.
 *
 * <p>A second free of a free page passes every check of {@code __free_pages_ok()} (its count
 * is 0 and its flags are clean); only the detectors' shadow state sees it.
 */
public final class PageAlloc {
    /** How many times {@code __alloc_pages()} goes back to {@code rebalance} before failing. */
    public static final int MAX_RETRIES = 4;

    private static final Site BALANCE_IN_IRQ = Site.of("balance_classzone", "BUG_ON(in_interrupt())");
    private static final Site FREE_CHECK = Site.of("__free_pages_ok", "BUG() checks");
    private static final Site FREE_MAP = Site.of("__free_pages_ok", "__test_and_change_bit(index, area->map)");
    private static final Site FREE_DEL_BUDDY = Site.of("__free_pages_ok", "list_del(&buddy1->list)");
    private static final Site FREE_ADD = Site.of("__free_pages_ok", "list_add(&page->list, &area->free_list)");
    private static final Site FREE_CLEAR_DIRTY = Site.of("__free_pages_ok", "ClearPageDirty(page)");
    private static final Site FREE_COUNT = Site.of("__free_pages_ok", "zone->free_pages -= mask");
    private static final Site RMQ_NEXT = Site.of("rmqueue", "curr = head->next");
    private static final Site RMQ_DEL = Site.of("rmqueue", "list_del(curr)");
    private static final Site RMQ_MAP = Site.of("rmqueue", "MARK_USED(index, curr_order, area)");
    private static final Site RMQ_COUNT = Site.of("rmqueue", "zone->free_pages -= 1UL << order");
    private static final Site EXPAND_ADD = Site.of("expand", "list_add(&page->list, &area->free_list)");
    private static final Site EXPAND_MAP = Site.of("expand", "MARK_USED(index, high, area)");
    private static final Site ALLOC_FREE_PAGES = Site.of("__alloc_pages", "z->free_pages > min").dataRace();
    private static final Site ALLOC_NEED_BALANCE = Site.of("__alloc_pages", "classzone->need_balance = 1").dataRace();
    private static final Site FREE_PAGES_TEST = Site.of("__free_pages", "put_page_testzero(page)");
    private static final Site FREE_PAGES_RESERVED = Site.of("__free_pages", "PageReserved(page)");

    private final Node node;
    private final Detectors detectors;
    private final boolean bugChecks;
    private final PrepNewPage prep;
    /** Whose free-time checks {@code __free_pages_ok()} makes; 2.5.33's until the kernel is known. */
    private volatile FreeChecks freeChecks = FreeChecks.V2_5_33;
    private final Supplier<ReclaimHooks> reclaimHooks;
    private final VmStat vmstat = new VmStat();
    private final List<List<Zone>> zonelists;

    /**
     * The allocator of {@code node}'s zones. Given the parts it uses rather than the machine, so
     * that the page layer does not depend on the machine that owns it.
     *
     * @param bugChecks    whether {@code __free_pages_ok()} and {@code prep_new_page()} run their
     *                     BUG() checks ({@code MachineConfig.allocatorBugChecks()})
     * @param reclaimHooks the machine's current hooks (kswapd, direct reclaim), read at each use
     *                     because reclaim installs them after boot
     */
    public PageAlloc(Node node, Detectors detectors, boolean bugChecks, Supplier<ReclaimHooks> reclaimHooks) {
        this.node = node;
        this.detectors = detectors;
        this.bugChecks = bugChecks;
        this.prep = new PrepNewPage(detectors, bugChecks);
        this.reclaimHooks = reclaimHooks;
        this.zonelists = buildZonelists();
    }

    /** The machine's {@code /proc/vmstat} counters. */
    public VmStat vmstat() {
        return vmstat;
    }

    /**
     * free_all_bootmem(): hands every page of every zone to the buddy allocator in the largest
     * aligned blocks, without steps (no CPU runs yet).
     */
    public void boot() {
        for (Zone z : node.zones()) {
            int idx = 0;
            while (idx < z.size()) {
                int order = Zone.MAX_ORDER - 1;
                while (order > 0 && ((idx & ((1 << order) - 1)) != 0 || idx + (1 << order) > z.size())) {
                    order--;
                }
                freeBlockQuietly(z, idx, order);
                idx += 1 << order;
            }
        }
    }

    /** The coalescing free of {@code __free_pages_ok()}, without steps or checks, for boot. */
    private void freeBlockQuietly(Zone zone, int pageIdx, int order) {
        detectors.bootFree(zone.startPfn() + pageIdx, order);
        zone.freePages += 1 << order;
        while (order < Zone.MAX_ORDER - 1) {
            FreeArea area = zone.freeArea[order];
            if (!area.testAndChange(pageIdx >> (1 + order))) {
                break;
            }
            Page buddy = zone.pageAt(pageIdx ^ (1 << order));
            FreeList.delQuietly(buddy);
            area.nrFree--;
            order++;
            pageIdx &= ~((1 << order) - 1);
        }
        zone.freeArea[order].freeList.addTailQuietly(zone.pageAt(pageIdx));
        zone.freeArea[order].nrFree++;
    }

    /**
     * The kernel whose free-time checks {@code __free_pages_ok()} makes (docs/FIDELITY.md, the
     * allocator): set at boot from the kernel profile (mm-lru's {@code Lru.install}).
     */
    public void setFreeChecks(FreeChecks checks) {
        this.freeChecks = java.util.Objects.requireNonNull(checks, "checks");
    }

    // ---- freeing --------------------------------------------------------------------

    /**
     * mm/page_alloc.c: __free_pages() (2.5.31): unless PG_reserved, drop a reference and free the
     * block with {@code __free_pages_ok()} when it was the last.
     */
    public void freePages(Cpu cpu, Page page, int order) {
        if (page.testFlag(cpu, FREE_PAGES_RESERVED, PG_reserved)) {
            return;
        }
        if (page.putPageTestzero(cpu, FREE_PAGES_TEST)) {
            freePagesOk(cpu, page, order, FREE_PAGES_TEST);
        }
    }

    /** include/linux/gfp.h: __free_page() (2.5.31): {@code __free_pages(page, 0)}. */
    public void freePage(Cpu cpu, Page page) {
        freePages(cpu, page, 0);
    }

    /**
     * mm/page_alloc.c: __free_pages_ok() (2.5.31-2.6.7; its checks by version, see
     * {@link FreeChecks#check}): the kernel's checks, the detectors' shadow checks, then the buddy
     * merge under {@code zone->lock} taken irqsave. {@code caller} is the site that decided to
     * free, which the detectors keep so that a double free shows both.
     *
     * <p>Departures: 2.5.31's {@code PF_FREE_PAGES} detour (pages freed during
     * {@code balance_classzone()} go to the task's local list) is not emulated, since it
     * changes who gets the page, not the counts this emulator studies; the checks read the page
     * in one step, because the page is private to the freeing CPU by then in every correct run;
     * and 2.6's order-0 frees go through {@code free_hot_cold_page()} (per-CPU hot and cold
     * lists, not emulated): the same checks, then straight to the buddy lists.
     */
    public void freePagesOk(Cpu cpu, Page page, int order, Site caller) {
        cpu.step(FREE_CHECK, page, Access.READ);
        Zone zone = page.zone();
        int pageIdx = page.pfn() - zone.startPfn();
        FreeChecks checks = freeChecks;
        if (page.hasFlag(PG_locked)) {
            detectors.freedLocked(cpu, page.pfn(), FREE_CHECK); // the shadow's lock-leak, before the kernel's own check
        }
        // 2.5's BUG()s stop the run before the detectors see the page; 2.6's bad_page() reports
        // and fixes up after them, and the free carries on
        if (bugChecks && checks.bugs()) {
            checks.check(cpu, detectors, FREE_CHECK, zone, pageIdx, order);
        }
        detectors.checkFreeable(cpu, page.pfn(), FREE_CHECK, page.hasFlag(PG_lru), page.count(),
                page.isLinked());
        if (bugChecks && !checks.bugs()) {
            checks.check(cpu, detectors, FREE_CHECK, zone, pageIdx, order);
        }
        // "if (PageDirty(page)) ClearPageDirty(page)" (2.5.33): no BUG for it. The test is
        // read with the checks above; the clear is a write of page->flags (a lock btr), a step
        // only when the page is dirty. Stepped directly rather than through Page.clearFlag,
        // whose in-use check would report a second free as a use-after-free before onFree()
        // names it. (2.4 also cleared PG_referenced here; 2.5 clears it in prep_new_page().)
        if (page.hasFlag(PG_dirty)) {
            cpu.step(FREE_CLEAR_DIRTY, page, Access.flag(PG_dirty), Access.WRITE);
            page.setFlagQuietly(PG_dirty, false);
        }
        detectors.onFree(cpu, page.pfn(), order, caller);
        vmstat.add(VmStat.Item.pgfree, 1L << order);

        boolean flags = zone.lock.spinLockIrqsave(cpu);
        cpu.step(FREE_COUNT, zone, Zone.FREE_PAGES, Access.WRITE);
        zone.freePages += 1 << order;
        while (order < Zone.MAX_ORDER - 1) {
            FreeArea area = zone.freeArea[order];
            cpu.step(FREE_MAP, area, Access.WRITE);
            if (!area.testAndChange(pageIdx >> (1 + order))) {
                break; // the buddy is still in use
            }
            Page buddy = zone.pageAt(pageIdx ^ (1 << order));
            area.freeList.listDel(cpu, FREE_DEL_BUDDY, buddy);
            area.nrFree--;
            order++;
            pageIdx &= ~((1 << order) - 1);
        }
        FreeArea area = zone.freeArea[order];
        area.freeList.listAdd(cpu, FREE_ADD, zone.pageAt(pageIdx));
        area.nrFree++;
        zone.lock.spinUnlockIrqrestore(cpu, flags);
    }

    // ---- allocating -----------------------------------------------------------------

    /**
     * mm/page_alloc.c: rmqueue() (2.5.31): takes a block from the smallest order that has one and
     * splits it down ({@code expand()}); then {@code prep_new_page()}. Null if the zone has no
     * block big enough.
     */
    public Page rmqueue(Cpu cpu, Zone zone, int order) {
        boolean flags = zone.lock.spinLockIrqsave(cpu);
        for (int cur = order; cur < Zone.MAX_ORDER; cur++) {
            FreeArea area = zone.freeArea[cur];
            cpu.step(RMQ_NEXT, area, Access.READ);
            Page page = area.freeList.first();
            if (page == null) {
                continue;
            }
            area.freeList.listDel(cpu, RMQ_DEL, page);
            area.nrFree--;
            int index = page.pfn() - zone.startPfn();
            if (cur != Zone.MAX_ORDER - 1) {
                cpu.step(RMQ_MAP, area, Access.WRITE);
                area.testAndChange(index >> (1 + cur));
            }
            cpu.step(RMQ_COUNT, zone, Zone.FREE_PAGES, Access.WRITE);
            zone.freePages -= 1 << order;
            page = expand(cpu, zone, page, index, order, cur);
            // The shadow changes hands under zone->lock, so no free can slip in between.
            detectors.onAlloc(cpu, page.pfn(), order, RMQ_DEL);
            zone.lock.spinUnlockIrqrestore(cpu, flags);
            prep.prepNewPage(cpu, page, order);
            vmstat.add(VmStat.Item.pgalloc, 1L << order);
            return page;
        }
        zone.lock.spinUnlockIrqrestore(cpu, flags);
        return null;
    }

    /** mm/page_alloc.c: expand() (2.5.31): returns the lower halves of a split block to the lower orders. */
    private Page expand(Cpu cpu, Zone zone, Page page, int index, int low, int high) {
        int size = 1 << high;
        while (high > low) {
            high--;
            size >>= 1;
            FreeArea area = zone.freeArea[high];
            area.freeList.listAdd(cpu, EXPAND_ADD, page);
            area.nrFree++;
            cpu.step(EXPAND_MAP, area, Access.WRITE);
            area.testAndChange(index >> (1 + high));
            index += size;
            page = zone.pageAt(index);
        }
        return page;
    }

    /** The zonelist of {@code gfpMask}: the highest allowed zone first, then the lower ones. */
    public List<Zone> zonelist(int gfpMask) {
        return zonelists.get(Gfp.highestZone(gfpMask).ordinal());
    }

    /** {@code pgdat->node_zonelists}, built once: index the highest zone type allowed. */
    private List<List<Zone>> buildZonelists() {
        List<List<Zone>> all = new ArrayList<>();
        for (ZoneType highest : ZoneType.values()) {
            List<Zone> zs = new ArrayList<>();
            for (int t = highest.ordinal(); t >= 0; t--) {
                Zone z = node.zone(ZoneType.values()[t]);
                if (z != null) {
                    zs.add(z);
                }
            }
            all.add(List.copyOf(zs));
        }
        return List.copyOf(all);
    }

    /** include/linux/gfp.h: alloc_pages() (2.5.31): {@code __alloc_pages()} on the zonelist of the mask. */
    public Page allocPages(Cpu cpu, int gfpMask, int order) {
        if (order < 0 || order >= Zone.MAX_ORDER) {
            return null;
        }
        List<Zone> zones = zonelist(gfpMask);
        return zones.isEmpty() ? null : allocPages(cpu, gfpMask, order, zones);
    }

    /** include/linux/gfp.h: alloc_page() (2.5.31). */
    public Page allocPage(Cpu cpu, int gfpMask) {
        return allocPages(cpu, gfpMask, 0);
    }

    /**
     * mm/page_alloc.c: __alloc_pages() (2.5.31, docs/FIDELITY.md): pass 1 over {@code pages_low}
     * (or at {@code pages_high}, from patch 17 on), {@code classzone->need_balance = 1} and wake
     * kswapd, pass 2 over {@code pages_min} (a quarter of it for {@code __GFP_HIGH}), then
     * {@code rebalance}: PF_MEMALLOC/PF_MEMDIE take anything or fail, no {@code __GFP_WAIT}
     * fails, direct reclaim with PF_MEMALLOC set, pass 3 over {@code pages_min}, orders above 3
     * fail, others retry (bounded, see {@link #MAX_RETRIES}).
     */
    public Page allocPages(Cpu cpu, int gfpMask, int order, List<Zone> zones) {
        Zone classzone = zones.get(0);
        // Pass 1: above pages_low in every zone tried so far (or at pages_high, from P17 on).
        Page page = pass(cpu, zones, order, z -> z.pagesLow(), true);
        if (page != null) {
            return page;
        }
        // classzone->need_balance = 1; wake kswapd.
        cpu.step(ALLOC_NEED_BALANCE, classzone, Zone.NEED_BALANCE, Access.WRITE);
        classzone.setNeedBalance(true);
        reclaimHooks.get().wakeupKswapd(cpu, classzone);
        // Pass 2: above pages_min, a quarter of it for __GFP_HIGH.
        boolean high = (gfpMask & Gfp.__GFP_HIGH) != 0;
        page = pass(cpu, zones, order, z -> high ? z.pagesMin() >> 2 : z.pagesMin(), false);
        if (page != null) {
            return page;
        }
        for (int retry = 0; retry <= MAX_RETRIES; retry++) {
            // rebalance:
            if ((cpu.pflags() & (Cpu.PF_MEMALLOC | Cpu.PF_MEMDIE)) != 0) {
                for (Zone z : zones) {
                    page = rmqueue(cpu, z, order);
                    if (page != null) {
                        return page;
                    }
                }
                return null;
            }
            if ((gfpMask & Gfp.__GFP_WAIT) == 0) {
                return null;
            }
            // balance_classzone(): BUG_ON(in_interrupt()), then direct reclaim with PF_MEMALLOC set.
            if (cpu.inInterrupt()) {
                throw detectors.kernelBug(cpu, -1, BALANCE_IN_IRQ, "BUG_ON(in_interrupt()): an allocation that may"
                        + " wait (__GFP_WAIT) reached direct reclaim in interrupt context; a handler allocates with"
                        + " GFP_ATOMIC");
            }
            vmstat.inc(VmStat.Item.allocstall);
            int saved = cpu.pflags();
            cpu.setPflags(saved | Cpu.PF_MEMALLOC);
            try {
                reclaimHooks.get().tryToFreePages(cpu, classzone, gfpMask, order);
            } finally {
                cpu.setPflags(saved);
            }
            page = pass(cpu, zones, order, Zone::pagesMin, false);
            if (page != null) {
                return page;
            }
            if (order > 3) {
                return null;
            }
            // yield(); goto rebalance;
        }
        return null;
    }

    /** One pass over the zonelist: {@code min += watermark(z)}; take from {@code z} if above it. */
    private Page pass(Cpu cpu, List<Zone> zones, int order, java.util.function.ToIntFunction<Zone> watermark,
                      boolean orHigh) {
        long min = 1L << order;
        for (Zone z : zones) {
            min += watermark.applyAsInt(z);
            cpu.step(ALLOC_FREE_PAGES, z, Zone.FREE_PAGES, Access.READ);
            int free = z.freePages;
            if (free > min || (orHigh && free >= z.pagesHigh())) {
                Page page = rmqueue(cpu, z, order);
                if (page != null) {
                    return page;
                }
            }
        }
        return null;
    }

    /** mm/page_alloc.c: nr_free_pages() (2.5.31): free pages over all zones, without steps. */
    public long nrFreePages() {
        long n = 0;
        for (Zone z : node.zones()) {
            n += z.freePages;
        }
        return n;
    }
}
