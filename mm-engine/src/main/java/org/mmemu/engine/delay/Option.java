package org.mmemu.engine.delay;

import org.mmemu.core.emu.Access;

/**
 * One thing a delay model allows at a decision point.
 *
 * @param kind   what happens
 * @param cpu    the CPU concerned
 * @param irq    for {@link Kind#IRQ}: the interrupt's index in {@code Program.interrupts()}
 * @param slip   for {@link Kind#SLIP}: how many of its turns the CPU misses; for {@link Kind#IRQ}:
 *               the handler's length in steps (a busy handler; 0 for one given as kernel code; under
 *               duration classes its longest length); for {@link Kind#END}: the handler steps taken
 * @param cost   what it takes from the preemption bound (0 or 1)
 * @param target the step's target, for partial-order reduction (null unless {@link Kind#STEP})
 * @param access the step's access (null unless {@link Kind#STEP})
 */
public record Option(Kind kind, int cpu, int irq, int slip, int cost, Object target, Access access) {
    /** What an option does. */
    public enum Kind {
        /** The CPU takes its pending step. */
        STEP,
        /** The CPU, waiting for a held lock, spins once ({@code irq} model). */
        SPIN,
        /** An interrupt arrives on the CPU before its pending step, for {@code slip} handler steps. */
        IRQ,
        /** The CPU has not started yet and lets its turn pass ({@code irq} model start offsets). */
        WAIT,
        /** The CPU misses {@code slip} turns ({@code irq} model, bounded by the preemption bound). */
        SLIP,
        /**
         * The busy interrupt handler running on the CPU returns now instead of taking another
         * step ({@code irq} model duration classes: offered only where a longer handler would
         * cover another CPU's shared step that this one does not).
         */
        END
    }

    public static Option step(int cpu, int cost, Object target, Access access) {
        return new Option(Kind.STEP, cpu, -1, 0, cost, target, access);
    }

    public static Option of(Kind kind, int cpu, int irq, int slip, int cost) {
        return new Option(kind, cpu, irq, slip, cost, null, null);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case STEP -> "cpu" + cpu;
            case SPIN -> "cpu" + cpu + " spins";
            case IRQ -> "irq" + irq + "@cpu" + cpu + "/" + slip;
            case WAIT -> "cpu" + cpu + " waits";
            case SLIP -> "cpu" + cpu + " slips " + slip;
            case END -> "irq@cpu" + cpu + " returns";
        };
    }
}
