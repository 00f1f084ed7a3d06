package org.mmemu.lru;

import static org.mmemu.core.page.PageFlags.PG_active;
import static org.mmemu.core.page.PageFlags.PG_lru;

import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Detectors;
import org.mmemu.core.emu.Site;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.Zone;
import org.mmemu.core.sync.SpinLock;

/**
 * The LRU fields of {@code struct zone} (include/linux/mmzone.h, 2.5.31-mm1 / 2.5.33, patch 17
 * of akpm's series): {@code lru_lock}, {@code active_list}, {@code inactive_list},
 * {@code nr_active}, {@code nr_inactive} and {@code refill_counter}, with the list helpers of
 * include/linux/mm_inline.h (2.5.33) that take {@code (zone, page)}.
 *
 * <p>The lock is irq-safe as in 2.5.31-mm1 (patch 11): every user takes it with
 * {@code spin_lock_irq} or {@code _irqsave}. The lists and counters are protected by it, and
 * the helpers here expect it held; the counters are plain loads and stores, one step each.
 * {@code zone->nr_active += delta} is one step, not a load and a store: every writer holds
 * lru_lock, so no access of another CPU can come between the two (docs/FIDELITY.md); a writer
 * outside the lock is the data-race detector's finding, and its own load and store
 * ({@link #nrInactive(Cpu, Site)}, {@link #setNrInactive}) the accounting detector's
 * ({@link LruCounters}).
 */
public final class ZoneLru {
    private static final Site DEBUG_LRU = Site.of("DEBUG_LRU_PAGE", "if (!PageLRU(page)) BUG()");
    private static final Site DEBUG_ACTIVE = Site.of("DEBUG_LRU_PAGE", "if (PageActive(page)) BUG()");
    private static final Site ADD_ACTIVE = Site.of("add_page_to_active_list", "list_add(&page->lru, &zone->active_list)");
    private static final Site ADD_INACTIVE = Site.of("add_page_to_inactive_list", "list_add(&page->lru, &zone->inactive_list)");
    private static final Site SET_ACTIVE = Site.of("add_page_to_active_list", "SetPageActive(page)");
    private static final Site NR_ACTIVE_INC = Site.of("add_page_to_active_list", "zone->nr_active++");
    private static final Site NR_INACTIVE_INC = Site.of("add_page_to_inactive_list", "zone->nr_inactive++");
    private static final Site DEL_ACTIVE = Site.of("del_page_from_active_list", "list_del(&page->lru)");
    private static final Site NR_ACTIVE_DEC = Site.of("del_page_from_active_list", "zone->nr_active--");
    private static final Site DEL_INACTIVE = Site.of("del_page_from_inactive_list", "list_del(&page->lru)");
    private static final Site NR_INACTIVE_DEC = Site.of("del_page_from_inactive_list", "zone->nr_inactive--");
    private static final Site DEL_LRU = Site.of("del_page_from_lru", "list_del(&page->lru)");
    private static final Site DEL_LRU_ACTIVE = Site.of("del_page_from_lru", "if (PageActive(page))");
    private static final Site DEL_LRU_CLEAR_ACTIVE = Site.of("del_page_from_lru", "ClearPageActive(page)");
    private static final Site DEL_LRU_NR_ACTIVE = Site.of("del_page_from_lru", "zone->nr_active--");
    private static final Site DEL_LRU_NR_INACTIVE = Site.of("del_page_from_lru", "zone->nr_inactive--");

    /** The fields of the counters' steps: apart from each other and from the lists. */
    public static final int NR_ACTIVE = Access.member("zone->nr_active");
    public static final int NR_INACTIVE = Access.member("zone->nr_inactive");
    public static final int REFILL_COUNTER = Access.atomicMember("zone->refill_counter");

    private final Zone zone;
    private final SpinLock lruLock;
    private final LruCounters counters;
    private final ListHead activeList = new ListHead();
    private final ListHead inactiveList = new ListHead();
    private int nrActive;
    private int nrInactive;
    private int refillCounter;

    ZoneLru(Zone zone, Detectors detectors, int cpus) {
        this.zone = zone;
        this.lruLock = new SpinLock(zone.name() + "->lru_lock");
        this.counters = new LruCounters(this, detectors, cpus);
        lruLock.onRelease(counters::check);
    }

    /** The accounting detector of this zone's counters. */
    LruCounters counters() {
        return counters;
    }

    public Zone zone() {
        return zone;
    }

    /** include/linux/mmzone.h: {@code zone->lru_lock} (2.5.31-mm1, P18): irq-safe, protects the lists and counters below. */
    public SpinLock lruLock() {
        return lruLock;
    }

    /** include/linux/mmzone.h: {@code zone->active_list} (2.5.33, P17). */
    public ListHead activeList() {
        return activeList;
    }

    /** include/linux/mmzone.h: {@code zone->inactive_list} (2.5.33, P17). */
    public ListHead inactiveList() {
        return inactiveList;
    }

    /** include/linux/mmzone.h: {@code zone->nr_active} (2.5.33, P17), without a step (setup and checks). */
    public int nrActive() {
        return nrActive;
    }

    /** include/linux/mmzone.h: {@code zone->nr_inactive} (2.5.33, P17), without a step (setup and checks). */
    public int nrInactive() {
        return nrInactive;
    }

    /** include/linux/mmzone.h: {@code zone->nr_active} (2.5.33, P17): a load, one step. */
    public int nrActive(Cpu cpu, Site site) {
        cpu.step(site, this, NR_ACTIVE, Access.READ);
        counters.loaded(cpu, true, nrActive);
        return nrActive;
    }

    /** include/linux/mmzone.h: {@code zone->nr_inactive} (2.5.33, P17): a load, one step. */
    public int nrInactive(Cpu cpu, Site site) {
        cpu.step(site, this, NR_INACTIVE, Access.READ);
        counters.loaded(cpu, false, nrInactive);
        return nrInactive;
    }

    /** include/linux/mm_inline.h: {@code zone->nr_active += delta} (2.5.33, P17): one step (under lru_lock). */
    public void addNrActive(Cpu cpu, Site site, int delta) {
        cpu.step(site, this, NR_ACTIVE, Access.WRITE);
        nrActive += delta;
        counters.wrote(cpu, site, true, delta);
    }

    /** include/linux/mm_inline.h: {@code zone->nr_inactive += delta} (2.5.33, P17): one step (under lru_lock). */
    public void addNrInactive(Cpu cpu, Site site, int delta) {
        cpu.step(site, this, NR_INACTIVE, Access.WRITE);
        nrInactive += delta;
        counters.wrote(cpu, site, false, delta);
    }

    /**
     * include/linux/mmzone.h: {@code zone->nr_inactive = v}, a plain store, one step: the second
     * half of a read-modify-write written as the compiler makes it, after
     * {@link #nrInactive(Cpu, Site)}'s load (for code that updates the counter outside lru_lock).
     */
    public void setNrInactive(Cpu cpu, Site site, int v) {
        cpu.step(site, this, NR_INACTIVE, Access.WRITE);
        nrInactive = v;
        counters.stored(cpu, site, false, v);
    }

    /** include/linux/mmzone.h: {@code zone->refill_counter} (2.5.33, P17), without a step. */
    public int refillCounter() {
        return refillCounter;
    }

    /**
     * mm/vmscan.c: shrink_zone() {@code atomic_add(delta, &zone->refill_counter)} (2.5.33, P17);
     * returns the new value. One step (a {@code lock xadd}).
     */
    public int addRefillCounter(Cpu cpu, Site site, int delta) {
        cpu.step(site, this, REFILL_COUNTER, Access.WRITE);
        refillCounter += delta;
        return refillCounter;
    }

    /** mm/vmscan.c: shrink_zone() {@code atomic_set(&zone->refill_counter, v)} (2.5.33, P17). One step. */
    public void setRefillCounter(Cpu cpu, Site site, int v) {
        cpu.step(site, this, REFILL_COUNTER, Access.WRITE);
        refillCounter = v;
    }

    // ---- the list helpers (include/linux/mm_inline.h, 2.5.33; swap.h macros in 2.5.31) ----

    /**
     * include/linux/swap.h: DEBUG_LRU_PAGE() (2.5.31-2.5.32; gone with mm_inline.h, 17):
     * {@code if (!PageLRU(page)) BUG(); if (PageActive(page)) BUG();}, two flag loads.
     */
    public void debugLruPage(Cpu cpu, Page page) {
        if (!page.pageLru(cpu, DEBUG_LRU)) {
            throw cpu.detectors().kernelBug(cpu, page.pfn(), DEBUG_LRU, "DEBUG_LRU_PAGE: !PageLRU(page)");
        }
        if (page.pageActive(cpu, DEBUG_ACTIVE)) {
            throw cpu.detectors().kernelBug(cpu, page.pfn(), DEBUG_ACTIVE, "DEBUG_LRU_PAGE: PageActive(page)");
        }
    }

    /**
     * include/linux/swap.h: add_page_to_inactive_list() (2.5.31-2.5.32 macro): DEBUG_LRU_PAGE
     * (two flag loads), list_add, the count. (The 2.5.32 macro counts with inc_page_state(), a
     * per-CPU counter; here the zone's, as mm_inline.h's.)
     */
    public void addPageToInactiveList2532(Cpu cpu, Page page) {
        debugLruPage(cpu, page);
        addPageToInactiveList(cpu, page);
    }

    /** include/linux/mm_inline.h: add_page_to_active_list() (2.5.33): list_add at the head, nr_active++. */
    public void addPageToActiveList(Cpu cpu, Page page) {
        activeList.listAdd(cpu, ADD_ACTIVE, page);
        addNrActive(cpu, NR_ACTIVE_INC, 1);
    }

    /**
     * include/linux/swap.h: add_page_to_active_list() (2.5.31): DEBUG_LRU_PAGE, SetPageActive,
     * list_add, nr_active++ (the 2.5.31 macro sets PG_active itself).
     */
    public void addPageToActiveList2531(Cpu cpu, Page page) {
        debugLruPage(cpu, page);
        page.setPageActive(cpu, SET_ACTIVE);
        addPageToActiveList(cpu, page);
    }

    /** include/linux/mm_inline.h: add_page_to_inactive_list() (2.5.33): list_add at the head, nr_inactive++. */
    public void addPageToInactiveList(Cpu cpu, Page page) {
        inactiveList.listAdd(cpu, ADD_INACTIVE, page);
        addNrInactive(cpu, NR_INACTIVE_INC, 1);
    }

    /** include/linux/mm_inline.h: del_page_from_active_list() (2.5.33): list_del, nr_active--. */
    public void delPageFromActiveList(Cpu cpu, Page page) {
        page.listDel(cpu, DEL_ACTIVE);
        addNrActive(cpu, NR_ACTIVE_DEC, -1);
    }

    /** include/linux/mm_inline.h: del_page_from_inactive_list() (2.5.33): list_del, nr_inactive--. */
    public void delPageFromInactiveList(Cpu cpu, Page page) {
        page.listDel(cpu, DEL_INACTIVE);
        addNrInactive(cpu, NR_INACTIVE_DEC, -1);
    }

    /**
     * include/linux/mm_inline.h: del_page_from_lru() (2.5.33, P17): list_del; if PageActive
     * (a load, one step), ClearPageActive (a second step) and nr_active--, else nr_inactive--.
     * Two flag steps as 2.5.33 has them, not one TestClearPageActive.
     */
    public void delPageFromLru(Cpu cpu, Page page) {
        page.listDel(cpu, DEL_LRU);
        if (page.pageActive(cpu, DEL_LRU_ACTIVE)) {
            page.clearPageActive(cpu, DEL_LRU_CLEAR_ACTIVE);
            addNrActive(cpu, DEL_LRU_NR_ACTIVE, -1);
        } else {
            addNrInactive(cpu, DEL_LRU_NR_INACTIVE, -1);
        }
    }

    /**
     * Puts {@code page} on this zone's active or inactive list without steps, with PG_lru (and
     * PG_active) set: for building a scenario's initial state.
     */
    public void addQuietly(Page page, boolean active) {
        addQuietly(page, active, false);
    }

    /**
     * As {@link #addQuietly(Page, boolean)}, but at the head of the list when {@code atHead}:
     * behind every page already listed, the last that reclaim (which takes from the tail)
     * reaches. How a scenario's filler pages go behind its named ones.
     */
    public void addQuietly(Page page, boolean active, boolean atHead) {
        page.setFlagQuietly(PG_lru, true);
        page.setFlagQuietly(PG_active, active);
        ListHead list = active ? activeList : inactiveList;
        // addTailQuietly(e) on an entry links e just before it: before head.next is at the head
        (atHead ? list.next() : list).addTailQuietly(page);
        if (active) {
            nrActive++;
        } else {
            nrInactive++;
        }
    }
}
