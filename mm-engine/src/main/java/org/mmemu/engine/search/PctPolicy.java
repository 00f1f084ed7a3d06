package org.mmemu.engine.search;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.mmemu.engine.DelayModel;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.RunResult;
import org.mmemu.engine.delay.Chooser;
import org.mmemu.engine.delay.Decision;
import org.mmemu.engine.delay.IrqDraws;
import org.mmemu.engine.delay.IrqWalk;
import org.mmemu.engine.delay.Option;

/**
 * {@code pct}: probabilistic concurrency testing, after Burckhardt, Kothari, Musuvathi and
 * Nagarakatte, "A Randomized Scheduler with Probabilistic Guarantees of Finding Bugs", ASPLOS
 * 2010. Each execution gives the n CPUs random distinct priorities d..d+n-1 and picks d-1
 * change points uniformly among the k steps; it always runs the highest-priority CPU that can
 * go on, and when the step count reaches change point i, the CPU that just ran drops to
 * priority d-i. A bug of depth d is then found by each execution with probability at least
 * 1/(n k^(d-1)). Where an interrupt can arrive at a change point, it arrives instead (the
 * paper has no interrupts; an arrival is the other way a CPU's next step can be put off).
 *
 * <p><b>The {@code irq} model.</b> CPUs run in lock-step there, so priorities can only pick the
 * CPU that leads; the rest of a schedule is each CPU's start offset and what happens at a few
 * turns. So an execution draws every start offset uniformly (from 0 to the length of the
 * default run), and d-1 change points: each is a slip with probability 1/2 while the preemption
 * bound allows one (then drawn uniformly among the turns that offer a choice, the CPU whose
 * turn it is slipping by a length drawn uniformly), and otherwise an interrupt's arrival
 * (drawn uniformly among the k turns at which one can arrive, with a duration class drawn
 * uniformly). The
 * seed race needs exactly that: an offset in the five-step window, and one change point on the
 * 3-4 turns where the interrupt must arrive.
 *
 * <p>k is measured, not guessed: {@link #plan} runs the default schedule once (uncounted) and
 * takes its step count ({@code anywhere}) or its turns that offer an arrival or a choice ({@code irq}).
 * Execution {@code i} is seeded by {@code (seed, i)} as in {@link RandomPolicy}.
 */
final class PctPolicy implements SchedulePolicy {
    static final String NAME = "pct";
    private final ExploreOptions o;
    private volatile int k = 1;
    private volatile int n = 1;
    private volatile IrqShape shape;

    PctPolicy(ExploreOptions o) {
        this.o = o;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String origin() {
        return "PCT (Burckhardt et al., ASPLOS 2010), depth " + o.pctDepth();
    }

    @Override
    public int plan(Runner runner) {
        if (o.delays() == DelayModel.IRQ) {
            shape = IrqShape.probe(runner);
            k = Math.max(1, Arrays.stream(shape.arrivals()).sum());
            n = shape.arrivals().length;
            return (int) Math.min(Integer.MAX_VALUE, o.maxSchedules());
        }
        RunResult calibration = runner.probe(Chooser.DEFAULT);
        k = (int) Math.max(1, Math.min(Integer.MAX_VALUE, calibration.steps()));
        n = calibration.machine().cpus().size();
        return (int) Math.min(Integer.MAX_VALUE, o.maxSchedules());
    }

    /** The number of steps the change points are drawn from (after {@link #plan}). */
    int k() {
        return k;
    }

    @Override
    public void runUnit(int unit, Runner runner) {
        long seed = RandomPolicy.seedOf(o.seed(), unit);
        Chooser c = shape != null ? irqWalk(seed, shape, o.pctDepth(), o.preemptionBound())
                : new Walk(seed, n, k, o.pctDepth());
        runner.run(c, () -> new int[] {unit});
    }

    @Override
    public boolean exhaustive() {
        return false;
    }

    /** One PCT execution. */
    static final class Walk implements Chooser {
        private final SplittableRandom rng;
        private final int[] priority;
        private final long[] changeAt;
        private final int d;
        private long step;

        Walk(long seed, int n, int k, int d) {
            rng = new SplittableRandom(seed);
            this.d = d;
            priority = priorities(rng, n, d);
            changeAt = changePoints(rng, k, d);
        }

        @Override
        public int choose(Decision dec) {
            int best = -1;
            for (int i = 0; i < dec.options().size(); i++) {
                Option op = dec.options().get(i);
                boolean cpuRuns = op.kind() == Option.Kind.STEP || op.kind() == Option.Kind.SPIN;
                if (cpuRuns && (best < 0 || priority[op.cpu()] > priority[dec.options().get(best).cpu()])) {
                    best = i;
                }
            }
            if (best < 0) {
                return 0;
            }
            step++;
            for (int i = 0; i < changeAt.length; i++) {
                if (changeAt[i] == step) {
                    if (IrqDraws.first(dec, Option.Kind.IRQ) >= 0) {
                        return IrqDraws.ofKind(rng, dec, Option.Kind.IRQ);
                    }
                    priority[dec.options().get(best).cpu()] = d - 1 - i;
                }
            }
            return best;
        }
    }

    /** Random distinct priorities d..d+n-1 for the n CPUs. */
    private static int[] priorities(SplittableRandom rng, int n, int d) {
        int[] priority = new int[n];
        for (int i = 0; i < n; i++) {
            priority[i] = d + i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = priority[i];
            priority[i] = priority[j];
            priority[j] = t;
        }
        return priority;
    }

    /** d-1 change points uniform in 1..k, sorted. */
    private static long[] changePoints(SplittableRandom rng, int k, int d) {
        long[] changeAt = new long[Math.max(0, d - 1)];
        for (int i = 0; i < changeAt.length; i++) {
            changeAt[i] = 1 + rng.nextInt(k);
        }
        Arrays.sort(changeAt);
        return changeAt;
    }

    /**
     * One PCT execution of the {@code irq} model (see the class comment): the model's
     * {@link IrqWalk}, led by the highest priority, with the change points as its arrivals and
     * slips. The draws are made in a fixed order (priorities, offsets, the split of the change
     * points, arrivals, slips), so that execution {@code i} is the same whatever runs it.
     */
    static IrqWalk irqWalk(long seed, IrqShape shape, int d, int bound) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = shape.arrivals().length;
        int[] priority = priorities(rng, n, d);
        int[] waits = IrqDraws.offsets(rng, n, shape.rows());
        int arrivals = Math.max(1, Arrays.stream(shape.arrivals()).sum());
        int slips = 0;
        for (int i = 0; i < d - 1; i++) {
            if (bound != 0 && (bound < 0 || slips < bound) && rng.nextBoolean()) {
                slips++;
            }
        }
        long[] arriveAt = changePoints(rng, arrivals, d - slips);
        long[] slipAt = changePoints(rng, shape.turns(), slips + 1);
        return new IrqWalk(rng, waits, slipAt, dec -> highest(priority, dec), new ChangePoints(arriveAt));
    }

    /** The option of the CPU with the highest priority. */
    private static int highest(int[] priority, Decision dec) {
        int best = 0;
        for (int i = 1; i < dec.options().size(); i++) {
            if (priority[dec.options().get(i).cpu()] > priority[dec.options().get(best).cpu()]) {
                best = i;
            }
        }
        return best;
    }

    /** Arrivals at change points counted over every turn, of any CPU, that offers one. */
    private static final class ChangePoints implements IrqWalk.Arrivals {
        private final long[] at;
        private long irqTurn;

        ChangePoints(long[] at) {
            this.at = at;
        }

        @Override
        public boolean now(int cpu) {
            irqTurn++;
            for (long c : at) {
                if (c == irqTurn) {
                    return true;
                }
            }
            return false;
        }
    }
}
