package org.mmemu.engine.control;

import java.util.Set;
import org.mmemu.engine.DelayModel;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.ExploreResult;
import org.mmemu.engine.Program;
import org.mmemu.engine.StopRule;
import org.mmemu.engine.search.Policies;

/**
 * The {@code irq} search's first question, asked of a larger space that is far cheaper to cover:
 * does any interleaving at all have a finding?
 *
 * <p><b>Why it answers the {@code irq} search.</b> Every {@code irq} schedule is an interleaving
 * of the same steps: a start offset, a slip, a busy handler and a spin only hold a CPU back while
 * the others go on, and an interrupt whose handler is kernel code arrives at a step where its CPU's
 * irqs are on, which the {@code anywhere} model offers too. Findings are properties of the
 * interleaving (the data-race detector's vector clocks included), not of the clock that produced
 * it. So when {@code dpor} covers every interleaving of {@code anywhere} (no preemption bound:
 * one execution per Mazurkiewicz trace, tens of them on the shipped scenarios) and finds nothing,
 * no {@code irq} schedule at any bound or skew has a finding, and the search that would enumerate
 * them (hundreds of thousands of start offsets, slips and arrivals; docs/BENCHMARKS.md) can only
 * confirm it. That is the common case of a clean protocol, and of a scenario whose CPUs share
 * nothing the race needs ({@code seed-race-another-page}).
 *
 * <p><b>When it is not used.</b> Where {@code dpor} finds anything, or raises a warning, the
 * {@code irq} search runs as if this had not been asked: which of those interleavings the timing
 * model allows is its question, not this one's. The check is also left out where it cannot stand
 * in for the search: a search split into shards (each must cover its own part), and the plain
 * search ({@code --no-merge}) that the reductions are compared against. It gets a tenth of the
 * time limit and at most {@link #MAX_SCHEDULES} executions; cut by either, it is dropped.
 *
 * <p>The result it returns is the {@code dpor} search's own, policy {@code dpor} and no bound: the
 * reports say that the interleavings were covered, never that the {@code irq} schedules were
 * enumerated.
 */
final class InterleavingCheck {
    /** Far above what the shipped scenarios take (at most about 700), far below an irq search. */
    static final long MAX_SCHEDULES = 20_000;

    private InterleavingCheck() {
    }

    /** Whether {@code o} is an {@code irq} search this check may stand in for. */
    static boolean applies(ExploreOptions o) {
        return o.merging() && o.shards() == 1;
    }

    /**
     * The complete {@code dpor} search of every interleaving of {@code program}, if it found
     * nothing and raised no warning within its share of the limits; else null.
     */
    static ExploreResult clean(Program program, ExploreOptions o, long start, long deadline) {
        ExploreOptions any = o.withDelays(DelayModel.ANYWHERE).withPolicy("dpor").withPreemptionBound(-1)
                .withMaxSchedules(Math.min(o.maxSchedules(), MAX_SCHEDULES)).withStopAtFirst(true);
        long share = Math.min(deadline, start + o.timeLimit().toNanos() / 10);
        ExploreResult r = Explorer.exploreOnce(program, any, StopRule.firstFinding(), start, share, Set.of(), true,
                org.mmemu.engine.run.KeyMutation.NONE, Policies.create("dpor", any));
        boolean clean = r.complete() && r.findings().isEmpty() && r.warningCounts().isEmpty()
                && r.countsByKind().isEmpty();
        return clean ? r : null;
    }
}
