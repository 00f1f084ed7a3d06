package org.mmemu.core.engine;

/** What a scheduler tells the engine to do next. Package-private mechanism. */
record Action(Kind kind, int cpu, int irq, int duration) {
    enum Kind { STEP, SPIN, IRQ, PRUNE }

    static final Action PRUNE = new Action(Kind.PRUNE, -1, -1, 0);

    static Action step(int cpu) {
        return new Action(Kind.STEP, cpu, -1, 0);
    }

    static Action spin(int cpu) {
        return new Action(Kind.SPIN, cpu, -1, 0);
    }

    static Action irq(int cpu, int irq, int duration) {
        return new Action(Kind.IRQ, cpu, irq, duration);
    }
}
