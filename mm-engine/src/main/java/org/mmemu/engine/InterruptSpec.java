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
 * @param exact   a busy handler ({@code handler} null) of exactly {@code steps} steps in every
 *                run (a scenario's {@code steps: N}); without it the {@code irq} search also
 *                explores shorter ones
 */
public record InterruptSpec(int cpu, int steps, int max, BiConsumer<Machine, Cpu> handler, boolean exact) {
    public InterruptSpec {
        if (steps < 0 || max < 0) {
            throw new IllegalArgumentException("interrupt steps and max must not be negative");
        }
        if (exact && handler != null) {
            throw new IllegalArgumentException("only a busy handler has an exact length");
        }
    }

    /** An interrupt whose handler is kernel code (or, {@code handler} null, a busy one of up to {@code steps}). */
    public InterruptSpec(int cpu, int steps, int max, BiConsumer<Machine, Cpu> handler) {
        this(cpu, steps, max, handler, false);
    }

    /**
     * A handler that busies {@code cpu} for up to {@code steps} steps, at most {@code max} times:
     * the {@code irq} search explores every length up to {@code steps}.
     */
    public static InterruptSpec busy(int cpu, int steps, int max) {
        return new InterruptSpec(cpu, steps, max, null, false);
    }

    /** A handler that busies {@code cpu} for exactly {@code steps} steps, at most {@code max} times. */
    public static InterruptSpec busyExactly(int cpu, int steps, int max) {
        return new InterruptSpec(cpu, steps, max, null, true);
    }

    /** Whether the handler is kernel code, which may change what the other CPUs see. */
    public boolean mayShare() {
        return handler != null;
    }
}
