package org.mmemu.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.StepGate;
import org.mmemu.engine.FreeEngine;
import org.mmemu.engine.Program;
import org.mmemu.engine.RunResult;
import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.VmStat;
import org.mmemu.core.page.Zone;
import org.mmemu.core.page.ZoneType;
import org.mmemu.lru.Lru;
import org.mmemu.lru.ZoneLru;
import org.mmemu.lru.protocol.ProtocolRegistry;
import org.mmemu.pagevec.LruAddPvecs;
import org.mmemu.reclaim.AddressSpace;
import org.mmemu.reclaim.Filemap;
import org.mmemu.reclaim.Reclaim;
import org.mmemu.reclaim.ReclaimConfig;
import org.mmemu.reclaim.Vmscan;

/**
 * The scan figure: {@code refill_inactive_zone()} then {@code shrink_cache()}/{@code shrink_list()}
 * over a whole zone under the free engine, per page, against {@link BareScan} doing the same
 * memory work on plain objects, in the same run and on the same thread.
 *
 * <p><b>Shape.</b> One CPU, one Normal zone of {@code pages} pages, mm1. Setup (not timed): a
 * file is read through the page cache until the zone is down to {@code pages_low} + 64 free
 * pages, then read again, so that every page is on the active list ({@code mark_page_accessed}
 * twice activates); the baseline gets as many plain pages, on its active list. Then the heap is
 * collected: the machine's objects, made just now, are young, and a collection while a clock
 * runs would copy them all (a second or more at 1 Mi pages: the main cause of the old tenfold
 * spread). Timed, in slices of {@link #SLICE} pages that alternate between the emulator and
 * the baseline, so that both see the same host: {@code refill_inactive_zone(zone, 32)} until
 * the active list is empty (every page goes to the inactive list: none is mapped), then
 * {@code shrink_cache(32, zone, GFP_KERNEL, 64)} until the inactive list is empty (every page
 * is clean and unmapped: isolated, taken out of the page cache, freed to the buddy allocator).
 *
 * <p><b>Clock.</b> The thread's CPU time, not the wall clock: on a shared host a thread that
 * is descheduled for a while would otherwise charge that time to whichever side was running.
 * Per-page figures are each phase's CPU time over the pages it moved ({@code pgdeactivate})
 * or scanned ({@code pgscan}).
 */
final class ScanScale {
    /** Pages per timed slice. */
    static final int SLICE = 4096;

    /**
     * One zone's figures.
     *
     * @param refillNanos  emulated refill, CPU ns per page moved
     * @param shrinkNanos  emulated shrink_cache + shrink_list, CPU ns per page scanned
     * @param bareRefillNanos the baseline's refill, CPU ns per page
     * @param bareShrinkNanos the baseline's shrink, CPU ns per page
     */
    record Result(int pages, long cached, long refilled, double refillNanos, long scanned, double shrinkNanos,
                  double bareRefillNanos, double bareShrinkNanos, int findings) {
        /** Emulated CPU ns per page over both phases (each page is moved once and scanned once). */
        double perPageNanos() {
            return refillNanos + shrinkNanos;
        }

        /** The baseline's CPU ns per page over both phases. */
        double barePerPageNanos() {
            return bareRefillNanos + bareShrinkNanos;
        }

        /** Emulated over bare, per page. */
        double ratio() {
            return perPageNanos() / barePerPageNanos();
        }
    }

    private ScanScale() {
    }

    static Result run(int pages) {
        double[] out = new double[8];
        Program p = Program.of(gate -> boot(gate, pages), (m, cpu) -> {
            Zone z = m.zone(ZoneType.NORMAL);
            Reclaim rc = Reclaim.of(m);
            AddressSpace f = Reclaim.of(m).fileMapping("big");
            Filemap fm = Reclaim.of(m).filemap();
            long n = 0;
            while (z.freePages() > z.pagesLow() + 64) {
                fm.read(cpu, f, n++);
            }
            LruAddPvecs.lruAddDrain(cpu);
            for (long i = 0; i < n; i++) {
                fm.read(cpu, f, i); // the second access activates
            }
            LruAddPvecs.lruAddDrain(cpu);
            BareScan bare = new BareScan((int) n);
            VmStat vm = m.pageAlloc().vmstat();
            Vmscan vmscan = rc.vmscan();
            ZoneLru zl = Lru.of(m).zone(z);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            System.gc();

            long[] emu = new long[2];
            long[] base = new long[2];
            long moved = 0;
            long bareMoved = 0;
            long d0 = vm.get(VmStat.Item.pgdeactivate);
            while (!zl.activeList().isEmpty()) {
                long want = vm.get(VmStat.Item.pgdeactivate) + SLICE;
                long t0 = threads.getCurrentThreadCpuTime();
                while (!zl.activeList().isEmpty() && vm.get(VmStat.Item.pgdeactivate) < want) {
                    vmscan.refillInactiveZone(cpu, z, Vmscan.SWAP_CLUSTER_MAX);
                }
                long t1 = threads.getCurrentThreadCpuTime();
                bareMoved += bare.refill(SLICE);
                long t2 = threads.getCurrentThreadCpuTime();
                emu[0] += t1 - t0;
                base[0] += t2 - t1;
            }
            moved = vm.get(VmStat.Item.pgdeactivate) - d0;
            bareMoved += bare.refill(Long.MAX_VALUE); // none left in step with the emulator; untimed

            long s0 = vm.get(VmStat.Item.pgscan);
            long bareScanned = 0;
            while (!zl.inactiveList().isEmpty()) {
                long want = vm.get(VmStat.Item.pgscan) + SLICE;
                long t0 = threads.getCurrentThreadCpuTime();
                while (!zl.inactiveList().isEmpty() && vm.get(VmStat.Item.pgscan) < want) {
                    vmscan.shrinkCache(cpu, Vmscan.SWAP_CLUSTER_MAX, z, Gfp.GFP_KERNEL, 2 * Vmscan.SWAP_CLUSTER_MAX);
                }
                long t1 = threads.getCurrentThreadCpuTime();
                bareScanned += bare.shrink(SLICE);
                long t2 = threads.getCurrentThreadCpuTime();
                emu[1] += t1 - t0;
                base[1] += t2 - t1;
            }
            long scanned = vm.get(VmStat.Item.pgscan) - s0;
            out[0] = n;
            out[1] = moved;
            out[2] = emu[0] / (double) Math.max(1, moved);
            out[3] = scanned;
            out[4] = emu[1] / (double) Math.max(1, scanned);
            out[5] = base[0] / (double) Math.max(1, bareMoved);
            out[6] = base[1] / (double) Math.max(1, bareScanned);
            out[7] = bare.sink() & 1;
        });
        RunResult r = new FreeEngine(Duration.ofMinutes(10)).run(p);
        if (r.outcome() != RunResult.Outcome.COMPLETED) {
            throw new IllegalStateException("scan run at " + pages + " pages: " + r.outcome() + " " + r.findings());
        }
        return new Result(pages, (long) out[0], (long) out[1], out[2], (long) out[3], out[4], out[5], out[6],
                r.findings().size());
    }

    private static Machine boot(StepGate gate, int pages) {
        Machine m = new Machine(MachineConfig.of(1, pages), gate);
        Lru.install(m, ProtocolRegistry.onClassPath().byName("mm1"));
        Reclaim.install(m, ReclaimConfig.defaults());
        return m;
    }
}
