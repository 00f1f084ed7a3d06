package org.mmemu.core.engine;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * {@code pct}: probabilistic concurrency testing, after Burckhardt, Kothari, Musuvathi and
 * Nagarakatte, "A Randomized Scheduler with Probabilistic Guarantees of Finding Bugs", ASPLOS
 * 2010. Each execution gives the n CPUs random distinct priorities d..d+n-1 and picks d-1
 * change points uniformly among the k steps; it always runs the highest-priority CPU that can
 * go on, and when the step count reaches change point i, the CPU that just ran drops to
 * priority d-i. A bug of depth d is then found by each execution with probability at least
 * 1/(n k^(d-1)).
 *
 * <p>k is measured, not guessed: {@link #plan} runs the default schedule once (uncounted) and
 * takes its step count. PCT schedules CPUs only; it never chooses an interrupt, a wait or a
 * slip (option kinds the paper has no notion of). Execution {@code i} is seeded by
 * {@code (seed, i)} as in {@link RandomPolicy}.
 */
final class PctPolicy implements SchedulePolicy {
    static final String NAME = "pct";
    private final ExploreOptions o;
    private volatile int k = 1;
    private volatile int n = 1;

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
        runner.run(new Walk(RandomPolicy.seedOf(o.seed(), unit), n, k, o.pctDepth()), () -> new int[] {unit});
    }

    @Override
    public boolean exhaustive() {
        return false;
    }

    /** One PCT execution. */
    static final class Walk implements Chooser {
        private final int[] priority;
        private final long[] changeAt;
        private final int d;
        private long step;

        Walk(long seed, int n, int k, int d) {
            SplittableRandom rng = new SplittableRandom(seed);
            this.d = d;
            priority = new int[n];
            for (int i = 0; i < n; i++) {
                priority[i] = d + i;
            }
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = priority[i];
                priority[i] = priority[j];
                priority[j] = t;
            }
            changeAt = new long[Math.max(0, d - 1)];
            for (int i = 0; i < changeAt.length; i++) {
                changeAt[i] = 1 + rng.nextInt(k);
            }
            Arrays.sort(changeAt);
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
                    priority[dec.options().get(best).cpu()] = d - 1 - i;
                }
            }
            return best;
        }
    }
}
