package org.mmemu.core.emu;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Emulator, not kernel: who holds each page lock. The kernel's {@code PG_locked} has no owner
 * (I/O completion unlocks the pages a reader locked), so this is shadow state, kept for the
 * {@code lock-leak} finding and for deadlock reports: {@code lock_page()} and a successful
 * {@code TestSetPageLocked()} record the CPU and site, {@code unlock_page()} (by whoever)
 * forgets them. A page locked outside the run ({@code flags: [PG_locked]} in a scenario, or
 * {@code add_to_page_cache()}'s {@code SetPageLocked()} for the read it starts) has no holder.
 * Usually empty; a map, so that a machine of a million pages pays nothing for it.
 */
public final class PageLockOwners {
    /** A page lock's holder: the CPU and the site that took it. */
    public record Hold(long pfn, int cpu, Site site) {
    }

    private final Map<Long, Hold> holds = new ConcurrentHashMap<>();
    /**
     * The PG_chainlock bits taken by a bare {@code test_and_set_bit()} used as a trylock
     * (mm/vmscan.c: refill_inactive() between 637e8ec953 and ed612d3580): a bit spinlock the
     * program must clear again, and on a uniprocessor build never does.
     */
    private final Map<Long, Hold> chainBits = new ConcurrentHashMap<>();

    /** {@code cpu} took page {@code pfn}'s lock at {@code site}. */
    public void taken(Cpu cpu, long pfn, Site site) {
        holds.put(pfn, new Hold(pfn, cpu.id(), site));
    }

    /** Page {@code pfn}'s lock was released (by anyone). */
    public void released(long pfn) {
        if (!holds.isEmpty()) {
            holds.remove(pfn);
        }
    }

    /** The holder of page {@code pfn}'s lock, or null when none is known. */
    public Hold holder(long pfn) {
        return holds.isEmpty() ? null : holds.get(pfn);
    }

    /** {@code cpu} set page {@code pfn}'s PG_chainlock bit at {@code site} with a test-and-set it won. */
    public void chainBitTaken(Cpu cpu, long pfn, Site site) {
        chainBits.put(pfn, new Hold(pfn, cpu.id(), site));
    }

    /** Page {@code pfn}'s PG_chainlock bit was cleared (by anyone). */
    public void chainBitReleased(long pfn) {
        if (!chainBits.isEmpty()) {
            chainBits.remove(pfn);
        }
    }

    /** The PG_chainlock bits CPU {@code cpu} set and nobody cleared, by page frame. */
    public List<Hold> chainBitsHeldBy(int cpu) {
        return chainBits.isEmpty() ? List.of() : of(chainBits, cpu);
    }

    /** The page locks CPU {@code cpu} holds, by page frame. */
    public List<Hold> heldBy(int cpu) {
        return of(holds, cpu);
    }

    private static List<Hold> of(Map<Long, Hold> map, int cpu) {
        List<Hold> out = new ArrayList<>();
        for (Hold h : map.values()) {
            if (h.cpu() == cpu) {
                out.add(h);
            }
        }
        out.sort((a, b) -> Long.compare(a.pfn(), b.pfn()));
        return out;
    }
}
