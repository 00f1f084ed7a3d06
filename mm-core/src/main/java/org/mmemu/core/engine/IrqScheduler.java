package org.mmemu.core.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code irq} delay model (DESIGN §3): lock-step round robin, one row per CPU per turn.
 *
 * <p>The choices, all made at a CPU's turn: first, which CPU leads (starts at once); every other
 * CPU then may let its turns pass before it starts (its start offset, free); a started CPU may
 * slip, missing 1..K of its turns (K the skew; each slip costs one unit of the preemption
 * bound); and an interrupt may arrive on it where its irqs are on (bounded by the spec's
 * {@code max}), after which its turns run the handler. A busy handler's duration is explored
 * too, from 1 to the spec's {@code steps}, so that "the interrupt takes longer than X" becomes
 * the smallest duration that makes the race. A CPU waiting for a held lock spins on
 * its turns: it keeps pace and changes nothing. A CPU may only wait or slip while another
 * started CPU can use the turns.
 */
final class IrqScheduler implements Scheduler {
    private final Chooser chooser;
    private final int skew;
    private boolean led;
    private boolean[] started;
    private int[] slipLeft;
    private int turn;

    IrqScheduler(Chooser chooser, int skew) {
        this.chooser = chooser;
        this.skew = skew;
    }

    @Override
    public Action next(Execution x) {
        int n = x.cpus();
        if (!led) {
            started = new boolean[n];
            slipLeft = new int[n];
            List<Option> leaders = new ArrayList<>();
            for (int c = 0; c < n; c++) {
                if (!x.done(c)) {
                    leaders.add(Option.step(c, 0, x.pendingTarget(c), x.pendingAccess(c)));
                }
            }
            int i = chooser.choose(new Decision(leaders, false, x.rows(), AnywhereScheduler.footprints(x)));
            if (i < 0) {
                return Action.PRUNE;
            }
            turn = leaders.get(i).cpu();
            started[turn] = true;
            led = true;
        }
        for (;;) {
            int c = nextUnfinished(x, turn);
            if (slipLeft[c] > 0) {
                slipLeft[c]--;
                turn = c + 1;
                continue;
            }
            boolean others = otherStarted(x, c);
            boolean blocked = x.blocked(c);
            List<Option> options = new ArrayList<>();
            options.add(blocked ? Option.of(Option.Kind.SPIN, c, -1, 0, 0)
                    : Option.step(c, 0, x.pendingTarget(c), x.pendingAccess(c)));
            if (!started[c] && others) {
                options.add(Option.of(Option.Kind.WAIT, c, -1, 0, 0));
            }
            if (started[c] && !blocked && others) {
                for (int s = 1; s <= skew; s++) {
                    options.add(Option.of(Option.Kind.SLIP, c, -1, s, 1));
                }
            }
            for (int k = 0; k < x.interrupts().size(); k++) {
                InterruptSpec spec = x.interrupts().get(k);
                if (spec.cpu() == c && x.canInterrupt(k)) {
                    if (spec.handler() == null) {
                        for (int d = Math.min(1, spec.steps()); d <= spec.steps(); d++) {
                            options.add(Option.of(Option.Kind.IRQ, c, k, d, 0));
                        }
                    } else {
                        options.add(Option.of(Option.Kind.IRQ, c, k, 0, 0));
                    }
                }
            }
            int i = options.size() == 1 ? 0 : chooser.choose(new Decision(options, false, x.rows(),
                    AnywhereScheduler.footprints(x)));
            if (i < 0) {
                return Action.PRUNE;
            }
            Option o = options.get(i);
            switch (o.kind()) {
                case WAIT -> turn = c + 1;
                case SLIP -> {
                    slipLeft[c] = o.slip() - 1;
                    turn = c + 1;
                }
                case IRQ -> {
                    started[c] = true;
                    turn = c;
                    return Action.irq(c, o.irq(), o.slip());
                }
                case SPIN -> {
                    started[c] = true;
                    turn = c + 1;
                    return Action.spin(c);
                }
                default -> {
                    started[c] = true;
                    turn = c + 1;
                    return Action.step(c);
                }
            }
        }
    }

    private static int nextUnfinished(Execution x, int from) {
        int n = x.cpus();
        for (int i = 0; i < n; i++) {
            int c = Math.floorMod(from + i, n);
            if (!x.done(c)) {
                return c;
            }
        }
        throw new IllegalStateException("no unfinished CPU");
    }

    private boolean otherStarted(Execution x, int c) {
        for (int o = 0; o < x.cpus(); o++) {
            if (o != c && started[o] && !x.done(o)) {
                return true;
            }
        }
        return false;
    }
}
