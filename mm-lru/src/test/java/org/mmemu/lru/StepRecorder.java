package org.mmemu.lru;

import java.util.ArrayList;
import java.util.List;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.emu.StepGate;

/** A gate that lets every step through and records it, with the CPU's irq state at that moment. */
final class StepRecorder implements StepGate {
    /** One recorded step. {@code irqsOn}: whether an interrupt could arrive before it. */
    record Step(int cpu, Site site, Access access, boolean irqsOn) {
    }

    private final List<Step> steps = new ArrayList<>();
    private boolean on;

    @Override
    public void step(Cpu cpu, Site site, Object target, int field, Access access) {
        if (on) {
            steps.add(new Step(cpu.id(), site, access, !cpu.irqsDisabled()));
        }
    }

    void start() {
        steps.clear();
        on = true;
    }

    List<Step> stop() {
        on = false;
        return List.copyOf(steps);
    }
}
