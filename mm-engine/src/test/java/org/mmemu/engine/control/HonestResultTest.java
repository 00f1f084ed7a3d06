package org.mmemu.engine.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.ExploreResult;
import org.mmemu.engine.Program;
import org.mmemu.engine.StopRule;
import org.mmemu.engine.TinyPrograms;

/**
 * What a result claims: it stops when the caller's question is answered, counts the work of
 * every round, and names the bound that kept it from covering its space.
 */
class HonestResultTest {
    private static final ExploreOptions EXH = ExploreOptions.defaults().withShrink(false);

    @Test
    void anExpectationThatIsMetStopsTheSearchAndKeepGoingDoesNot() {
        Program p = TinyPrograms.lostUpdate(2, 2);
        ExploreOptions o = EXH.withPreemptionBound(-1).withPor(false);
        ExploreResult stopped = Explorer.explore(p, o, StopRule.expecting(List.of(FindingKind.ACCOUNTING)));
        assertThat(stopped.kinds()).contains(FindingKind.ACCOUNTING);
        assertThat(stopped.decided()).isTrue();
        assertThat(stopped.complete()).isFalse();
        assertThat(stopped.incompleteReason()).isNull();
        // one thread: the execution that settled it is the last one run
        assertThat(stopped.schedules()).isEqualTo(stopped.firstFindingSchedules()).isPositive();

        ExploreResult all = Explorer.explore(p, o, StopRule.never());
        assertThat(all.complete()).isTrue();
        assertThat(all.decided()).isFalse();
        assertThat(all.schedules()).isGreaterThan(stopped.schedules());
        assertThat(all.firstFindingSchedules()).isEqualTo(stopped.firstFindingSchedules());
        assertThat(all.countsByKind().get(FindingKind.ACCOUNTING)).isGreaterThan(1);
    }

    @Test
    void anExpectationOfNothingStopsAtTheFirstFindingOfAnyKind() {
        Program p = TinyPrograms.lostUpdate(2, 2);
        ExploreResult r = Explorer.explore(p, EXH.withPreemptionBound(-1), StopRule.expecting(List.of()));
        assertThat(r.findings()).isNotEmpty();
        assertThat(r.decided()).isTrue();
        assertThat(r.schedules()).isEqualTo(r.firstFindingSchedules());
        // an expectation the search cannot meet runs to the end of the space
        ExploreResult unmet = Explorer.explore(p, EXH.withPreemptionBound(-1),
                StopRule.expecting(List.of(FindingKind.DOUBLE_FREE)));
        assertThat(unmet.complete()).isTrue();
        assertThat(unmet.decided()).isFalse();
    }

    @Test
    void aDeepeningSearchCountsEveryRound() {
        Program p = TinyPrograms.steps(org.mmemu.core.emu.Access.WRITE, new String[][] {{"x", "x", "x"}, {"x", "x", "x"}});
        ExploreOptions o = EXH.withPor(false);
        long r0 = Explorer.round(p, o.withPreemptionBound(0), StopRule.never()).schedules();
        long r1 = Explorer.round(p, o.withPreemptionBound(1), StopRule.never()).schedules();
        long r2 = Explorer.round(p, o.withPreemptionBound(2), StopRule.never()).schedules();
        ExploreResult deepened = Explorer.explore(p, o.withPreemptionBound(2), StopRule.never());
        assertThat(r0).isPositive();
        assertThat(deepened.schedules()).isEqualTo(r0 + r1 + r2);
        assertThat(deepened.steps()).isEqualTo(
                Explorer.round(p, o.withPreemptionBound(0), StopRule.never()).steps()
                        + Explorer.round(p, o.withPreemptionBound(1), StopRule.never()).steps()
                        + Explorer.round(p, o.withPreemptionBound(2), StopRule.never()).steps());
        assertThat(deepened.complete()).isTrue();
        assertThat(deepened.preemptionBound()).isEqualTo(2);
        // one asked to cover the space whatever it finds (--keep-going) skips the small rounds:
        // without merging (anywhere) it runs at the full bound only
        ExploreResult covering = Explorer.explore(p, o.withPreemptionBound(2), StopRule.cover());
        assertThat(covering.schedules()).isEqualTo(r2);
        assertThat(covering.complete()).isTrue();
        assertThat(covering.preemptionBound()).isEqualTo(2);
    }

    @Test
    void aPreemptionBoundThatCutsNothingIsNotReported() {
        Program p = TinyPrograms.steps(org.mmemu.core.emu.Access.WRITE, new String[][] {{"x", "x"}, {"x", "x"}});
        ExploreResult cut = Explorer.explore(p, EXH.withPor(false).withPreemptionBound(0));
        assertThat(cut.complete()).isTrue();
        assertThat(cut.preemptionBound()).isZero();
        // two steps each: at most three switches ever, so bound 5 cuts nothing and stops deepening early
        ExploreResult roomy = Explorer.explore(p, EXH.withPor(false).withPreemptionBound(5));
        ExploreResult unbounded = Explorer.explore(p, EXH.withPor(false).withPreemptionBound(-1));
        assertThat(roomy.complete()).isTrue();
        assertThat(roomy.preemptionBound()).isEqualTo(-1);
        assertThat(unbounded.preemptionBound()).isEqualTo(-1);
        assertThat(roomy.schedules()).isLessThan(6 * unbounded.schedules());
    }

    @Test
    void aTimeLimitMakesItIncompleteWithTheRealCounts() {
        Program p = TinyPrograms.lostUpdate(3, 40, true);
        ExploreResult r = Explorer.explore(p, EXH.withPreemptionBound(-1).withPor(false)
                .withTimeLimit(Duration.ofMillis(300)));
        assertThat(r.complete()).isFalse();
        assertThat(r.incompleteReason()).isEqualTo(ExploreResult.Bound.TIME_LIMIT);
        assertThat(r.verdict()).isNotEqualTo(ExploreResult.Verdict.NONE);
        assertThat(r.schedules()).isPositive();
        assertThat(r.steps()).isGreaterThan(r.schedules());
        assertThat(r.elapsedMillis()).isGreaterThanOrEqualTo(300);
    }

    @Test
    void aTimeLimitInADeepeningSearchKeepsTheCountsOfTheRoundsBefore() {
        Program p = TinyPrograms.lostUpdate(3, 40, true);
        ExploreResult r = Explorer.explore(p, EXH.withPreemptionBound(6).withPor(false)
                .withTimeLimit(Duration.ofMillis(300)), StopRule.expecting(List.of(FindingKind.DOUBLE_FREE)));
        assertThat(r.incompleteReason()).isEqualTo(ExploreResult.Bound.TIME_LIMIT);
        long r0 = Explorer.round(p, EXH.withPor(false).withPreemptionBound(0), StopRule.never()).schedules();
        assertThat(r.schedules()).isGreaterThan(r0);
    }

    @Test
    void theScheduleCapIsSharedByTheRoundsAndNamed() {
        Program p = TinyPrograms.lostUpdate(3, 1);
        ExploreResult r = Explorer.explore(p, EXH.withPor(false).withPreemptionBound(3).withMaxSchedules(10));
        assertThat(r.schedules()).isEqualTo(10);
        assertThat(r.incompleteReason()).isEqualTo(ExploreResult.Bound.MAX_SCHEDULES);
        // two threads never overrun the cap between them
        ExploreResult threaded = Explorer.explore(p, EXH.withPor(false).withPreemptionBound(-1).withThreads(2)
                .withMaxSchedules(10));
        assertThat(threaded.schedules()).isEqualTo(10);
        assertThat(threaded.incompleteReason()).isEqualTo(ExploreResult.Bound.MAX_SCHEDULES);
        ExploreResult sample = Explorer.explore(p, EXH.withPolicy("random").withMaxSchedules(7));
        assertThat(sample.complete()).isFalse();
        assertThat(sample.incompleteReason()).isEqualTo(ExploreResult.Bound.MAX_SCHEDULES);
    }

    @Test
    void theStepBoundIsNamed() {
        ExploreResult r = Explorer.explore(TinyPrograms.endless(), EXH.withMaxSteps(50).withPreemptionBound(0));
        assertThat(r.incompleteReason()).isEqualTo(ExploreResult.Bound.MAX_STEPS);
        assertThat(r.schedules()).isPositive();
    }

    @Test
    void shardsMergeCompleteOnlyWhenEveryShardIs() {
        Program p = TinyPrograms.lostUpdate(2, 3);
        ExploreOptions o = EXH.withPreemptionBound(-1);
        ExploreResult a = Explorer.explore(p, o.withShard(0, 2));
        ExploreResult b = Explorer.explore(p, o.withShard(1, 2).withMaxSchedules(1));
        ExploreResult merged = ExploreResult.merge(List.of(a, b));
        assertThat(merged.complete()).isFalse();
        assertThat(merged.incompleteReason()).isEqualTo(ExploreResult.Bound.MAX_SCHEDULES);
        assertThat(merged.schedules()).isEqualTo(a.schedules() + b.schedules());
        ExploreResult whole = ExploreResult.merge(List.of(a, Explorer.explore(p, o.withShard(1, 2))));
        assertThat(whole.complete()).isTrue();
        assertThat(whole.schedules()).isEqualTo(Explorer.explore(p, o).schedules());
        assertThat(whole.kinds()).isEqualTo(Set.of(FindingKind.ACCOUNTING));
    }
}
