package org.mmemu.engine;

import java.time.Duration;

/**
 * How to explore a program ({@link org.mmemu.engine.control.Explorer#explore}). Start from
 * {@link #defaults()} and change what you need with the {@code with...} methods.
 *
 * @param policy          {@code dpor}, {@code exhaustive}, {@code pct}, {@code pos}, {@code random} or
 *                        {@code replay} ({@link org.mmemu.engine.search.Policies})
 * @param schedule        the schedule {@code replay} follows ({@link Schedule}); ignored by the others
 * @param seed            seed of {@code random}, {@code pct} and {@code pos}
 * @param preemptionBound preemptions (irq model: slips) an exhaustive or dpor path may take; any negative
 *                        value (-1) for no bound
 * @param pctDepth        the bug depth d that {@code pct} targets
 * @param delays          the delay model
 * @param skew            K, the longest slip of the {@code irq} model, in turns
 * @param por             partial-order reduction in the exhaustive search ({@code any} model)
 * @param merge           state merging in the exhaustive search ({@code irq} model): a path that reaches a
 *                        state seen before, with no more of the bounds left, is explored no further
 * @param maxSchedules    the most executions to run (for {@code random}/{@code pct}: how many to run)
 * @param maxSteps        the most rows one execution may take
 * @param timeLimit       wall time for the whole exploration
 * @param threads         worker threads, each running independent executions on its own machines
 * @param shard           which shard this is, from 0
 * @param shards          how many shards the search is split into
 * @param stopAtFirst     stop at the first finding
 * @param shrink          shrink each reported finding's schedule
 */
public record ExploreOptions(String policy, String schedule, long seed, int preemptionBound, int pctDepth,
                             DelayModel delays, int skew, boolean por, boolean merge, long maxSchedules, long maxSteps,
                             Duration timeLimit, int threads, int shard, int shards, boolean stopAtFirst,
                             boolean shrink) {

    public ExploreOptions {
        if (shards < 1 || shard < 0 || shard >= shards) {
            throw new IllegalArgumentException("shard " + shard + " of " + shards + " is not a shard");
        }
        if (threads < 1 || maxSchedules < 1 || maxSteps < 1 || pctDepth < 1 || skew < 0) {
            throw new IllegalArgumentException("threads, max schedules, max steps and pct depth must be positive");
        }
    }

    /** Exhaustive, preemption bound 2, {@code any} model, POR and state merging on, 100 000 schedules, 10 000 steps, 60 s, 1 thread. */
    public static ExploreOptions defaults() {
        return new ExploreOptions("exhaustive", "", 1, 2, 2, DelayModel.ANYWHERE, 2, true, true, 100_000, 10_000,
                Duration.ofSeconds(60), 1, 0, 1, false, true);
    }

    /**
     * Whether the search these options name merges equal states: the exhaustive policy under the
     * {@code irq} model, unless {@code merge} is off (docs/ARCHITECTURE.md §3).
     */
    public boolean merging() {
        return merge && delays == DelayModel.IRQ && policy.equals("exhaustive");
    }

    public ExploreOptions withPolicy(String p) {
        return new ExploreOptions(p, schedule, seed, preemptionBound, pctDepth, delays, skew, por, merge, maxSchedules,
                maxSteps, timeLimit, threads, shard, shards, stopAtFirst, shrink);
    }

    public ExploreOptions withSchedule(String s) {
        return new ExploreOptions(policy, s, seed, preemptionBound, pctDepth, delays, skew, por, merge, maxSchedules,
                maxSteps, timeLimit, threads, shard, shards, stopAtFirst, shrink);
    }

    public ExploreOptions withSeed(long s) {
        return new ExploreOptions(policy, schedule, s, preemptionBound, pctDepth, delays, skew, por, merge, maxSchedules,
                maxSteps, timeLimit, threads, shard, shards, stopAtFirst, shrink);
    }

    public ExploreOptions withPreemptionBound(int b) {
        return new ExploreOptions(policy, schedule, seed, b, pctDepth, delays, skew, por, merge, maxSchedules,
                maxSteps, timeLimit, threads, shard, shards, stopAtFirst, shrink);
    }

    public ExploreOptions withPctDepth(int d) {
        return new ExploreOptions(policy, schedule, seed, preemptionBound, d, delays, skew, por, merge, maxSchedules,
                maxSteps, timeLimit, threads, shard, shards, stopAtFirst, shrink);
    }

    public ExploreOptions withDelays(DelayModel m) {
        return new ExploreOptions(policy, schedule, seed, preemptionBound, pctDepth, m, skew, por, merge, maxSchedules,
                maxSteps, timeLimit, threads, shard, shards, stopAtFirst, shrink);
    }

    public ExploreOptions withSkew(int k) {
        return new ExploreOptions(policy, schedule, seed, preemptionBound, pctDepth, delays, k, por, merge, maxSchedules,
                maxSteps, timeLimit, threads, shard, shards, stopAtFirst, shrink);
    }

    public ExploreOptions withPor(boolean on) {
        return new ExploreOptions(policy, schedule, seed, preemptionBound, pctDepth, delays, skew, on, merge, maxSchedules,
                maxSteps, timeLimit, threads, shard, shards, stopAtFirst, shrink);
    }

    public ExploreOptions withMaxSchedules(long n) {
        return new ExploreOptions(policy, schedule, seed, preemptionBound, pctDepth, delays, skew, por, merge, n,
                maxSteps, timeLimit, threads, shard, shards, stopAtFirst, shrink);
    }

    public ExploreOptions withMaxSteps(long n) {
        return new ExploreOptions(policy, schedule, seed, preemptionBound, pctDepth, delays, skew, por, merge, maxSchedules,
                n, timeLimit, threads, shard, shards, stopAtFirst, shrink);
    }

    public ExploreOptions withTimeLimit(Duration d) {
        return new ExploreOptions(policy, schedule, seed, preemptionBound, pctDepth, delays, skew, por, merge, maxSchedules,
                maxSteps, d, threads, shard, shards, stopAtFirst, shrink);
    }

    public ExploreOptions withThreads(int n) {
        return new ExploreOptions(policy, schedule, seed, preemptionBound, pctDepth, delays, skew, por, merge, maxSchedules,
                maxSteps, timeLimit, n, shard, shards, stopAtFirst, shrink);
    }

    /** Shard {@code i} of {@code n} (from 0). */
    public ExploreOptions withShard(int i, int n) {
        return new ExploreOptions(policy, schedule, seed, preemptionBound, pctDepth, delays, skew, por, merge, maxSchedules,
                maxSteps, timeLimit, threads, i, n, stopAtFirst, shrink);
    }

    /** State merging on or off ({@code --no-merge}). */
    public ExploreOptions withMerge(boolean on) {
        return new ExploreOptions(policy, schedule, seed, preemptionBound, pctDepth, delays, skew, por, on, maxSchedules,
                maxSteps, timeLimit, threads, shard, shards, stopAtFirst, shrink);
    }

    public ExploreOptions withStopAtFirst(boolean stop) {
        return new ExploreOptions(policy, schedule, seed, preemptionBound, pctDepth, delays, skew, por, merge, maxSchedules,
                maxSteps, timeLimit, threads, shard, shards, stop, shrink);
    }

    public ExploreOptions withShrink(boolean on) {
        return new ExploreOptions(policy, schedule, seed, preemptionBound, pctDepth, delays, skew, por, merge, maxSchedules,
                maxSteps, timeLimit, threads, shard, shards, stopAtFirst, on);
    }
}
