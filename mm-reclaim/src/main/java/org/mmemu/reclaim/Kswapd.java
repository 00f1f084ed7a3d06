package org.mmemu.reclaim;

import org.mmemu.core.Machine;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.Node;
import org.mmemu.core.page.VmStat;
import org.mmemu.core.page.Zone;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kswapd of mm/vmscan.c (2.5.31, F2, docs/FIDELITY.md), one per node.
 *
 * <pre>
 * What it is for
 *
 * __alloc_pages() must not do the work of keeping memory free in the allocating context when
 * it can avoid it. When a zone falls below pages_low, the allocator sets zone->need_balance
 * and wakes kswapd; kswapd, a kernel thread with PF_MEMALLOC | PF_KSWAPD, calls
 * try_to_free_pages(zone, GFP_KSWAPD) on each flagged zone until some zone at or below it has
 * more than pages_high free (check_classzone_need_balance), then clears the flag and sleeps.
 * A zone reclaim cannot help (try_to_free_pages fails) loses its flag at once, and kswapd
 * naps for HZ, so that an unreclaimable zone does not keep it spinning.
 *
 * Invariant: kswapd sleeps only when no zone of its node has need_balance set.
 * </pre>
 *
 * <p>Emulation: the thread is a program a CPU runs, {@link #kswapd(Cpu, int)}, bounded by a
 * number of iterations of its main loop so that a run ends. Sleeping on {@code kswapd_wait}
 * is a loop iteration that finds nothing to do: one step reading the flags, then the next
 * iteration, which an engine may interleave with anything else ({@code schedule()}). A wake-up
 * is {@code sleeping = false} plus the {@code kswapd_wakeup} count; the HZ nap after a failed
 * zone is not emulated beyond clearing the flag.
 */
public final class Kswapd {
    /** Wake-ups and balancing rounds at debug: what a user watching reclaim wants to follow. */
    private static final Logger LOG = LoggerFactory.getLogger(Kswapd.class);
    private static final Site WQ_ACTIVE = Site.of("wakeup_kswapd", "waitqueue_active(&pgdat->kswapd_wait)").dataRace();
    private static final Site WAKE = Site.of("wakeup_kswapd", "wake_up_interruptible(&pgdat->kswapd_wait)").dataRace();
    private static final Site CAN_SLEEP = Site.of("kswapd_can_sleep_pgdat", "zone->need_balance").dataRace();
    private static final Site SLEEP = Site.of("kswapd", "schedule() (sleeping on kswapd_wait)").dataRace();
    private static final Site NEED = Site.of("kswapd_balance_pgdat", "zone->need_balance").dataRace();
    private static final Site CLEAR = Site.of("kswapd_balance_pgdat", "zone->need_balance = 0").dataRace();
    private static final Site CHECK = Site.of("check_classzone_need_balance", "zone->free_pages > zone->pages_high").dataRace();

    private final Machine machine;
    private final Vmscan vmscan;
    private final Node node;
    private volatile boolean sleeping = true;
    private volatile boolean stop;

    Kswapd(Machine machine, Vmscan vmscan) {
        this.machine = machine;
        this.vmscan = vmscan;
        this.node = machine.node();
    }

    /**
     * mm/vmscan.c: wakeup_kswapd() (2.5.31): if kswapd sleeps on the node's wait queue, wake
     * it; {@code kswapd_wakeup} counts the wake-ups.
     */
    public void wakeupKswapd(Cpu cpu, Zone classzone) {
        cpu.step(WQ_ACTIVE, this, Access.READ);
        if (!sleeping) {
            return;
        }
        cpu.step(WAKE, this, Access.WRITE);
        sleeping = false;
        machine.pageAlloc().vmstat().inc(VmStat.Item.kswapd_wakeup);
        LOG.debug("cpu{}: wakeup_kswapd for zone {} ({} free pages)", cpu.id(), classzone.name(),
                classzone.freePages());
    }

    /**
     * mm/vmscan.c: kswapd() (2.5.31): the thread's main loop on {@code cpu}, run for at most
     * {@code maxIterations} iterations, or until {@link #stop()}. An iteration is a sleep or one
     * round of kswapd_balance()'s loop (one kswapd_balance_pgdat()), so that a zone that never
     * gets balanced cannot keep the emulated thread in kswapd_balance() forever (the kernel's
     * loop is unbounded). Returns the number of kswapd_balance() runs.
     */
    public int kswapd(Cpu cpu, int maxIterations) {
        int saved = cpu.pflags();
        cpu.setPflags(saved | Cpu.PF_MEMALLOC | Cpu.PF_KSWAPD);
        int balances = 0;
        try {
            for (int it = 0; it < maxIterations && !stop; it++) {
                if (kswapdCanSleep(cpu)) {
                    cpu.step(SLEEP, this, Access.WRITE);
                    sleeping = true;
                    continue;
                }
                sleeping = false;
                it += kswapdBalance(cpu, maxIterations - it) - 1;
                balances++;
            }
        } finally {
            cpu.setPflags(saved);
        }
        return balances;
    }

    /** Ends a running {@link #kswapd} loop at its next iteration ({@code kthread_stop}, emulator-side). */
    public void stop() {
        stop = true;
    }

    /** Whether kswapd is asleep on its wait queue, without a step. */
    public boolean sleeping() {
        return sleeping;
    }

    /** mm/vmscan.c: kswapd_can_sleep_pgdat() (2.5.31): no zone of the node needs balance. */
    public boolean kswapdCanSleep(Cpu cpu) {
        for (Zone z : node.zones()) {
            cpu.step(CAN_SLEEP, z, Zone.NEED_BALANCE, Access.READ);
            if (z.needBalance()) {
                return false;
            }
        }
        return true;
    }

    /**
     * mm/vmscan.c: kswapd_balance() (2.5.31 to 2.5.39; 2.6: one {@link #balancePgdat} per wake-up): balance the node until nothing more is needed, for
     * at most {@code maxRounds} (at least one) kswapd_balance_pgdat() rounds: the emulator's
     * bound on the kernel's unbounded loop. Returns the rounds run.
     */
    public int kswapdBalance(Cpu cpu, int maxRounds) {
        if (vmscan.profileReclaim().balancePgdat()) {
            balancePgdat(cpu);
            return 1;
        }
        boolean needMoreBalance;
        int rounds = 0;
        do {
            needMoreBalance = kswapdBalancePgdat(cpu);
            rounds++;
        } while (needMoreBalance && !stop && rounds < maxRounds);
        return rounds;
    }

    /**
     * mm/vmscan.c: kswapd() main loop body (2.6.0 to 2.6.7, 2.6.7 l.910-946): after the wake-up,
     * {@code balance_pgdat(pgdat, 0)} ({@link Vmscan#balancePgdat}), then back to sleep. 2.6 has
     * no need_balance flag (wakeup_kswapd() tests {@code free_pages > pages_low} and wakes the
     * queue); the emulator keeps the flags as the record of a wake-up and clears them all here,
     * where the 2.6 thread goes back to {@code prepare_to_wait()}.
     */
    int balancePgdat(Cpu cpu) {
        int reclaimed = vmscan.balancePgdat(cpu);
        LOG.debug("kswapd on cpu{}: balance_pgdat reclaimed {}", cpu.id(), reclaimed);
        for (Zone zone : node.zones()) {
            cpu.step(CLEAR, zone, Zone.NEED_BALANCE, Access.WRITE);
            zone.setNeedBalance(false);
        }
        return reclaimed;
    }

    /**
     * mm/vmscan.c: kswapd_balance_pgdat() (2.5.31 to 2.5.39, 2.5.33 l.458-475; {@code pageoutrun}
     * is counted by try_to_free_pages() in these kernels): for each flagged zone, highest first,
     * try_to_free_pages(zone, GFP_KSWAPD); on failure clear the flag; otherwise keep it while
     * check_classzone_need_balance() says so. Returns whether another round is needed.
     */
    public boolean kswapdBalancePgdat(Cpu cpu) {
        boolean needMoreBalance = false;
        java.util.List<Zone> zones = node.zones();
        for (int i = zones.size() - 1; i >= 0; i--) {
            Zone zone = zones.get(i);
            cpu.step(NEED, zone, Zone.NEED_BALANCE, Access.READ);
            if (!zone.needBalance()) {
                continue;
            }
            int freed = vmscan.tryToFreePages(cpu, zone, Gfp.GFP_KSWAPD, 0);
            LOG.debug("kswapd on cpu{}: balancing zone {}: try_to_free_pages freed {}", cpu.id(), zone.name(), freed);
            if (freed == 0) {
                cpu.step(CLEAR, zone, Zone.NEED_BALANCE, Access.WRITE);
                zone.setNeedBalance(false);
                continue; // the kernel naps HZ here
            }
            if (checkClasszoneNeedBalance(cpu, zone)) {
                needMoreBalance = true;
            } else {
                cpu.step(CLEAR, zone, Zone.NEED_BALANCE, Access.WRITE);
                zone.setNeedBalance(false);
            }
        }
        return needMoreBalance;
    }

    /**
     * mm/vmscan.c: check_classzone_need_balance() (2.5.31): false as soon as a zone from the
     * classzone down has more than pages_high free.
     */
    public boolean checkClasszoneNeedBalance(Cpu cpu, Zone classzone) {
        for (int t = classzone.index(); t >= 0; t--) {
            Zone z = node.zone(org.mmemu.core.page.ZoneType.values()[t]);
            if (z == null) {
                continue;
            }
            cpu.step(CHECK, z, Zone.FREE_PAGES, Access.READ);
            if (z.freePages() > z.pagesHigh()) {
                return false;
            }
        }
        return true;
    }
}
