package org.mmemu.bench;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.StepGate;

/**
 * Heap per emulated page and boot time, measured as mm-core's figure always was: the used heap
 * after {@code System.gc()} before and after booting a machine of one Normal zone, over its
 * pages; the median of several boots. It counts everything a machine owns per page: the
 * {@code Page} objects, the zone's {@code mem_map}, the buddy bitmaps, the detectors' shadow.
 */
final class HeapScale {
    /** Median bytes per page and median boot milliseconds. */
    record Result(int pages, double bytesPerPage, double bootMillis, List<Double> samples) {
    }

    private HeapScale() {
    }

    static Result run(int pages, int boots) {
        List<Double> perPage = new ArrayList<>();
        List<Double> bootMs = new ArrayList<>();
        for (int r = 0; r < boots; r++) {
            long before = usedAfterGc();
            long t0 = System.nanoTime();
            Machine m = new Machine(MachineConfig.of(1, pages), StepGate.FREE);
            bootMs.add((System.nanoTime() - t0) / 1e6);
            long after = usedAfterGc();
            perPage.add((after - before) / (double) pages);
            Reference.reachabilityFence(m);
        }
        return new Result(pages, Stats.median(perPage), Stats.median(bootMs), perPage);
    }

    static long usedAfterGc() {
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
