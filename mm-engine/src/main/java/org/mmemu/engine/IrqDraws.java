package org.mmemu.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What the randomized policies draw in the {@code irq} delay model, where CPUs run in lock-step
 * and so no priority order is left to choose: how long each CPU waits before it starts (its
 * start offset), and, at a turn picked for something to happen, which of the options of a
 * kind the model offers there (an interrupt's durations, a slip's lengths).
 * {@link Shape} is what the policies learn of the program from one uncounted default run.
 */
final class IrqDraws {
    private IrqDraws() {
    }

    /**
     * The decision points of a default run: {@code turns} turns offered a choice, {@code rows}
     * rows in all (the longest start offset), {@code arrivals[c]} turns of CPU {@code c} at which
     * an interrupt could arrive.
     */
    record Shape(int turns, int rows, int[] arrivals) {
        /** Learns the shape from one uncounted run that always takes the default. */
        static Shape probe(SchedulePolicy.Runner runner) {
            int[] turns = new int[1];
            List<Integer> irqCpus = new ArrayList<>();
            RunResult r = runner.probe(d -> {
                if (!leader(d)) {
                    turns[0]++;
                    for (Option op : d.options()) {
                        if (op.kind() == Option.Kind.IRQ) {
                            irqCpus.add(op.cpu());
                            break;
                        }
                    }
                }
                return 0;
            });
            int n = r.machine().cpus().size();
            int[] arrivals = new int[n];
            for (int c : irqCpus) {
                arrivals[c]++;
            }
            return new Shape(Math.max(1, turns[0]), (int) Math.min(Integer.MAX_VALUE, r.steps()), arrivals);
        }
    }

    /** Whether {@code d} is the first decision of the {@code irq} model: which CPU leads. */
    static boolean leader(Decision d) {
        return d.options().stream().allMatch(o -> o.kind() == Option.Kind.STEP) && d.options().size() > 1;
    }

    /** Start offsets: for each CPU, how many of its turns it lets pass, uniform in {@code 0..rows}. */
    static int[] offsets(SplittableRandom rng, int cpus, int rows) {
        int[] waits = new int[cpus];
        for (int c = 0; c < cpus; c++) {
            waits[c] = rng.nextInt(rows + 1);
        }
        return waits;
    }

    /** The index of the first option of {@code kind} in {@code d}, or -1. */
    static int first(Decision d, Option.Kind kind) {
        for (int i = 0; i < d.options().size(); i++) {
            if (d.options().get(i).kind() == kind) {
                return i;
            }
        }
        return -1;
    }

    /** A uniform choice among the options of {@code kind} (there must be one). */
    static int ofKind(SplittableRandom rng, Decision d, Option.Kind kind) {
        List<Integer> of = new ArrayList<>();
        for (int i = 0; i < d.options().size(); i++) {
            if (d.options().get(i).kind() == kind) {
                of.add(i);
            }
        }
        return of.get(rng.nextInt(of.size()));
    }

    /** At a start-offset decision: wait while {@code waits[cpu]} lasts, then start. */
    static int startOrWait(Decision d, int[] waits) {
        int wait = first(d, Option.Kind.WAIT);
        int cpu = d.options().get(0).cpu();
        if (wait >= 0 && waits[cpu] > 0) {
            waits[cpu]--;
            return wait;
        }
        return 0;
    }
}
