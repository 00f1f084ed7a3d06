package com.example.mmemu.alloc;

import java.util.List;
import java.util.Map;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.StepGate;
import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.PageAlloc;
import org.mmemu.core.page.ZoneType;

/**
 * mm-core alone: boot a one-CPU machine of 1024 pages, allocate a few blocks from the buddy
 * allocator, free them, and read {@code /proc/vmstat} and {@code /proc/buddyinfo}.
 *
 * <p>{@link StepGate#FREE} lets every step through at once: the code runs as plain Java on
 * the calling thread. The same calls under an engine's gate become schedulable steps.
 */
public final class AllocAndFree {
    private AllocAndFree() {
    }

    /** What one run saw: vmstat after freeing, free pages before / while holding / after, the findings. */
    public record Result(Map<String, Long> vmstat, long freeAtBoot, long freeWhileHeld, long freeAtEnd,
                         String buddyinfo, List<Finding> findings) {
    }

    public static Result run() {
        Machine machine = new Machine(MachineConfig.of(1, 1024), StepGate.FREE);
        Cpu cpu = machine.cpu(0);
        PageAlloc alloc = machine.pageAlloc();
        long atBoot = alloc.nrFreePages();

        Page single = alloc.allocPage(cpu, Gfp.GFP_KERNEL);            // alloc_page(GFP_KERNEL)
        Page block = alloc.allocPages(cpu, Gfp.GFP_KERNEL, 3);         // 8 contiguous pages
        long held = alloc.nrFreePages();

        alloc.freePage(cpu, single);                                   // __free_page()
        alloc.freePages(cpu, block, 3);                                // __free_pages(page, 3)
        machine.detectors().checkQuiescent();                          // leak and accounting checks

        return new Result(alloc.vmstat().snapshot(), atBoot, held, alloc.nrFreePages(),
                machine.zone(ZoneType.NORMAL).buddyinfo(), machine.detectors().findings());
    }

    public static void main(String[] args) {
        Result r = run();
        System.out.printf("free pages: %d at boot, %d while holding 9, %d after freeing%n",
                r.freeAtBoot(), r.freeWhileHeld(), r.freeAtEnd());
        System.out.println("buddyinfo Normal:" + r.buddyinfo());
        r.vmstat().forEach((k, v) -> System.out.println(k + " " + v));
        System.out.println("findings: " + (r.findings().isEmpty() ? "none" : r.findings()));
    }
}
