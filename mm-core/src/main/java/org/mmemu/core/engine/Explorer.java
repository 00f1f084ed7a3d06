package org.mmemu.core.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;

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
    private Explorer() {
    }

    /**
     * Explores {@code program} as {@code o} says.
     *
     * <p>An exhaustive search with a preemption bound deepens it (0, 1, ... up to {@code o}'s),
     * as CHESS does: a bug within fewer preemptions is found before the search drowns in the
     * many more schedules a larger bound allows. A search that stops at its first finding
     * returns the first round that finds one; otherwise the round at the full bound is run too
     * and is the result, unless it ran out of time without a finding that an earlier round made.
     * A sharded search does not deepen, so that its shards still merge.
     */
    public static ExploreResult explore(Program program, ExploreOptions o) {
        if (!o.policy().equals("exhaustive") || o.shards() != 1 || o.preemptionBound() <= 0) {
            return exploreOnce(program, o);
        }
        long deadline = System.nanoTime() + o.timeLimit().toNanos();
        ExploreResult found = null;
        for (int b = 0; b < o.preemptionBound() && System.nanoTime() < deadline; b++) {
            ExploreResult r = exploreOnce(program, o.withPreemptionBound(b).withTimeLimit(left(deadline)));
            if (!r.findings().isEmpty()) {
                if (o.stopAtFirst()) {
                    return r;
                }
                found = r;
                break;
            }
        }
        ExploreResult full = exploreOnce(program, o.withTimeLimit(left(deadline)));
        return full.findings().isEmpty() && !full.complete() && found != null ? found : full;
    }

    private static java.time.Duration left(long deadline) {
        return java.time.Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
    }

    private static ExploreResult exploreOnce(Program program, ExploreOptions o) {
        long start = System.nanoTime();
        SchedulePolicy policy = Policies.create(o.policy(), o);
        Session s = new Session(program, o, start + o.timeLimit().toNanos());
        int units = policy.plan(s);
        AtomicInteger next = new AtomicInteger(o.shard());
        Runnable worker = () -> {
            for (int u = next.getAndAdd(o.shards()); u < units; u = next.getAndAdd(o.shards())) {
                if (s.stopping()) {
                    s.truncated = true;
                    return;
                }
                policy.runUnit(u, s);
            }
        };
        runWorkers(worker, o.threads());
        return s.result(policy, start);
    }

    /** Replays {@code schedule} with a trace, within the default step bound and time limit. */
    public static RunResult replay(Program program, String schedule) {
        return replay(program, schedule, ExploreOptions.defaults());
    }

    /** Replays {@code schedule} with a trace, within {@code o}'s step bound and time limit. */
    public static RunResult replay(Program program, String schedule, ExploreOptions o) {
        Schedule s = Schedule.parse(schedule);
        return new Execution(program, s.model(), new ReplayScheduler(s), o.maxSteps(),
                System.nanoTime() + o.timeLimit().toNanos(), true, Execution.RowListener.NONE).run();
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

    /** A finding kept for the result: the earliest of its class. */
    private record Found(int[] key, Finding finding) {
    }

    /** One exploration's runner and tallies; shared by its worker threads. */
    private static final class Session implements SchedulePolicy.Runner {
        private final Program program;
        private final ExploreOptions o;
        private final long deadline;
        private long schedules;
        private long pruned;
        private long incompleteRuns;
        private long steps;
        private boolean found;
        volatile boolean truncated;
        private final Map<FindingKind, Long> counts = new EnumMap<>(FindingKind.class);
        private final Map<FindingKind, Long> warningCounts = new EnumMap<>(FindingKind.class);
        private final Map<String, Found> byClass = new HashMap<>();

        Session(Program program, ExploreOptions o, long deadline) {
            this.program = program;
            this.o = o;
            this.deadline = deadline;
        }

        @Override
        public ExploreOptions options() {
            return o;
        }

        private Scheduler scheduler(Chooser c) {
            return o.delays() == DelayModel.IRQ ? new IrqScheduler(c, o.skew()) : new AnywhereScheduler(c);
        }

        @Override
        public RunResult run(Chooser chooser, Supplier<int[]> key) {
            if (stopping()) {
                truncated = true;
                return null;
            }
            RunResult r = new Execution(program, o.delays(), scheduler(chooser), o.maxSteps(), deadline, false,
                    Execution.RowListener.NONE).run();
            record(r, key.get());
            return r;
        }

        @Override
        public RunResult replay(Schedule schedule, int[] key) {
            RunResult r = new Execution(program, schedule.model(), new ReplayScheduler(schedule), o.maxSteps(),
                    deadline, false, Execution.RowListener.NONE).run();
            record(r, key);
            return r;
        }

        @Override
        public RunResult probe(Chooser chooser) {
            return new Execution(program, o.delays(), scheduler(chooser), o.maxSteps(), deadline, false,
                    Execution.RowListener.NONE).run();
        }

        @Override
        public synchronized boolean stopping() {
            return schedules >= o.maxSchedules() || (o.stopAtFirst() && found) || System.nanoTime() - deadline >= 0;
        }

        private synchronized void record(RunResult r, int[] key) {
            steps += r.steps();
            if (r.outcome() == RunResult.Outcome.PRUNED) {
                pruned++;
                return;
            }
            schedules++;
            if (r.incomplete()) {
                incompleteRuns++;
            }
            Set<FindingKind> kinds = EnumSet.noneOf(FindingKind.class);
            for (Finding f : r.findings()) {
                kinds.add(f.kind());
                found = true;
                String cls = ExploreResult.classOf(f);
                Found prev = byClass.get(cls);
                if (prev == null || Arrays.compare(key, prev.key()) < 0) {
                    byClass.put(cls, new Found(key, f));
                }
            }
            for (FindingKind k : kinds) {
                counts.merge(k, 1L, Long::sum);
            }
            Set<FindingKind> warned = EnumSet.noneOf(FindingKind.class);
            for (Finding w : r.warnings()) {
                warned.add(w.kind());
            }
            for (FindingKind k : warned) {
                warningCounts.merge(k, 1L, Long::sum);
            }
        }

        ExploreResult result(SchedulePolicy policy, long start) {
            List<Found> fs;
            synchronized (this) {
                fs = new ArrayList<>(byClass.values());
            }
            fs.sort((a, b) -> Arrays.compare(a.key(), b.key()));
            long shrinkDeadline = System.nanoTime() + Math.min(o.timeLimit().toNanos(), Duration.ofSeconds(10).toNanos());
            List<Finding> findings = new ArrayList<>();
            List<int[]> keys = new ArrayList<>();
            Trace first = null;
            for (Found f : fs) {
                Schedule s = Schedule.parse(f.finding().schedule());
                if (o.shrink()) {
                    Shrinker shrinker = new Shrinker(c -> new Execution(program, c.model(), new ReplayScheduler(c),
                            o.maxSteps(), shrinkDeadline, false, Execution.RowListener.NONE).run(),
                            200, shrinkDeadline);
                    s = shrinker.shrink(s, f.finding().kind());
                }
                Finding shown = f.finding().withSchedule(s.toString());
                if (first == null) {
                    RunResult r = new Execution(program, s.model(), new ReplayScheduler(s), o.maxSteps(),
                            System.nanoTime() + Duration.ofSeconds(10).toNanos(), true,
                            Execution.RowListener.NONE).run();
                    first = r.trace();
                    for (Finding g : r.findings()) {
                        if (g.kind() == shown.kind()) {
                            shown = g;
                            break;
                        }
                    }
                }
                findings.add(shown);
                keys.add(f.key());
            }
            synchronized (this) {
                boolean complete = policy.exhaustive() && !truncated && incompleteRuns == 0;
                return new ExploreResult(policy.name(), schedules, pruned, incompleteRuns, steps, complete,
                        (System.nanoTime() - start) / 1_000_000, findings, keys, first, counts, warningCounts);
            }
        }
    }
}
