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
 */
public record InterruptSpec(int cpu, int steps, int max, BiConsumer<Machine, Cpu> handler) {
    public InterruptSpec {
        if (steps < 0 || max < 0) {
            throw new IllegalArgumentException("interrupt steps and max must not be negative");
        }
    }

    /** A handler that busies {@code cpu} for {@code steps} steps, at most {@code max} times. */
    public static InterruptSpec busy(int cpu, int steps, int max) {
        return new InterruptSpec(cpu, steps, max, null);
    }
}
