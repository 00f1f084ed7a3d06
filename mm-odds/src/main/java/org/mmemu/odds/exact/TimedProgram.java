package org.mmemu.odds.exact;

import java.util.ArrayList;
import java.util.List;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.StepGate;
import org.mmemu.engine.InterruptSpec;
import org.mmemu.engine.Program;

/**
 * A scenario's program as the odds run it: the same machine and code, but the scenario's own
 * {@code interrupts:} replaced by one busy interrupt per CPU whose length the {@link TimedRun}
 * sets by moving the CPU's clock (the handler itself takes no step), as the profile's sources
 * stand for them. It remembers the machine it booted last, so the run can read each CPU's count
 * of folded steps. One per run; not shared.
 */
final class TimedProgram implements Program {
    /** The most interrupts one CPU may take in a run (Monte Carlo runs draw several). */
    static final int MAX_ARRIVALS = 1 << 16;

    private final Program inner;
    private final List<InterruptSpec> irqs;
    private Machine machine;

    TimedProgram(Program inner, int cpus) {
        this.inner = inner;
        List<InterruptSpec> l = new ArrayList<>();
        for (int c = 0; c < cpus; c++) {
            l.add(InterruptSpec.busy(c, 0, MAX_ARRIVALS));
        }
        this.irqs = List.copyOf(l);
    }

    @Override
    public Machine boot(StepGate gate) {
        machine = inner.boot(gate);
        return machine;
    }

    /** The machine of the last boot. */
    Machine machine() {
        return machine;
    }

    @Override
    public void run(Machine m, Cpu cpu) {
        inner.run(m, cpu);
    }

    /** One busy interrupt per CPU, indexed by the CPU. */
    @Override
    public List<InterruptSpec> interrupts() {
        return irqs;
    }

    @Override
    public void atQuiescence(Machine m) {
        inner.atQuiescence(m);
    }

    @Override
    public int livelockRepeats() {
        return inner.livelockRepeats();
    }
}
