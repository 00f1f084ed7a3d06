package org.mmemu.engine.delay;

import java.util.ArrayList;
import java.util.List;
import org.mmemu.core.emu.Access;
import org.mmemu.engine.InterruptSpec;
import org.mmemu.engine.hb.Footprint;
import org.mmemu.engine.run.Action;
import org.mmemu.engine.run.RunView;
import org.mmemu.engine.run.Scheduler;

/**
 * The {@code any} delay model: at every row, any CPU that can go on may (the one that ran last
 * at no cost, any other at the cost of one preemption when the last one could have gone on),
 * and any interrupt may arrive on its CPU where irqs are on (bounded by its {@code max}).
 * The initial choice of a CPU costs nothing.
 *
 * <p>A step whose access is {@link Access#LOCAL} is not a decision point: when the CPU that ran
 * last can go on and its pending step touches only itself, it goes on. Running another CPU
 * first would put every shared step in the same order as switching at the CPU's next shared
 * step does, at the same cost. Only the interrupts of that CPU are still offered there, because
 * the local step may be the {@code cli} after which they cannot arrive. (A CPU switched to still
 * offers a switch back before its first shared step, which only moves its local steps; cutting
 * that too would hide the step from policies that learn the run's events from their decisions,
 * as {@code dpor} does.)
 */
public final class AnywhereScheduler implements Scheduler {
    private final Chooser chooser;

    public AnywhereScheduler(Chooser chooser) {
        this.chooser = chooser;
    }

    @Override
    public Action next(RunView x) {
        int n = x.cpus();
        int last = x.lastCpu();
        boolean continuation = last >= 0 && x.enabled(last);
        if (continuation && x.pendingAccess(last) == Access.LOCAL) {
            return local(x, last);
        }
        List<Option> options = new ArrayList<>(n + 2);
        if (continuation) {
            options.add(Option.step(last, 0, x.pendingTarget(last), x.pendingAccess(last)));
        }
        for (int c = 0; c < n; c++) {
            if (c != last || !continuation) {
                if (x.enabled(c)) {
                    options.add(Option.step(c, continuation ? 1 : 0, x.pendingTarget(c), x.pendingAccess(c)));
                }
            }
        }
        for (int k = 0; k < x.interrupts().size(); k++) {
            if (x.canInterrupt(k)) {
                options.add(Option.of(Option.Kind.IRQ, x.interrupts().get(k).cpu(), k, x.interrupts().get(k).steps(), 0));
            }
        }
        int i = chooser.choose(new Decision(options, continuation, x.rows(), footprints(x)));
        if (i < 0) {
            return Action.PRUNE;
        }
        Option o = options.get(i);
        return o.kind() == Option.Kind.IRQ
                ? Action.irq(o.cpu(), o.irq(), o.slip())
                : Action.step(o.cpu());
    }

    @Override
    public void deadlocked(RunView x) {
        chooser.deadlocked(footprints(x));
    }

    /** {@code c} goes on with its local step, unless one of its interrupts is chosen to arrive first. */
    private Action local(RunView x, int c) {
        List<Option> options = null;
        for (int k = 0; k < x.interrupts().size(); k++) {
            InterruptSpec spec = x.interrupts().get(k);
            if (spec.cpu() == c && x.canInterrupt(k)) {
                if (options == null) {
                    options = new ArrayList<>(2);
                    options.add(Option.step(c, 0, x.pendingTarget(c), Access.LOCAL));
                }
                options.add(Option.of(Option.Kind.IRQ, c, k, spec.steps(), 0));
            }
        }
        if (options == null) {
            return Action.step(c);
        }
        int i = chooser.choose(new Decision(options, true, x.rows(), footprints(x)));
        if (i < 0) {
            return Action.PRUNE;
        }
        Option o = options.get(i);
        return o.kind() == Option.Kind.IRQ ? Action.irq(c, o.irq(), o.slip()) : Action.step(c);
    }

    static Footprint[] footprints(RunView x) {
        Footprint[] f = new Footprint[x.cpus()];
        for (int c = 0; c < f.length; c++) {
            if (!x.done(c)) {
                f[c] = x.pendingFootprint(c);
            }
        }
        return f;
    }
}
