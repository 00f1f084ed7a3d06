package org.mmemu.bench;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.StepGate;
import org.mmemu.core.page.Zone;
import org.mmemu.core.page.ZoneType;

/**
 * Heap per emulated page and boot time: the used heap after {@code System.gc()} before and after
 * booting a machine of one Normal zone, over its pages; the median of several boots. It counts
 * everything a machine owns per page: the {@code Page} objects, the zone's {@code mem_map}, the
 * buddy bitmaps, the detectors' shadow. A zone makes a page's object on the first look at it
 * ({@code Zone.pageAt}), so right after boot almost none exist: {@code bytesPerPageAtBoot} is
 * that figure, and {@code bytesPerPage} the one with every page materialised (boot, then each
 * page looked at once), which is what a machine that has touched all its memory holds.
 */
final class HeapScale {
    /** Median bytes per page and median boot milliseconds. */
    record Result(int pages, double bytesPerPage, double bytesPerPageAtBoot, double bootMillis, List<Double> samples) {
    }

    private HeapScale() {
    }

    static Result run(int pages, int boots) {
        List<Double> perPage = new ArrayList<>();
        List<Double> atBoot = new ArrayList<>();
        List<Double> bootMs = new ArrayList<>();
        for (int r = 0; r < boots; r++) {
            long before = usedAfterGc();
            long t0 = System.nanoTime();
            Machine m = new Machine(MachineConfig.of(1, pages), StepGate.FREE);
            bootMs.add((System.nanoTime() - t0) / 1e6);
            long after = usedAfterGc();
            atBoot.add((after - before) / (double) pages);
            Zone z = m.zone(ZoneType.NORMAL);
            for (int i = 0; i < z.size(); i++) {
                z.pageAt(i);
            }
            long touched = usedAfterGc();
            perPage.add((touched - before) / (double) pages);
            Reference.reachabilityFence(m);
        }
        return new Result(pages, Stats.median(perPage), Stats.median(atBoot), Stats.median(bootMs), perPage);
    }

    static long usedAfterGc() {
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
