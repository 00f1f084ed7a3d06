package org.mmemu.engine.delay;

import java.util.ArrayList;
import java.util.List;
import org.mmemu.engine.InterruptSpec;
import org.mmemu.engine.hb.Footprint;
import org.mmemu.engine.run.RunView;

/**
 * The open {@link SlipWindow}s of one run of the {@code irq} model: each decision that offered a
 * slip opens one, every row another CPU is granted is checked against it, and each turn of its
 * own CPU closes one more of its lengths.
 *
 * <p>When a window is not trusted at all. Its verdict must hold for every run through the
 * decision, not only the one that filled it: the rows another CPU takes in the window in any run
 * must be among those this run saw, or local. The runs the window stands for are those in which
 * the CPU slips at the step, and so takes none of its steps for those turns: the other CPU's rows
 * there are the ones it takes here only up to the first row that may have observed one of the
 * CPU's steps since the decision (the step itself, or a later one: a branch on a value it wrote
 * goes the other way where it was not written), so the window ends at that row, as at a row that
 * does not commute with the step ({@link SlipWindow#ends}; a test's program that branches on the
 * CPU's later step lost a final state without it). That holds when only one other CPU is running (its
 * rows then depend on nothing but its own choices: waiting or slipping takes fewer of them, a busy
 * interrupt puts local rows between them), but not when two others can change each other's rows,
 * when an interrupt whose handler is kernel code may arrive on another CPU (rows this run never
 * took), or when another CPU runs a busy handler that may end early (its interrupted step would
 * come inside the window). Nor when an interrupt may still arrive on the slipping CPU: after the
 * slip its step would be pending again, and an arrival there would delay it further, for free,
 * and by up to the handler's length. (Further slips at the same step are bounded by the budget:
 * the policy asks the window for the whole chain, {@link SlipWindow#redundant}.) In those cases
 * no window is opened.
 */
final class SlipWindows {
    /** How many turns each window watches (the longest chain of slips at one step). */
    private final int span;
    private final List<SlipWindow> open = new ArrayList<>();

    SlipWindows(int span) {
        this.span = span;
    }

    /** A window for a decision of {@code c} that offers slips, or null where none can be trusted. */
    SlipWindow open(RunView x, int c) {
        int running = 0;
        for (int o = 0; o < x.cpus(); o++) {
            if (o != c && !x.done(o)) {
                running++;
                if (x.endableHandlerSteps(o) >= 0) {
                    return null;
                }
            }
        }
        if (running != 1) {
            return null;
        }
        for (int k = 0; k < x.interrupts().size(); k++) {
            if (x.interrupts().get(k).cpu() == c && !x.interruptsSpent(k)) {
                return null; // an arrival at the step after the slip would delay it further, for free
            }
        }
        for (int k = 0; k < x.interrupts().size(); k++) {
            InterruptSpec spec = x.interrupts().get(k);
            if (spec.cpu() != c && spec.mayShare() && x.canInterrupt(k)) {
                return null;
            }
        }
        SlipWindow w = new SlipWindow(c, x.pendingFootprint(c), span);
        open.add(w);
        return w;
    }

    /** CPU {@code c}'s turn begins (whatever it then does). */
    void turn(int c) {
        for (int i = open.size() - 1; i >= 0; i--) {
            SlipWindow w = open.get(i);
            if (w.cpu == c) {
                w.turn();
                if (w.closed()) {
                    open.remove(i);
                }
            }
        }
    }

    /**
     * CPU {@code o} is granted its pending step. A window whose own CPU is done can no longer
     * close and stays open, unknown beyond the turns it saw; there are at most a span's worth.
     */
    void row(RunView x, int o) {
        if (open.isEmpty()) {
            return;
        }
        Footprint f = x.pendingFootprint(o);
        for (int i = 0; i < open.size(); i++) {
            SlipWindow w = open.get(i);
            if (w.dependent) {
                continue;
            }
            if (w.cpu == o) {
                w.own(f);
            } else if (w.ends(f)) {
                w.dependent = true;
            }
        }
    }
}
