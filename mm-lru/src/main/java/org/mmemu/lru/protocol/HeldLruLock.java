package org.mmemu.lru.protocol;

import org.mmemu.core.emu.Cpu;
import org.mmemu.lru.ZoneLru;

/**
 * Part of the protocol SPI (see {@link org.mmemu.lru.LruProtocol}): the local
 * {@code struct zone *zone} of mm/swap.c: release_pages() / __pagevec_release() and
 * __pagevec_lru_add() (2.5.32 on, per-zone lock of patch 17): the zone whose {@code lru_lock}
 * a loop over a vector of pages holds, irqs off, taken lazily and switched when the page's zone
 * changes. The loop itself stays in each protocol; these are the statements they all write the
 * same way, with the same steps (a lock, an unlock; nothing else is a step).
 */
public final class HeldLruLock {
    private ZoneLru zone;

    /** {@code struct zone *zone = NULL}: no lock held. */
    public HeldLruLock() {
        // no zone yet
    }

    /** The zone whose lock is held, or null. Not a step. */
    public ZoneLru zone() {
        return zone;
    }

    /**
     * mm/swap.c: release_pages() (2.5.33) / __pagevec_lru_add() (2.5.32), the zone switch:
     * {@code if (pagezone != zone) { if (zone) spin_unlock_irq(&zone->lru_lock); zone = pagezone;
     * spin_lock_irq(&zone->lru_lock); }}. The compare is not a step; a protocol that counts it
     * as an instruction steps it itself first. Returns the zone now held.
     */
    public ZoneLru lock(Cpu cpu, ZoneLru pagezone) {
        if (pagezone != zone) {
            if (zone != null) {
                zone.lruLock().spinUnlockIrq(cpu);
            }
            zone = pagezone;
            zone.lruLock().spinLockIrq(cpu);
        }
        return zone;
    }

    /**
     * mm/swap.c: release_pages() (2.6.0) {@code if (zone) { spin_unlock_irq(&zone->lru_lock);
     * zone = NULL; }}: drops the lock if one is held, as before {@code pagevec_free()} and at the
     * end of the loop.
     */
    public void unlock(Cpu cpu) {
        if (zone != null) {
            zone.lruLock().spinUnlockIrq(cpu);
            zone = null;
        }
    }
}
