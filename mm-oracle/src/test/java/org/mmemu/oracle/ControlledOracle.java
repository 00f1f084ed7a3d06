package org.mmemu.oracle;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.engine.DelayModel;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.ExploreResult;
import org.mmemu.engine.control.Explorer;
import org.mmemu.engine.search.Policies;
import org.mmemu.scenario.run.Scenarios;

/**
 * The reference side of the oracle: mm-core's {@link Explorer} on a pair's program under
 * {@code --delays anywhere} with full coverage, through the same library call the command line
 * makes. Full coverage is {@code dpor} (every Mazurkiewicz trace once) where the engine has it,
 * else {@code exhaustive} without a preemption bound; either way every kind is collected
 * ({@code keep going}), not only the first.
 */
final class ControlledOracle {
    /** The policy that covers a space completely: dpor once mm-core has it. */
    static final String POLICY = Policies.names().contains("dpor") ? "dpor" : "exhaustive";

    private final Scenarios scenarios;
    private final Duration timeLimit;

    ControlledOracle(Scenarios scenarios, Duration timeLimit) {
        this.scenarios = scenarios;
        this.timeLimit = timeLimit;
    }

    ExploreOptions options() {
        return ExploreOptions.defaults().withPolicy(POLICY).withDelays(DelayModel.ANYWHERE).withPreemptionBound(-1)
                .withMaxSchedules(10_000_000).withTimeLimit(timeLimit).withStopAtFirst(false)
                .withThreads(Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())));
    }

    ControlledVerdict verdict(OraclePair pair) {
        ExploreResult r = Explorer.explore(pair.program(scenarios), options());
        Map<String, String> schedules = new LinkedHashMap<>();
        TreeSet<String> kinds = new TreeSet<>();
        for (Finding f : r.findings()) {
            kinds.add(f.kind().id());
            schedules.putIfAbsent(f.kind().id(), f.schedule());
        }
        r.countsByKind().forEach((k, n) -> {
            if (n > 0) {
                kinds.add(k.id());
            }
        });
        Long fromZero = r.warningCounts().get(FindingKind.REFCOUNT_FROM_ZERO);
        if (fromZero != null && fromZero > 0) {
            kinds.add(FindingKind.REFCOUNT_FROM_ZERO.id());
        }
        return new ControlledVerdict(pair.scenario(), pair.protocol(), r.policy(), Collections.unmodifiableSortedSet(kinds),
                Collections.unmodifiableMap(schedules), r.complete(), r.schedules(), r.elapsedMillis());
    }
}
