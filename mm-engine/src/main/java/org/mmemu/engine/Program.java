package org.mmemu.engine;

import java.util.List;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.StepGate;

/**
 * What an engine runs: a fresh machine with its initial state, and the kernel code each CPU
 * runs on it. Engines that explore call {@link #boot} once per execution, so executions never
 * share state; the same program runs unchanged under every engine.
 */
public interface Program {
    /** A fresh machine whose CPUs step through {@code gate}, in this program's initial state. */
    Machine boot(StepGate gate);

    /** The kernel code {@code cpu} runs; returns when that CPU's program is done. */
    void run(Machine machine, Cpu cpu);

    /** The interrupts engines that deliver them may raise; none by default. */
    default List<InterruptSpec> interrupts() {
        return List.of();
    }

    /** Called once every CPU is done: the quiescent checks (leaks, accounting). */
    default void atQuiescence(Machine machine) {
        machine.detectors().checkQuiescent();
    }

    /**
     * How many times a CPU must repeat the same steps over the same state before the
     * controlled engine calls it a livelock: more than any bounded kernel loop of the program
     * repeats one page (see {@code org.mmemu.engine.run.LivelockDetector}).
     */
    default int livelockRepeats() {
        return DEFAULT_LIVELOCK_REPEATS;
    }

    /** {@link #livelockRepeats()} unless a program says otherwise: twice SWAP_CLUSTER_MAX. */
    int DEFAULT_LIVELOCK_REPEATS = 64;

    /**
     * This program with {@code irqs} in place of its interrupts: the same machine, code, checks
     * and livelock threshold (a test's or a model's own interrupts on a scenario's program).
     */
    default Program withInterrupts(List<InterruptSpec> irqs) {
        Program p = this;
        List<InterruptSpec> own = List.copyOf(irqs);
        return new Program() {
            @Override
            public Machine boot(StepGate gate) {
                return p.boot(gate);
            }

            @Override
            public void run(Machine machine, Cpu cpu) {
                p.run(machine, cpu);
            }

            @Override
            public List<InterruptSpec> interrupts() {
                return own;
            }

            @Override
            public void atQuiescence(Machine machine) {
                p.atQuiescence(machine);
            }

            @Override
            public int livelockRepeats() {
                return p.livelockRepeats();
            }
        };
    }

    /** A program whose CPUs run {@code code} on a machine from {@code boot}. */
    static Program of(java.util.function.Function<StepGate, Machine> boot,
                      java.util.function.BiConsumer<Machine, Cpu> code) {
        return new Program() {
            @Override
            public Machine boot(StepGate gate) {
                return boot.apply(gate);
            }

            @Override
            public void run(Machine machine, Cpu cpu) {
                code.accept(machine, cpu);
            }
        };
    }
}
