package org.mmemu.scenario.run;

import org.mmemu.scenario.ops.NotWired;

/**
 * The engines the command line can run scenarios under. The controlled engine (deterministic,
 * explorable, replayable; DESIGN §3) is written in mm-core's {@code org.mmemu.core.engine};
 * {@link #controlled()} becomes an adapter to its explorer once it is there.
 */
public final class Engines {
    private Engines() {
    }

    /**
     * The controlled engine's explorer ({@code org.mmemu.core.engine.Explorer.explore}), for
     * explore, replay, compare, demo and run: the settings become {@code ExploreOptions}, the
     * first finding's trace becomes the report's rows, named by the scenario's pages. The
     * explorer reports no progress while it runs, so the progress line shows the time only.
     */
    public static EngineRunner controlled() {
        return controlled(org.mmemu.core.engine.StopRule.never(), Shard.WHOLE);
    }

    /**
     * The controlled engine's explorer, stopping as {@code stop} says (e.g. once the verdict on
     * the file's expectation is decided), running only {@code shard} of the search.
     */
    public static EngineRunner controlled(org.mmemu.core.engine.StopRule stop, Shard shard) {
        return (program, s, progress) -> {
            org.mmemu.core.engine.ExploreOptions o = org.mmemu.core.engine.ExploreOptions.defaults()
                    .withPolicy(s.policy()).withSeed(s.seed()).withPreemptionBound(s.preemptionBound())
                    .withDelays(org.mmemu.core.engine.DelayModel.byId(s.delays())).withSkew(s.skew())
                    .withMaxSchedules(s.maxSchedules()).withTimeLimit(s.timeLimit())
                    .withSchedule(s.schedule() == null ? "" : s.schedule())
                    // Independent executions on both cores of the machine DESIGN targets.
                    .withThreads(Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())));
            try {
                org.mmemu.core.engine.Policies.create(o.policy(), o);
            } catch (IllegalArgumentException e) {
                // a policy that refuses these settings (dpor under the irq model): bad input, exit 2
                throw new org.mmemu.scenario.ops.ScenarioFailure(e.getMessage());
            }
            org.mmemu.core.engine.ExploreResult r = org.mmemu.core.engine.Explorer.explore(program,
                    o.withShard(shard.index() - 1, shard.count()), stop);
            return exploration(program, r);
        };
    }

    /** The controlled engine's result as an {@link Exploration}, its first finding's trace named by the scenario's pages. */
    public static Exploration exploration(ScenarioProgram program, org.mmemu.core.engine.ExploreResult r) {
        java.util.List<org.mmemu.report.TraceLine> rows = r.firstTrace() == null ? java.util.List.of()
                : r.firstTrace().rows().stream().map(x -> org.mmemu.report.TraceLine.of(x.index(), x.cpu(),
                        x.kind().name(), x.site(), x.inInterrupt(), x.pages().stream().map(p ->
                                new org.mmemu.report.TraceLine.PageState(program.pageName(p.pfn()), p.count(),
                                        p.lru())).toList())).toList();
        long withFindings = r.countsByKind().values().stream().mapToLong(Long::longValue).sum();
        return new Exploration("controlled", r.schedules(), r.complete(), r.findings(), withFindings, rows,
                r.elapsedMillis(), r);
    }

    /** The free engine, once. */
    public static EngineRunner free() {
        return FreeRunner.once();
    }
}
