package org.mmemu.scenario.run;

import java.util.List;
import org.mmemu.engine.DelayModel;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.ExploreResult;
import org.mmemu.engine.control.Explorer;
import org.mmemu.engine.StopRule;
import org.mmemu.scenario.run.TraceLine;
import org.mmemu.scenario.EngineSettings;

/**
 * The engines the command line can run scenarios under: the controlled engine (deterministic,
 * explorable, replayable; docs/ARCHITECTURE.md §3) of mm-core's {@code org.mmemu.engine}, and the free
 * engine (real threads).
 */
public final class Engines {
    private Engines() {
    }

    /**
     * The controlled engine's explorer ({@code Explorer.explore}), for explore, compare, demo
     * and run: the settings become {@code ExploreOptions}, the first finding's schedule is
     * replayed into the report's rows, named by the scenario's pages and marked. The explorer
     * reports no progress while it runs, so the progress line shows the time only.
     */
    public static EngineRunner controlled() {
        return controlled(StopRule.never(), Shard.WHOLE);
    }

    /**
     * The controlled engine's explorer, stopping as {@code stop} says (e.g. once the verdict on
     * the file's expectation is decided), running only {@code shard} of the search.
     */
    public static EngineRunner controlled(StopRule stop, Shard shard) {
        return controlled(stop, shard, defaultThreads());
    }

    /**
     * The explorer's default number of threads: every processor the JVM may use (what
     * {@code -XX:ActiveProcessorCount} or a container's CPU limit says). Verdicts and the kinds
     * found do not depend on it; which schedule a finding is first reported with may.
     */
    public static int defaultThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /**
     * The controlled engine's explorer as {@link #controlled(StopRule, Shard)}, running
     * independent executions on {@code threads} threads ({@code --threads}).
     */
    public static EngineRunner controlled(StopRule stop, Shard shard, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
        return (program, s, progress) -> {
            ExploreOptions o = options(s).withThreads(threads);
            try {
                org.mmemu.engine.search.Policies.create(o.policy(), o);
            } catch (IllegalArgumentException e) {
                // a policy that refuses these settings (dpor under the irq model): bad input, exit 2
                throw new org.mmemu.scenario.ops.ScenarioFailure(e.getMessage());
            }
            long start = System.nanoTime();
            ExploreResult r = Explorer.explore(program, o.withShard(shard.index() - 1, shard.count()), stop);
            // Wall time of the whole search (the explorer's figure may be its last deepening round's).
            long wall = Math.max(r.elapsedMillis(), (System.nanoTime() - start) / 1_000_000);
            // A replay's space is its one schedule: covered when that execution reached its end.
            boolean complete = s.policy().equals("replay") ? r.schedules() >= 1 && r.incompleteRuns() == 0
                    : r.complete();
            return exploration(program, r, complete, wall, complete ? "" : incompleteReason(r, s, wall));
        };
    }

    /**
     * The controlled engine's result as an {@link Exploration} (e.g. the merged shards of one
     * search), its first finding's schedule replayed into marked rows named by the scenario's pages.
     */
    public static Exploration exploration(ScenarioProgram program, ExploreResult r) {
        return exploration(program, r, r.complete(), r.elapsedMillis(), r.complete() ? ""
                : r.incompleteReason() == null ? "a bound hit" + after(r) : r.incompleteReason().words() + " hit" + after(r));
    }

    private static Exploration exploration(ScenarioProgram program, ExploreResult r, boolean complete, long millis,
                                           String reason) {
        List<TraceLine> rows = r.findings().isEmpty() ? List.of() : Traces.of(program, r.findings().get(0), null);
        long withFindings = r.countsByKind().values().stream().mapToLong(Long::longValue).sum();
        return new Exploration("controlled", r.schedules(), complete, r.findings(), withFindings, rows, millis, reason,
                r);
    }

    /** {@code s} (defaults filled in) as the explorer's options. */
    public static ExploreOptions options(EngineSettings s) {
        return ExploreOptions.defaults()
                .withPolicy(s.policy()).withSeed(s.seed()).withPreemptionBound(s.preemptionBound())
                .withDelays(DelayModel.byId(s.delays())).withSkew(s.skew()).withMerge(s.merge() == null || s.merge())
                .withMaxSchedules(s.maxSchedules()).withTimeLimit(s.timeLimit())
                .withSchedule(s.schedule() == null ? "" : s.schedule());
    }

    private static String after(ExploreResult r) {
        return " after " + String.format("%,d", r.schedules()) + " schedule" + (r.schedules() == 1 ? "" : "s");
    }

    /**
     * Which bound kept {@code r} from covering its space, as {@code <bound> hit after N schedules},
     * with the bound's value: the explorer's own {@link ExploreResult#incompleteReason()} where it
     * names one, else what the settings say (a sampling policy never covers a space).
     */
    static String incompleteReason(ExploreResult r, EngineSettings s, long wallMillis) {
        String after = after(r);
        if (samples(s.policy())) {
            return "the " + s.policy() + " policy samples schedules and never covers the space; its sample of "
                    + String.format("%,d", s.maxSchedules()) + " hit" + after;
        }
        if (s.policy().equals("replay")) {
            return "the step bound or time limit of the replayed execution hit" + after;
        }
        ExploreResult.Bound b = r.incompleteReason();
        if (b == ExploreResult.Bound.MAX_SCHEDULES || b == null && r.schedules() >= s.maxSchedules()) {
            return "the schedule limit (max-schedules " + String.format("%,d", s.maxSchedules()) + ") hit" + after;
        }
        if (b == ExploreResult.Bound.TIME_LIMIT || b == null && wallMillis >= s.timeLimit().toMillis() - 50) {
            return "the time limit (" + human(s.timeLimit()) + ") hit" + after;
        }
        if (b == ExploreResult.Bound.MAX_STEPS || b == null && r.incompleteRuns() > 0) {
            return "the step bound of one execution (" + String.format("%,d", ExploreOptions.defaults().maxSteps())
                    + " steps) hit" + after;
        }
        return "a bound hit" + after;
    }

    /** Whether {@code policy} samples schedules (pct, pos, random), and so never covers a space. */
    public static boolean samples(String policy) {
        return !List.of("exhaustive", "dpor", "replay").contains(policy);
    }

    private static String human(java.time.Duration d) {
        return d.toMillis() % 1000 != 0 ? d.toMillis() + "ms" : d.toSeconds() % 60 != 0 || d.toSeconds() < 60
                ? d.toSeconds() + "s" : d.toMinutes() + "m";
    }

    /** The free engine, once. */
    public static EngineRunner free() {
        return FreeRunner.once();
    }
}
