package org.mmemu.engine.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.ExploreResult;
import org.mmemu.engine.Program;
import org.mmemu.engine.RunResult;
import org.mmemu.engine.Schedule;
import org.mmemu.engine.StopRule;
import org.mmemu.engine.delay.IrqScheduler;
import org.mmemu.engine.delay.ReplayScheduler;
import org.mmemu.engine.run.Execution;
import org.mmemu.engine.run.KeyMutation;
import org.mmemu.engine.run.RowListener;
import org.mmemu.engine.search.Policies;
import org.mmemu.engine.search.SchedulePolicy;

/**
 * The controlled engine's front door: explore a program under a schedule policy, or replay one
 * schedule.
 *
 * <p><b>Why.</b> The race of the seed mail (docs/RACE.md) needs one CPU to stop for a few
 * instructions at exactly the wrong place: "heat death of the universe" odds under free
 * threads. Here every interleaving the delay model allows is a choice a policy makes, so the race
 * appears on demand, and every run is a schedule string that replays to the same trace.
 *
 * <p><b>Scale.</b> Executions are independent (each boots its own machine), so a search is cut
 * into units ({@link SchedulePolicy#plan}) that {@code threads} workers take in turn, and shard
 * {@code i} of {@code n} takes units {@code i, i+n, i+2n, ...}. Each execution carries a key (its
 * position in the search order), findings are kept per class with the smallest key, and so
 * {@link ExploreResult#merge} of the shards equals the unsharded result whatever the split.
 *
 * <p><b>Bounds.</b> Every execution is bounded in steps, the exploration in executions and wall
 * time; hitting any of them makes the result incomplete.
 */
public final class Explorer {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Explorer.class);
    private Explorer() {
    }

    /**
     * Explores {@code program} as {@code o} says, stopping at the first finding when
     * {@code o.stopAtFirst()}, else covering the space or hitting a bound.
     */
    public static ExploreResult explore(Program program, ExploreOptions o) {
        return explore(program, o, o.stopAtFirst() ? StopRule.firstFinding() : StopRule.never());
    }

    /**
     * Explores {@code program} as {@code o} says until the (bounded) space is covered, a bound is
     * hit, or {@code stop} says the kinds found so far answer the caller's question.
     *
     * <p>An exhaustive search with a preemption bound deepens it (0, 1, ... up to {@code o}'s),
     * as CHESS does: a bug within fewer preemptions is found before the search drowns in the
     * many more schedules a larger bound allows. The rounds end at the first one after which
     * {@code stop} is satisfied, or that hits the time limit or the schedule cap (shared by all
     * rounds), or that the bound did not cut (a larger bound adds nothing); a round with a
     * finding skips to the full bound, which collects the rest. Counts and times are summed over
     * the rounds run; the coverage is the last round's. A sharded search does not deepen, so
     * that its shards still merge.
     *
     * <p>A search asked to cover the space whatever it finds ({@link StopRule#cover()},
     * {@code --keep-going}) gains nothing from meeting the cheapest finding first, and skips the
     * small rounds: under merging it starts at one below the full bound, without merging at the
     * bound itself (nothing is carried from round to round then). Under merging each round
     * re-walks every state the last one reached (each now has one more preemption left), so rounds
     * cost the more the more of them; but a round straight at the full bound meets states first
     * along paths that spent more than they need and walks them again when a cheaper path comes. Measured at bound 3 (docs/BENCHMARKS.md): the seed race
     * under mm1 takes 6.5 s in rounds {2, 3} against 9.1 s in {0, 3}; seed-race-second-in-pagevec
     * under count-one 11.8 s against 17.8 s in {0, 1, 3} and 39 s in {1, 3}.
     *
     * <p>An exhaustive {@code irq} search first asks {@link InterleavingCheck} whether any
     * interleaving at all has a finding; where none has, that complete {@code dpor} search is
     * the answer.
     */
    public static ExploreResult explore(Program program, ExploreOptions o, StopRule stop) {
        long start = System.nanoTime();
        long deadline = start + o.timeLimit().toNanos();
        if (InterleavingCheck.applies(o)) {
            ExploreResult clean = InterleavingCheck.clean(program, o, start, deadline);
            if (clean != null) {
                LOG.info("no interleaving has a finding, so no irq schedule has one: {}", clean);
                return clean;
            }
        }
        return search(program, o, stop, start, deadline);
    }

    /** {@link #search(Program, ExploreOptions, StopRule)}, stopping at the first finding when {@code o.stopAtFirst()}. */
    public static ExploreResult search(Program program, ExploreOptions o) {
        return search(program, o, o.stopAtFirst() ? StopRule.firstFinding() : StopRule.never());
    }

    /**
     * The search {@code o} names, without the {@link InterleavingCheck} an {@code irq} search
     * asks first: what the tests of state merging compare with the plain search, and what the
     * benchmarks of the search itself time.
     */
    public static ExploreResult search(Program program, ExploreOptions o, StopRule stop) {
        long start = System.nanoTime();
        return search(program, o, stop, start, start + o.timeLimit().toNanos());
    }

    private static ExploreResult search(Program program, ExploreOptions o, StopRule stop, long start, long deadline) {
        if (!o.policy().equals("exhaustive") || o.shards() != 1 || o.preemptionBound() <= 0) {
            ExploreResult once = exploreOnce(program, o, stop, start, deadline, Set.of());
            LOG.info("explored: {}", once);
            return once;
        }
        ExploreResult acc = null;
        SchedulePolicy previous = null;
        int first = stop != StopRule.COVER ? 0 : o.merging() ? o.preemptionBound() - 1 : o.preemptionBound();
        for (int b = first; b <= o.preemptionBound(); b++) {
            long cap = o.maxSchedules() - (acc == null ? 0 : acc.schedules());
            if (cap <= 0) {
                return acc.withCoverage(false, ExploreResult.Bound.MAX_SCHEDULES, acc.decided(), millisSince(start));
            }
            ExploreOptions round = o.withPreemptionBound(b).withMaxSchedules(cap);
            SchedulePolicy policy = Policies.create(round.policy(), round);
            if (previous != null) {
                policy.continueFrom(previous); // a merging search keeps the states the last round explored
            }
            previous = policy;
            ExploreResult r = exploreOnce(program, round, stop, start, deadline, acc == null ? Set.of() : acc.kinds(),
                    true, KeyMutation.NONE, policy);
            acc = acc == null ? r : acc.then(r);
            LOG.debug("exploration round at preemption bound {}: {}", b, r);
            boolean cut = r.incompleteReason() == ExploreResult.Bound.TIME_LIMIT
                    || r.incompleteReason() == ExploreResult.Bound.MAX_SCHEDULES;
            if (b == o.preemptionBound() || cut || r.decided() || stop.decided(acc.kinds())
                    || (r.complete() && r.preemptionBound() < 0)) {
                break;
            }
            if (!r.findings().isEmpty()) {
                b = o.preemptionBound() - 1;
            }
        }
        LOG.info("explored: {}", acc);
        return acc.withCoverage(acc.complete(), acc.incompleteReason(), acc.decided(), millisSince(start));
    }

    /** One round at {@code o}'s bound, never deepened (for tests that count rounds). */
    static ExploreResult round(Program program, ExploreOptions o, StopRule stop) {
        long start = System.nanoTime();
        return exploreOnce(program, o, stop, start, start + o.timeLimit().toNanos(), Set.of());
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /**
     * One round of {@code o}'s search (no deepening) in which the {@code irq} model offers every
     * length of a busy handler at its arrival instead of its duration classes
     * ({@link IrqScheduler}): the reference the duration classes are tested against.
     */
    static ExploreResult exploreEveryDuration(Program program, ExploreOptions o) {
        long start = System.nanoTime();
        return exploreOnce(program, o, o.stopAtFirst() ? StopRule.firstFinding() : StopRule.never(), start,
                start + o.timeLimit().toNanos(), Set.of(), false);
    }

    /**
     * One round of {@code o}'s search (no deepening, no stop) with a state key that leaves
     * {@code mutation} out: what the test of state merging shows to lose states.
     */
    static ExploreResult exploreWithKey(Program program, ExploreOptions o, KeyMutation mutation) {
        long start = System.nanoTime();
        return exploreOnce(program, o, StopRule.never(), start, start + o.timeLimit().toNanos(), Set.of(), true,
                mutation);
    }

    private static ExploreResult exploreOnce(Program program, ExploreOptions o, StopRule stop, long start,
                                             long deadline, Set<FindingKind> seen) {
        return exploreOnce(program, o, stop, start, deadline, seen, true);
    }

    private static ExploreResult exploreOnce(Program program, ExploreOptions o, StopRule stop, long start,
                                             long deadline, Set<FindingKind> seen, boolean durationClasses) {
        return exploreOnce(program, o, stop, start, deadline, seen, durationClasses, KeyMutation.NONE);
    }

    private static ExploreResult exploreOnce(Program program, ExploreOptions o, StopRule stop, long start,
                                             long deadline, Set<FindingKind> seen, boolean durationClasses,
                                             KeyMutation mutation) {
        return exploreOnce(program, o, stop, start, deadline, seen, durationClasses, mutation,
                Policies.create(o.policy(), o));
    }

    static ExploreResult exploreOnce(Program program, ExploreOptions o, StopRule stop, long start,
                                     long deadline, Set<FindingKind> seen, boolean durationClasses,
                                     KeyMutation mutation, SchedulePolicy policy) {
        ExploreSession s = new ExploreSession(program, o, stop, start, deadline, seen);
        s.durationClasses = durationClasses;
        s.keyMutation = mutation;
        int units = policy.plan(s);
        AtomicInteger next = new AtomicInteger(o.shard());
        Runnable worker = () -> policy.runUnits(() -> {
            int u = next.getAndAdd(o.shards());
            return u < units ? u : -1;
        }, o.threads(), s);
        runWorkers(worker, o.threads());
        return s.result(policy);
    }

    /** Replays {@code schedule} with a trace, within the default step bound and time limit. */
    public static RunResult replay(Program program, String schedule) {
        return replay(program, schedule, ExploreOptions.defaults());
    }

    /** Replays {@code schedule} with a trace, within {@code o}'s step bound and time limit. */
    public static RunResult replay(Program program, String schedule, ExploreOptions o) {
        Schedule s = Schedule.parse(schedule);
        return new Execution(program, s.model(), new ReplayScheduler(s), o.maxSteps(),
                System.nanoTime() + o.timeLimit().toNanos(), true, RowListener.NONE).run();
    }

    private static void runWorkers(Runnable worker, int threads) {
        List<Thread> extra = new ArrayList<>();
        Throwable[] failure = new Throwable[1];
        for (int i = 1; i < threads; i++) {
            Thread t = new Thread(() -> {
                try {
                    worker.run();
                } catch (Throwable e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                }
            }, "mmemu-explore-" + i);
            t.setDaemon(true);
            extra.add(t);
            t.start();
        }
        try {
            worker.run();
        } finally {
            for (Thread t : extra) {
                boolean interrupted = false;
                while (t.isAlive()) {
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        synchronized (failure) {
            if (failure[0] instanceof RuntimeException e) {
                throw e;
            } else if (failure[0] != null) {
                throw new IllegalStateException(failure[0]);
            }
        }
    }
}
