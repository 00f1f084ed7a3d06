package org.mmemu.lru;

import java.util.ArrayList;
import java.util.List;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Detectors;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.Site;
import org.mmemu.core.list.ListHead;

/**
 * include/linux/mm_inline.h: add_page_to_active_list(), add_page_to_inactive_list(),
 * del_page_from_lru() (2.5.33), the invariant they keep, checked.
 *
 * <p>Emulator, not kernel: the accounting detector of one zone's LRU counters
 * (docs/ARCHITECTURE.md §4); the counters are also moved in batches by mm/vmscan.c's
 * shrink_cache() and refill_inactive_zone() ({@code zone->nr_inactive -= n}, 2.5.33). {@code zone->nr_active} and {@code zone->nr_inactive} must equal
 * the lengths of the lists they count whenever {@code zone->lru_lock} is free and no CPU is
 * between a list change and its counter update; a disagreement then is an {@code accounting}
 * finding naming the counter, the list's length and the counter's last writers.
 *
 * <p><b>Between the paired updates.</b> A page joins and leaves the LRU lists with PG_lru,
 * so each CPU's PG_lru changes on the zone's pages ({@code Zone.lruFlagMoves}, mm-core's
 * shadow) must add up to its updates of {@code nr_active + nr_inactive}; a CPU whose two
 * numbers differ has taken pages off or put them on without counting them yet. 2.5.33's
 * {@code refill_inactive_zone()} is such a CPU from its isolation to its put-back, by design
 * (its pages stay counted in {@code nr_active}, docs/FIDELITY.md); a protocol that updates a
 * counter outside the lock is one between its unlock and its update, and a lost update
 * shows once it is done.
 *
 * <p><b>When.</b> After each release of the lock and after each counter update made while it
 * is free, under an engine that runs one CPU at a time ({@link Detectors#serial()}); the
 * quiescent check ({@code Lru.checkQuiescent}) compares the same numbers at the end. One
 * finding per counter and run: a disagreement persists.
 */
final class LruCounters {
    private final ZoneLru zl;
    private final Detectors detectors;
    private final int cpus;
    /** Per CPU: the sum of its updates of {@code nr_active + nr_inactive} on this zone. */
    private final int[] counted = new int[64];
    /** The last two writers of each counter (active, inactive), most recent first. */
    private final Finding.Related[][] writers = new Finding.Related[2][2];
    private final boolean[] reported = new boolean[2];
    /** Per counter and CPU: the value its last load of the counter saw ({@link #loaded}). */
    private final int[][] lastLoad = new int[2][64];

    LruCounters(ZoneLru zl, Detectors detectors, int cpus) {
        this.zl = zl;
        this.detectors = detectors;
        this.cpus = cpus;
    }

    /** {@code cpu} moved counter {@code active} (nr_active, else nr_inactive) by {@code delta} at {@code site}. */
    void wrote(Cpu cpu, Site site, boolean active, int delta) {
        counted[cpu.id()] += delta;
        Finding.Related[] w = writers[active ? 0 : 1];
        w[1] = w[0];
        w[0] = new Finding.Related("last writer of " + name(active), cpu.id(), site);
        if (!zl.lruLock().isLocked()) {
            check(cpu);
        }
    }

    /** {@code cpu} loaded counter {@code active} and saw {@code value}: what a later plain store builds on. */
    void loaded(Cpu cpu, boolean active, int value) {
        lastLoad[active ? 0 : 1][cpu.id()] = value;
    }

    /**
     * {@code cpu} stored {@code value} into counter {@code active}: the CPU meant to move it by
     * the difference from what it loaded last, whatever other CPUs stored in between (a lost
     * update leaves the CPU's own count balanced and the counter wrong, which is the finding).
     */
    void stored(Cpu cpu, Site site, boolean active, int value) {
        wrote(cpu, site, active, value - lastLoad[active ? 0 : 1][cpu.id()]);
    }

    /** The check after a release of lru_lock or a counter update with the lock free; {@code cpu} made it. */
    void check(Cpu cpu) {
        if (!detectors.serial() || zl.lruLock().isLocked() || cpu.folding()) {
            return;
        }
        for (int c = 0; c < cpus; c++) {
            if (zl.zone().lruFlagMoves(c) != counted[c]) {
                return; // a CPU is between a list change and its counter update
            }
        }
        compare(true, length(zl.activeList()), cpu, "with lru_lock free and no CPU between a list change and its count");
        compare(false, length(zl.inactiveList()), cpu, "with lru_lock free and no CPU between a list change and its count");
    }

    /**
     * Reports counter {@code active} against {@code listed}, the length of its list, unless
     * they agree or this counter was reported already; {@code cpu} is the CPU whose step made
     * the check (null at a quiescent point). Returns whether it reported.
     */
    boolean compare(boolean active, int listed, Cpu cpu, String when) {
        int k = active ? 0 : 1;
        int value = active ? zl.nrActive() : zl.nrInactive();
        if (value == listed || listed < 0 || reported[k]) {
            return false;
        }
        reported[k] = true;
        List<Finding.Related> rel = new ArrayList<>();
        for (Finding.Related w : writers[k]) {
            if (w != null) {
                rel.add(w);
            }
        }
        String msg = "zone " + zl.zone().name() + ": " + name(active) + " " + value + " but " + zl.zone().name()
                + (active ? "->active_list" : "->inactive_list") + " holds " + listed + " pages, " + when;
        Finding.Related last = rel.isEmpty() ? null : rel.get(0);
        detectors.recordQuiescent(new Finding(FindingKind.ACCOUNTING, -1, cpu == null ? -1 : cpu.id(),
                last == null ? null : last.site(), msg, rel,
                cpu == null ? java.util.Map.of() : detectors.recentOf(cpu.id()), ""));
        return true;
    }

    /** The entries of {@code head}'s list, or -1 if it is broken (list corruption is reported elsewhere). */
    int length(ListHead head) {
        int n = 0;
        for (ListHead e = head.next(); e != head; e = e.next()) {
            if (e == null || e.isPoisoned() || n > detectors.nrPages()) {
                return -1;
            }
            n++;
        }
        return n;
    }

    private static String name(boolean active) {
        return active ? "nr_active" : "nr_inactive";
    }
}
