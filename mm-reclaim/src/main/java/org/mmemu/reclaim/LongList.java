package org.mmemu.reclaim;

import org.mmemu.core.Machine;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.StepGate;
import org.mmemu.core.page.Zone;
import org.mmemu.lru.Lru;
import org.mmemu.lru.ZoneLru;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.PageFlags;
import org.mmemu.pagevec.Pagevec;
import org.mmemu.pagevec.Pagevecs;

/**
 * Emulator, not kernel: how reclaim treats the filler pages that make an LRU list "long"
 * ({@link PageFlags#PG_filler}).
 *
 * <pre>
 * Why fillers
 *
 * The kernel's reclaim loops leave once they have taken a batch (nr_to_process, at least
 * SWAP_CLUSTER_MAX pages). On a real inactive list of thousands of pages a page they skip is
 * not met again before the batch is full; on a scenario's list of one page it is met at once,
 * and before 2.5.39 that loop never ends. A scenario says "the list is long" by putting
 * filler pages behind its named pages: in use (count 1, held by nobody in the scenario),
 * without a mapping, so shrink_list() keeps each one and puts it back.
 *
 * Folding
 *
 * No other CPU can reach a filler page: it is found only through the LRU, under lru_lock, by
 * the CPU that reclaims. So the steps of one loop iteration over a filler (the look at the
 * list, the isolation, shrink_list's tests, the put-back, the drop of the isolation
 * reference) commute with every step of every other CPU, and reclaim folds them
 * (Cpu#foldBegin): they run, but make no row and no decision. What is lost is their duration:
 * a batch of 32 pages takes as long as its named pages alone, which is the conservative side of
 * the footnote's "the interrupt take longer than the runtime for shrink_list". A free lock
 * taken inside the fold, with no other held, is taken folded too (Cpu#foldLock: the empty
 * critical section of a protocol that locks for every page it releases); the lock steps
 * reclaim takes around a full pagevec stay rows (they may have to wait).
 * </pre>
 *
 * <p>What it stands in for: the rest of a real inactive list that mm/vmscan.c: shrink_cache()
 * (2.5.31-mm1) scans in batches of SWAP_CLUSTER_MAX.
 */
public final class LongList {
    private LongList() {
    }

    /**
     * Puts {@code inactive} filler pages behind the pages on {@code zone}'s inactive list and
     * {@code active} behind those on its active list, without steps (set-up): each allocated
     * from the zone, count 1 (a reference held by nobody in the scenario), no mapping, PG_lru
     * (and PG_active on the active list) and PG_filler set. Call at boot, after the named pages
     * are listed, with the LRU and reclaim installed.
     */
    public static void fill(Machine machine, Zone zone, int inactive, int active) {
        ZoneLru zl = Lru.of(machine).zone(zone);
        Cpu setup = new Cpu(63, StepGate.FREE, machine.detectors());
        // set-up, not a CPU of the run: its steps (the allocator's, for every filler) are folded,
        // which skips even the free gate and the recent-steps ring; a scenario boots per schedule
        setup.foldBegin();
        for (int i = 0; i < inactive + active; i++) {
            Page p = machine.pageAlloc().rmqueue(setup, zone, 0);
            if (p == null) {
                throw new IllegalArgumentException(zone.name() + " has no room for " + (inactive + active)
                        + " filler pages");
            }
            p.setCountQuietly(1);
            p.setFlagQuietly(PageFlags.PG_filler, true);
            zl.addQuietly(p, i >= inactive, true);
        }
        setup.foldEnd();
    }

    /** Whether {@code page} is a filler (emulator flag, no step). */
    static boolean isFiller(Page page) {
        return page != null && page.hasFlag(PageFlags.PG_filler);
    }

    /**
     * Whether the page the next iteration of a loop over {@code list} will take, from its tail,
     * is a filler: the emulator's look ahead, no step. The loop folds that iteration.
     */
    static boolean tailIsFiller(ListHead list) {
        ListHead prev = list.prev();
        return prev != list && prev instanceof Page p && isFiller(p);
    }

    /** Starts folding on {@code cpu} if {@code fold}; returns {@code fold} for the matching {@link #end}. */
    static boolean begin(Cpu cpu, boolean fold) {
        if (fold) {
            cpu.foldBegin();
        }
        return fold;
    }

    /** Ends what {@link #begin} started. */
    static void end(Cpu cpu, boolean folded) {
        if (folded) {
            cpu.foldEnd();
        }
    }

    /**
     * {@code __pagevec_release(pvec)} with the fillers' part folded: the named pages are
     * released first, in their order, as one vector through the protocol, then the fillers,
     * folded. A filler keeps its own reference, so its put never reaches zero and never takes
     * the lock: taking it out of the vector changes nothing for the named pages but their
     * position, and the lock a named page takes is the same. Reinitialises {@code pvec}.
     */
    static void release(Cpu cpu, Pagevec pvec) {
        int n = pvec.pagevecCount();
        Pagevec named = new Pagevec();
        Pagevec fillers = new Pagevec();
        named.pagevecInit();
        fillers.pagevecInit();
        for (int i = 0; i < n; i++) {
            Page p = pvec.page(i);
            (isFiller(p) ? fillers : named).pagevecAdd(p);
        }
        if (fillers.pagevecCount() == 0) {
            Pagevecs.__pagevecRelease(cpu, pvec);
            return;
        }
        if (named.pagevecCount() != 0) {
            Pagevecs.__pagevecRelease(cpu, named);
        }
        cpu.foldBegin();
        try {
            Pagevecs.__pagevecRelease(cpu, fillers);
        } finally {
            cpu.foldEnd();
        }
        pvec.pagevecReinit();
    }

    /** Whether every page of {@code pvec} is a filler (the vector's release folds entirely). */
    static boolean allFillers(Pagevec pvec) {
        for (int i = 0; i < pvec.pagevecCount(); i++) {
            if (!isFiller(pvec.page(i))) {
                return false;
            }
        }
        return pvec.pagevecCount() > 0;
    }
}
