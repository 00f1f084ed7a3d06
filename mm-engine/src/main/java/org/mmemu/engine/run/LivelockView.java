package org.mmemu.engine.run;

import org.mmemu.core.emu.Site;
import org.mmemu.core.sync.SpinLock;

/** What the {@link LivelockDetector} sees of the CPUs of one execution. */
final class LivelockView implements LivelockDetector.View {
    private final RunState state;

    LivelockView(RunState state) {
        this.state = state;
    }

    @Override
    public int cpus() {
        return state.cpus();
    }

    @Override
    public boolean done(int cpu) {
        return state.done(cpu);
    }

    @Override
    public boolean blocked(int cpu) {
        return state.blocked(cpu);
    }

    @Override
    public boolean inInterrupt(int cpu) {
        return state.slots[cpu].cpu.inInterrupt();
    }

    @Override
    public Site pendingSite(int cpu) {
        return state.slots[cpu].site;
    }

    @Override
    public SpinLock waitsFor(int cpu) {
        return state.slots[cpu].target instanceof SpinLock l ? l : null;
    }

    @Override
    public boolean handlerMayArrive() {
        return state.handlerMayArrive();
    }
}
