package org.mmemu.slab;

import java.util.Set;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.StepGate;
import org.mmemu.core.page.Zone;

/** Machines for single-threaded slab tests: StepGate.FREE, watermarks out of the way. */
final class SlabTestSupport {
    private SlabTestSupport() {
    }

    /** {@code cpus} CPUs, one Normal zone of {@code pages} pages, watermarks 0. */
    static Machine machine(int cpus, int pages) {
        Machine m = new Machine(MachineConfig.of(cpus, pages), StepGate.FREE);
        lowerWatermarks(m);
        return m;
    }

    /** The same, with no finding kind stopping the run (to count findings). */
    static Machine machineNoStop(int cpus, int pages) {
        Machine m = new Machine(MachineConfig.of(cpus, pages).withStopKinds(Set.of()), StepGate.FREE);
        lowerWatermarks(m);
        return m;
    }

    static void lowerWatermarks(Machine m) {
        for (Zone z : m.node().zones()) {
            z.overrideWatermarks(0, 0, 0);
        }
    }
}
