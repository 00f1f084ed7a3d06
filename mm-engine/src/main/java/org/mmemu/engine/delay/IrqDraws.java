package org.mmemu.engine.delay;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What the randomized policies draw in the {@code irq} delay model, where CPUs run in lock-step
 * and so no priority order is left to choose: how long each CPU waits before it starts (its
 * start offset), and, at a turn picked for something to happen, which of the options of a
 * kind the model offers there (an interrupt's durations, a slip's lengths). {@link IrqWalk}
 * puts them together into one sampled execution.
 */
public final class IrqDraws {
    private IrqDraws() {
    }

    /** Whether {@code d} is the first decision of the {@code irq} model: which CPU leads. */
    public static boolean leader(Decision d) {
        return d.options().stream().allMatch(o -> o.kind() == Option.Kind.STEP) && d.options().size() > 1;
    }

    /** Start offsets: for each CPU, how many of its turns it lets pass, uniform in {@code 0..rows}. */
    public static int[] offsets(SplittableRandom rng, int cpus, int rows) {
        int[] waits = new int[cpus];
        for (int c = 0; c < cpus; c++) {
            waits[c] = rng.nextInt(rows + 1);
        }
        return waits;
    }

    /** The index of the first option of {@code kind} in {@code d}, or -1. */
    public static int first(Decision d, Option.Kind kind) {
        for (int i = 0; i < d.options().size(); i++) {
            if (d.options().get(i).kind() == kind) {
                return i;
            }
        }
        return -1;
    }

    /** A uniform choice among the options of {@code kind} (there must be one). */
    public static int ofKind(SplittableRandom rng, Decision d, Option.Kind kind) {
        List<Integer> of = new ArrayList<>();
        for (int i = 0; i < d.options().size(); i++) {
            if (d.options().get(i).kind() == kind) {
                of.add(i);
            }
        }
        return of.get(rng.nextInt(of.size()));
    }

    /** At a start-offset decision: wait while {@code waits[cpu]} lasts, then start. */
    public static int startOrWait(Decision d, int[] waits) {
        int wait = first(d, Option.Kind.WAIT);
        int cpu = d.options().get(0).cpu();
        if (wait >= 0 && waits[cpu] > 0) {
            waits[cpu]--;
            return wait;
        }
        return 0;
    }
}
