package org.mmemu.engine.search;

import java.util.SplittableRandom;
import org.mmemu.engine.ExploreOptions;

/**
 * {@code random}: a seeded random walk. Execution {@code i} draws every choice uniformly among
 * the options from its own generator, seeded by {@code (seed, i)}, so any execution can be
 * rerun alone and shards never share a generator. It ignores the preemption bound.
 */
public final class RandomPolicy implements SchedulePolicy {
    static final String NAME = "random";
    private final ExploreOptions o;

    RandomPolicy(ExploreOptions o) {
        this.o = o;
    }

    /** The seed of execution {@code i} of a sampling search seeded with {@code seed}. */
    public static long seedOf(long seed, long i) {
        long z = seed + (i + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String origin() {
        return "seeded random walk: every choice uniform among the model's options";
    }

    @Override
    public int plan(Runner runner) {
        return (int) Math.min(Integer.MAX_VALUE, o.maxSchedules());
    }

    @Override
    public void runUnit(int unit, Runner runner) {
        SplittableRandom rng = new SplittableRandom(seedOf(o.seed(), unit));
        runner.run(d -> rng.nextInt(d.options().size()), () -> new int[] {unit});
    }

    @Override
    public boolean exhaustive() {
        return false;
    }
}
