package org.mmemu.reclaim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.VmStat;
import org.mmemu.core.page.Zone;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mm/oom_kill.c: out_of_memory() (2.5.31), reduced to what an emulator without processes can
 * say: reclaim failed at every priority. The event is counted in {@code oom_kill}, logged (the
 * first at WARN, the rest at DEBUG) and kept as a {@link Report} with the zone, the allocation and the counters at that moment.
 *
 * <p>As in 2.5.31, there is no OOM while swap space is left ("Enough swap space left? Not
 * OOM."). Departures: there are no tasks to choose from, so nothing is killed and no task gets
 * PF_MEMDIE; the allocation that triggered it fails unless a retry finds memory, as it would for
 * a task the OOM killer did not pick. 2.5.31's time-based rate limit (ten failures, at least a
 * second apart from the first, five seconds after the last kill) needs jiffies and is not
 * emulated: every failure of try_to_free_pages() without swap left is reported.
 */
public final class OutOfMemory {
    /**
     * The logger, made at the first report: every machine boots an OutOfMemory, and making a
     * logger at class load would start the logging backend in every run that never logs.
     */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(OutOfMemory.class);
    }

    /** One out-of-memory event, emulator-side. */
    public record Report(int cpu, String zone, String gfp, int order, int freePages, Map<String, Long> vmstat) {
        @Override
        public String toString() {
            return "Out of Memory on cpu" + cpu + ": zone " + zone + " free " + freePages + ", gfp " + gfp
                    + ", order " + order;
        }
    }

    private final Machine machine;
    private final SwapState swap;
    private final List<Report> reports = new ArrayList<>();

    OutOfMemory(Machine machine, SwapState swap) {
        this.machine = machine;
        this.swap = swap;
    }

    /** mm/oom_kill.c: out_of_memory() (2.5.31): unless swap is left, count, log and record the event. */
    public void outOfMemory(Cpu cpu, Zone classzone, int gfpMask, int order) {
        if (swap.nrSwapPages(cpu) > 0) {
            return; // enough swap space left? Not OOM.
        }
        VmStat vm = machine.pageAlloc().vmstat();
        vm.inc(VmStat.Item.oom_kill);
        Report r = new Report(cpu.id(), classzone.name(), Gfp.describe(gfpMask), order, classzone.freePages(),
                vm.snapshot());
        int n;
        synchronized (reports) {
            reports.add(r);
            n = reports.size();
        }
        if (n == 1) {
            Log.LOG.warn("{}", r);
        } else {
            Log.LOG.debug("{} (report {})", r, n);
        }
    }

    /** The events so far. */
    public List<Report> reports() {
        synchronized (reports) {
            return List.copyOf(reports);
        }
    }
}
