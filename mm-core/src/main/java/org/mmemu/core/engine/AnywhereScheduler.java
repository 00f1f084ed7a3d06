package org.mmemu.core.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code any} delay model: at every row, any CPU that can go on may (the one that ran last
 * at no cost, any other at the cost of one preemption when the last one could have gone on),
 * and any interrupt may arrive on its CPU where irqs are on (bounded by its {@code max}).
 * The initial choice of a CPU costs nothing.
 */
final class AnywhereScheduler implements Scheduler {
    private final Chooser chooser;

    AnywhereScheduler(Chooser chooser) {
        this.chooser = chooser;
    }

    @Override
    public Action next(Execution x) {
        int n = x.cpus();
        int last = x.lastCpu();
        boolean continuation = last >= 0 && x.enabled(last);
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

    static Decision.Footprint[] footprints(Execution x) {
        Decision.Footprint[] f = new Decision.Footprint[x.cpus()];
        for (int c = 0; c < f.length; c++) {
            if (!x.done(c)) {
                f[c] = new Decision.Footprint(x.pendingTarget(c), x.pendingAccess(c));
            }
        }
        return f;
    }
}
