package org.mmemu.engine.control;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.engine.DelayModel;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.ExploreResult;
import org.mmemu.engine.Program;
import org.mmemu.engine.RunResult;
import org.mmemu.engine.Schedule;
import org.mmemu.engine.StopRule;
import org.mmemu.engine.Trace;
import org.mmemu.engine.delay.AnywhereScheduler;
import org.mmemu.engine.delay.Chooser;
import org.mmemu.engine.delay.IrqScheduler;
import org.mmemu.engine.delay.ReplayScheduler;
import org.mmemu.engine.run.Execution;
import org.mmemu.engine.run.KeyMutation;
import org.mmemu.engine.run.RowListener;
import org.mmemu.engine.run.Scheduler;
import org.mmemu.engine.search.SchedulePolicy;

/**
 * One exploration's runner and tallies, shared by its worker threads: runs each execution a
 * policy asks for, counts it, keeps the earliest finding of each class (by the execution's key,
 * so the result does not depend on threads or shards) and says when to stop.
 */
final class ExploreSession implements SchedulePolicy.Runner {
    /**
     * A finding kept for the result: the earliest of its class, with its place among the
     * findings of its execution (findings of one execution share a key).
     */
    private record Found(int[] key, int seq, Finding finding) {
    }

    private final Program program;
    private final ExploreOptions o;
    private final StopRule stop;
    private final long start;
    private final long deadline;
    /** Whether the irq model explores busy handlers by duration classes (else every length). */
    boolean durationClasses = true;
    /** A part of the state key left out on purpose (tests of the key only). */
    KeyMutation keyMutation = KeyMutation.NONE;
    private long schedules;
    /** Executions started and not pruned: what the schedule cap counts, so that threads never overrun it. */
    private long started;
    private long pruned;
    private long stepLimitRuns;
    private long timeLimitRuns;
    private long steps;
    private long firstFindingNanos = -1;
    private long firstFindingSchedules = -1;
    /** Why work was refused: a bound, or the stop rule (null); unset while nothing was refused. */
    private Optional<ExploreResult.Bound> refused;
    private final Set<FindingKind> kinds = EnumSet.noneOf(FindingKind.class);
    private final Map<FindingKind, Long> counts = new EnumMap<>(FindingKind.class);
    private final Map<FindingKind, Long> warningCounts = new EnumMap<>(FindingKind.class);
    private final Map<String, Found> byClass = new HashMap<>();

    ExploreSession(Program program, ExploreOptions o, StopRule stop, long start, long deadline,
            Set<FindingKind> seen) {
        this.program = program;
        this.o = o;
        this.stop = stop;
        this.start = start;
        this.deadline = deadline;
        this.kinds.addAll(seen);
    }

    @Override
    public ExploreOptions options() {
        return o;
    }

    private Scheduler scheduler(Chooser c) {
        return o.delays() == DelayModel.IRQ ? new IrqScheduler(c, o.skew(), durationClasses,
                o.merging() && o.preemptionBound() >= 0
                        ? o.skew() * (o.preemptionBound() + 1) : 0, keyMutation)
                : new AnywhereScheduler(c);
    }

    @Override
    public RunResult run(Chooser chooser, Supplier<int[]> key) {
        if (!reserve()) {
            return null;
        }
        RunResult r = new Execution(program, o.delays(), scheduler(chooser), o.maxSteps(), deadline, false,
                RowListener.NONE).run();
        record(r, key.get());
        return r;
    }

    @Override
    public RunResult replay(Schedule schedule, int[] key) {
        RunResult r = new Execution(program, schedule.model(), new ReplayScheduler(schedule), o.maxSteps(),
                deadline, false, RowListener.NONE).run();
        record(r, key);
        return r;
    }

    @Override
    public RunResult probe(Chooser chooser) {
        return new Execution(program, o.delays(), scheduler(chooser), o.maxSteps(), deadline, false,
                RowListener.NONE).run();
    }

    /** Claims a place under the schedule cap for one execution; false when the search is stopping. */
    private synchronized boolean reserve() {
        if (stopping()) {
            return false;
        }
        started++;
        return true;
    }

    /** Asked only where work remains, so a yes means work is refused: the first reason is kept. */
    @Override
    public synchronized boolean stopping() {
        ExploreResult.Bound why;
        if (stop.decided(kinds)) {
            why = null;
        } else if (Math.max(schedules, started) >= o.maxSchedules()) {
            why = ExploreResult.Bound.MAX_SCHEDULES;
        } else if (System.nanoTime() - deadline >= 0) {
            why = ExploreResult.Bound.TIME_LIMIT;
        } else {
            return false;
        }
        if (refused == null) {
            refused = Optional.ofNullable(why);
        }
        return true;
    }

    private synchronized void record(RunResult r, int[] key) {
        steps += r.steps();
        if (r.outcome() == RunResult.Outcome.PRUNED) {
            pruned++;
            started--;
            return;
        }
        schedules++;
        if (r.outcome() == RunResult.Outcome.STEP_LIMIT) {
            stepLimitRuns++;
        } else if (r.outcome() == RunResult.Outcome.TIME_LIMIT) {
            timeLimitRuns++;
        }
        if (!r.findings().isEmpty() && firstFindingSchedules < 0) {
            firstFindingNanos = System.nanoTime() - start;
            firstFindingSchedules = schedules;
        }
        Set<FindingKind> runKinds = EnumSet.noneOf(FindingKind.class);
        for (int seq = 0; seq < r.findings().size(); seq++) {
            Finding f = r.findings().get(seq);
            runKinds.add(f.kind());
            String cls = ExploreResult.classOf(f);
            Found prev = byClass.get(cls);
            if (prev == null || Arrays.compare(key, prev.key()) < 0) {
                byClass.put(cls, new Found(key, seq, f));
            }
        }
        for (FindingKind k : runKinds) {
            counts.merge(k, 1L, Long::sum);
        }
        kinds.addAll(runKinds);
        Set<FindingKind> warned = EnumSet.noneOf(FindingKind.class);
        for (Finding w : r.warnings()) {
            warned.add(w.kind());
        }
        for (FindingKind k : warned) {
            warningCounts.merge(k, 1L, Long::sum);
        }
    }

    ExploreResult result(SchedulePolicy policy) {
        List<Found> fs;
        synchronized (this) {
            fs = new ArrayList<>(byClass.values());
        }
        // by exploration key, then in the order their execution reported them: findings of one
        // execution share a key, and the map's order of them depends on which thread came first
        fs.sort((a, b) -> {
            int c = Arrays.compare(a.key(), b.key());
            return c != 0 ? c : Integer.compare(a.seq(), b.seq());
        });
        long shrinkDeadline = System.nanoTime() + Math.min(o.timeLimit().toNanos(), Duration.ofSeconds(10).toNanos());
        List<Finding> findings = new ArrayList<>();
        List<int[]> keys = new ArrayList<>();
        Trace first = null;
        for (Found f : fs) {
            Schedule s = Schedule.parse(f.finding().schedule());
            if (o.shrink()) {
                ScheduleShrinker shrinker = new ScheduleShrinker(c -> new Execution(program, c.model(), new ReplayScheduler(c),
                        o.maxSteps(), shrinkDeadline, false, RowListener.NONE).run(),
                        200, shrinkDeadline);
                s = shrinker.shrink(s, f.finding());
            }
            Finding shown = f.finding().withSchedule(s.toString());
            if (first == null) {
                RunResult r = new Execution(program, s.model(), new ReplayScheduler(s), o.maxSteps(),
                        System.nanoTime() + Duration.ofSeconds(10).toNanos(), true,
                        RowListener.NONE).run();
                first = r.trace();
                for (Finding g : r.findings()) {
                    if (g.sameOccurrence(shown)) {
                        shown = g;
                        break;
                    }
                }
            }
            findings.add(shown);
            keys.add(f.key());
        }
        synchronized (this) {
            ExploreResult.Bound reason = refused != null && refused.isPresent() ? refused.get()
                    : timeLimitRuns > 0 ? ExploreResult.Bound.TIME_LIMIT
                    : stepLimitRuns > 0 ? ExploreResult.Bound.MAX_STEPS
                    : refused == null && !policy.exhaustive() ? ExploreResult.Bound.MAX_SCHEDULES
                    : null;
            boolean decided = refused != null && refused.isEmpty();
            boolean complete = policy.exhaustive() && refused == null && reason == null;
            ExploreResult.Stats stats = new ExploreResult.Stats(policy.name(), schedules, pruned,
                    policy.distinctStates(), policy.merged(),
                    stepLimitRuns + timeLimitRuns, steps, (System.nanoTime() - start) / 1_000_000,
                    firstFindingNanos < 0 ? -1 : firstFindingNanos / 1_000_000, firstFindingSchedules, complete,
                    reason, decided, policy.boundCut() ? o.preemptionBound() : -1, counts, warningCounts);
            return new ExploreResult(stats, findings, keys, first);
        }
    }
}
