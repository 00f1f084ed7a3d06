package org.mmemu.engine.run;

import java.util.List;
import java.util.function.BooleanSupplier;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Lockable;
import org.mmemu.engine.DelayModel;
import org.mmemu.engine.InterruptSpec;
import org.mmemu.engine.StateKey;
import org.mmemu.engine.hb.Footprint;

/**
 * The state of one execution that its scheduler decides on: the CPUs' slots, the rows taken,
 * the last CPU, the interrupts delivered. {@link Execution} writes it; delay models read it as
 * a {@link RunView}. Everything runs on the driver thread, so nothing here is volatile.
 */
final class RunState implements RunView {
    final Slot[] slots;
    private final DelayModel model;
    private final List<InterruptSpec> irqs;
    /** Arrivals of each interrupt so far, against its {@link InterruptSpec#max()}. */
    final int[] irqCount;
    int lastCpu = -1;
    long rows;
    /** The events so far, for state merging; null unless the scheduler asked ({@link Scheduler#keysState}). */
    private final TraceKey key;
    /** Whether no detector holds history the key lacks (set once the livelock detector exists). */
    BooleanSupplier historyFree = () -> true;

    /** {@code keyed}: the key to keep, or null for none ({@link Scheduler#keysState}). */
    RunState(Slot[] slots, DelayModel model, List<InterruptSpec> irqs, KeyMutation keyed) {
        this.slots = slots;
        this.model = model;
        this.irqs = irqs;
        this.irqCount = new int[irqs.size()];
        this.key = keyed == null ? null : new TraceKey(slots.length, keyed == KeyMutation.DROP_CPU0_POSITION);
    }

    /** Action {@code a} (a step, an interrupt, a handler's end) is granted: a row if a step, an event of the key. */
    void granted(Action a) {
        lastCpu = a.cpu();
        if (a.kind() == Action.Kind.STEP) {
            rows++;
        }
        if (key == null) {
            return;
        }
        Slot s = slots[a.cpu()];
        switch (a.kind()) {
            case STEP -> key.step(a.cpu(), s.target, s.field, s.access);
            case IRQ -> key.irq(a.cpu(), a.irq(), a.duration());
            case END -> key.end(a.cpu());
            default -> throw new IllegalArgumentException(a.kind() + " is no event");
        }
    }

    @Override
    public StateKey stateKey(long schedulerState) {
        if (key == null || !historyFree.getAsBoolean()) {
            return null;
        }
        // which CPUs are done, a handler's length and how far it has run follow from the events
        long local = schedulerState * 1_000_003L + lastCpu;
        return new StateKey(key.hi() + TraceKey.mix(local), key.lo() ^ TraceKey.mix(~local));
    }

    @Override
    public int cpus() {
        return slots.length;
    }

    @Override
    public boolean done(int c) {
        return slots[c].done;
    }

    @Override
    public boolean blocked(int c) {
        Slot s = slots[c];
        return !s.done && s.access == Access.LOCK && s.target instanceof Lockable l && l.isLocked();
    }

    @Override
    public boolean enabled(int c) {
        return !slots[c].done && !blocked(c);
    }

    @Override
    public Object pendingTarget(int c) {
        return slots[c].target;
    }

    @Override
    public Access pendingAccess(int c) {
        return slots[c].access;
    }

    @Override
    public Footprint pendingFootprint(int c) {
        Slot s = slots[c];
        if (s.footprint == null) {
            s.footprint = new Footprint(s.target, s.field, s.access);
        }
        return s.footprint;
    }

    @Override
    public List<InterruptSpec> interrupts() {
        return irqs;
    }

    @Override
    public boolean canInterrupt(int k) {
        InterruptSpec spec = irqs.get(k);
        if (spec.cpu() < 0 || spec.cpu() >= slots.length || irqCount[k] >= spec.max()) {
            return false;
        }
        Slot s = slots[spec.cpu()];
        return !s.done && !s.cpu.irqsDisabled();
    }

    @Override
    public boolean interruptsSpent(int k) {
        return irqCount[k] >= irqs.get(k).max();
    }

    @Override
    public int lastCpu() {
        return lastCpu;
    }

    @Override
    public int endableHandlerSteps(int c) {
        Slot s = slots[c];
        return s.handlerEndable && s.cpu.inInterrupt() ? s.handlerSteps : -1;
    }

    @Override
    public int handlerMax(int c) {
        return slots[c].handlerMax;
    }

    @Override
    public int busyStepsLeft(int c) {
        return slots[c].busyLeft;
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public int defaultCpu() {
        int n = slots.length;
        if (model == DelayModel.IRQ) {
            for (int i = 1; i <= n; i++) {
                int c = Math.floorMod(lastCpu + i, n);
                if (!slots[c].done) {
                    return c;
                }
            }
            return -1;
        }
        if (lastCpu >= 0 && enabled(lastCpu)) {
            return lastCpu;
        }
        for (int c = 0; c < n; c++) {
            if (enabled(c)) {
                return c;
            }
        }
        return -1;
    }

    boolean allDone() {
        for (Slot s : slots) {
            if (!s.done) {
                return false;
            }
        }
        return true;
    }

    /** Whether some CPU is unfinished and every unfinished CPU waits for a held lock. */
    boolean allBlocked() {
        boolean any = false;
        for (int c = 0; c < slots.length; c++) {
            if (!slots[c].done) {
                if (!blocked(c)) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    /** Whether an interrupt whose handler is kernel code (and may change state) can arrive now. */
    boolean handlerMayArrive() {
        for (int k = 0; k < irqs.size(); k++) {
            if (irqs.get(k).mayShare() && canInterrupt(k)) {
                return true;
            }
        }
        return false;
    }
}
