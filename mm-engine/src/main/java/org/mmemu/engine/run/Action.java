package org.mmemu.engine.run;

/**
 * What a scheduler tells the engine to do next. Made by delay models, carried out by {@link Execution}.
 *
 * @param duration for {@link Kind#IRQ}: the busy handler's length in steps, or its longest
 *                 length when {@code endable}
 * @param endable  for {@link Kind#IRQ}: the busy handler may be ended early by {@link Kind#END}
 *                 at the CPU's turns (duration classes of the {@code irq} model)
 */
public record Action(Kind kind, int cpu, int irq, int duration, boolean endable) {
    /**
     * A step, a spin on a held lock, an interrupt's arrival, the end of the running busy
     * handler before its next step, or abandoning the run.
     */
    public enum Kind { STEP, SPIN, IRQ, END, PRUNE }

    public static final Action PRUNE = new Action(Kind.PRUNE, -1, -1, 0, false);
    /** The steps and spins of the first CPUs, made once: one of them is taken at almost every row. */
    private static final Action[] STEPS = new Action[64];
    private static final Action[] SPINS = new Action[64];

    static {
        for (int c = 0; c < STEPS.length; c++) {
            STEPS[c] = new Action(Kind.STEP, c, -1, 0, false);
            SPINS[c] = new Action(Kind.SPIN, c, -1, 0, false);
        }
    }

    public static Action step(int cpu) {
        return cpu >= 0 && cpu < STEPS.length ? STEPS[cpu] : new Action(Kind.STEP, cpu, -1, 0, false);
    }

    public static Action spin(int cpu) {
        return cpu >= 0 && cpu < SPINS.length ? SPINS[cpu] : new Action(Kind.SPIN, cpu, -1, 0, false);
    }

    public static Action irq(int cpu, int irq, int duration) {
        return new Action(Kind.IRQ, cpu, irq, duration, false);
    }

    /** Interrupt {@code irq} arrives with a busy handler of at most {@code max} steps, ended by {@link #end}. */
    public static Action irqUpTo(int cpu, int irq, int max) {
        return new Action(Kind.IRQ, cpu, irq, max, true);
    }

    /** The busy handler running on {@code cpu} returns now, before its next step. */
    public static Action end(int cpu) {
        return new Action(Kind.END, cpu, -1, 0, false);
    }
}
