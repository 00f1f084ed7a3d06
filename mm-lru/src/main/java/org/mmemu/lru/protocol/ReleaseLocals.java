package org.mmemu.lru.protocol;

import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.page.Page;
import org.mmemu.lru.Lru;
import org.mmemu.lru.ZoneLru;

/**
 * Part of the protocol SPI (see {@link org.mmemu.lru.LruProtocol}): the locals of mm/swap.c:
 * release_pages() / __pagevec_release() (2.5.32 on, per-zone lock of patch 17),
 * {@code struct zone *zone} (a {@link HeldLruLock}) and {@code struct pagevec pages_to_free}
 * (a {@link PagesToFree}), with the statements on them that every release loop writes the same
 * way: the zone switch, the flush of a full {@code pages_to_free}, and the end of the loop. The
 * loop itself, and every statement where one protocol differs from another, stays in the
 * protocol. Nothing here adds a step of its own: the steps are the lock, unlock and frees the
 * kernel statements make.
 */
public final class ReleaseLocals {
    private final Lru lru;
    private final HeldLruLock zone = new HeldLruLock();
    private final PagesToFree pagesToFree = new PagesToFree();

    /** The locals of a release loop running on {@code cpu}: no zone locked, nothing to free. */
    public ReleaseLocals(Cpu cpu) {
        this.lru = Lru.of(cpu);
    }

    /** include/linux/mm.h: page_zone(page) (2.5.33): the LRU of the page's zone. Not a step. */
    public ZoneLru zoneOf(Page page) {
        return lru.zoneOf(page);
    }

    /** The zone whose lock is held, or null. Not a step. */
    public ZoneLru zone() {
        return zone.zone();
    }

    /** {@code pages_to_free}. */
    public PagesToFree pagesToFree() {
        return pagesToFree;
    }

    /** mm/swap.c: release_pages() (2.5.33), the zone switch: see {@link HeldLruLock#lock}. Returns the zone now held. */
    public ZoneLru lock(Cpu cpu, ZoneLru pagezone) {
        return zone.lock(cpu, pagezone);
    }

    /** mm/swap.c: release_pages() (2.6.0), the lock dropped if held: see {@link HeldLruLock#unlock}. */
    public void unlock(Cpu cpu) {
        zone.unlock(cpu);
    }

    /**
     * mm/swap.c: release_pages() (2.6.0) {@code if (!pagevec_add(&pages_to_free, page)) { if (zone)
     * { spin_unlock_irq(&zone->lru_lock); zone = NULL; } pagevec_free(&pages_to_free); }}: adds
     * {@code page}; when that fills the vector, drops the zone's lock if held and frees the
     * pages with {@code caller}'s site. Returns whether it freed (a kernel that takes the lock
     * again then does so with {@link #lock}).
     */
    public boolean addOrFree(Cpu cpu, Page page, Site caller) {
        if (pagesToFree.add(page) != 0) {
            return false;
        }
        zone.unlock(cpu);
        pagesToFree.free(cpu, caller);
        return true;
    }

    /**
     * mm/swap.c: release_pages() (2.5.33) end: {@code if (zone) spin_unlock_irq(&zone->lru_lock);
     * pagevec_free(&pages_to_free);}, the free with {@code caller}'s site.
     */
    public void finish(Cpu cpu, Site caller) {
        zone.unlock(cpu);
        pagesToFree.free(cpu, caller);
    }
}
