package org.mmemu.scenario.run;

import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.emu.StepGate;

/**
 * The engine's gate, shut while a scenario's initial state is set up: the pages are taken from
 * the buddy allocator with its ordinary code (so its free lists, maps and the detectors' shadow
 * agree), but those steps are not the run's and no engine may schedule or interrupt them. Opened
 * once, before any CPU runs its program; a volatile read per step after that.
 */
final class QuietGate implements StepGate {
    private final StepGate engine;
    private volatile boolean open;

    QuietGate(StepGate engine) {
        this.engine = engine;
    }

    void open() {
        open = true;
    }

    @Override
    public void step(Cpu cpu, Site site, Object target, int field, Access access) {
        if (open) {
            engine.step(cpu, site, target, field, access);
        }
    }
}
