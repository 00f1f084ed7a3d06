package org.mmemu.engine;

import java.util.function.BiConsumer;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Cpu;

/**
 * An interrupt that may arrive on one CPU, at most {@code max} times per run, only at a step
 * where that CPU has interrupts enabled. Its handler either busies the CPU for {@code steps}
 * steps (a stand-in for a long handler) or, when {@code handler} is given, runs that kernel
 * code in interrupt context.
 *
 * @param cpu     the CPU it arrives on
 * @param steps   the handler's length in steps when {@code handler} is null
 * @param max     the most arrivals per run
 * @param handler kernel code run in interrupt context, or null
 * @param local   {@code handler} takes CPU-local steps only, as many in every run (a scenario's
 *                {@code steps: N} handler): it cannot change what another CPU sees, so the
 *                {@code irq} search offers its arrival once per arrival class, as a busy
 *                handler's, but never shortens it. The engine checks the claim at every step
 */
public record InterruptSpec(int cpu, int steps, int max, BiConsumer<Machine, Cpu> handler, boolean local) {
    public InterruptSpec {
        if (steps < 0 || max < 0) {
            throw new IllegalArgumentException("interrupt steps and max must not be negative");
        }
        if (local && handler == null) {
            throw new IllegalArgumentException("a local interrupt needs its handler");
        }
    }

    /** An interrupt whose handler is kernel code that may touch shared state. */
    public InterruptSpec(int cpu, int steps, int max, BiConsumer<Machine, Cpu> handler) {
        this(cpu, steps, max, handler, false);
    }

    /** A handler that busies {@code cpu} for {@code steps} steps, at most {@code max} times. */
    public static InterruptSpec busy(int cpu, int steps, int max) {
        return new InterruptSpec(cpu, steps, max, null, false);
    }

    /**
     * A handler of fixed length whose every step is local to {@code cpu} (see {@code local}),
     * at most {@code max} times.
     */
    public static InterruptSpec local(int cpu, int max, BiConsumer<Machine, Cpu> handler) {
        return new InterruptSpec(cpu, 0, max, handler, true);
    }

    /** Whether the handler is kernel code that may change what the other CPUs see. */
    public boolean mayShare() {
        return handler != null && !local;
    }

    /** Whether the handler only busies its CPU: a busy handler, or a local one. */
    public boolean busies() {
        return !mayShare();
    }
}
