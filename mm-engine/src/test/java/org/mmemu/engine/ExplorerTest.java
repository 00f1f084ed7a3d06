package org.mmemu.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.engine.control.Explorer;

/** The exhaustive search, its bounds, its reduction, its shards, and replay. */
class ExplorerTest {
    private static final ExploreOptions EXH = ExploreOptions.defaults();

    @Test
    void lostUpdateIsFoundWithOnePreemptionAndNotWithout() {
        Program p = TinyPrograms.lostUpdate(2, 2);

        ExploreResult none = Explorer.explore(p, EXH.withPreemptionBound(0));
        assertThat(none.verdict()).isEqualTo(ExploreResult.Verdict.NONE);
        assertThat(none.complete()).isTrue();
        assertThat(none.schedules()).isEqualTo(2);

        ExploreResult one = Explorer.explore(p, EXH.withPreemptionBound(1));
        assertThat(one.verdict()).isEqualTo(ExploreResult.Verdict.FOUND);
        assertThat(one.complete()).isTrue();
        assertThat(one.findings()).extracting(Finding::kind).containsExactly(FindingKind.ACCOUNTING);
        // shrunk to one preemption: cpu0 loads the counter (after its two local steps), cpu1 runs, cpu0 stores
        assertThat(one.findings().get(0).schedule()).isEqualTo("any:d3,1");
        RunResult again = Explorer.replay(p, one.findings().get(0).schedule());
        assertThat(again.findings()).extracting(Finding::kind).containsExactly(FindingKind.ACCOUNTING);
        assertThat(again.trace().hash()).isEqualTo(one.firstTrace().hash());
    }

    @Test
    void aBoundedSearchDeepensItsBoundAndStopsAtTheFirstRoundThatFinds() {
        Program p = TinyPrograms.lostUpdate(2, 2);
        ExploreResult atOne = Explorer.explore(p, EXH.withPreemptionBound(1).withStopAtFirst(true));
        // asked for bound 3: rounds 0 (nothing) and 1 (the lost update) run, bounds 2-3 never do
        ExploreResult deepened = Explorer.explore(p, EXH.withPreemptionBound(3).withStopAtFirst(true));
        assertThat(deepened.verdict()).isEqualTo(ExploreResult.Verdict.FOUND);
        assertThat(deepened.schedules()).isEqualTo(atOne.schedules());
        assertThat(deepened.findings().get(0).schedule()).isEqualTo(atOne.findings().get(0).schedule());
        // without stopping at the first, the full bound is the result and finds the same bug
        ExploreResult full = Explorer.explore(p, EXH.withPreemptionBound(3));
        assertThat(full.verdict()).isEqualTo(ExploreResult.Verdict.FOUND);
        assertThat(full.complete()).isTrue();
        assertThat(full.schedules()).isGreaterThan(atOne.schedules());
    }

    /*
     * Hand count. CPU A takes steps a1 a2, CPU B takes b1 b2.
     * Without reduction and without a bound: every interleaving, C(4,2) = 6.
     * With sleep sets, independent targets: the first choice (A or B) is free and never put to
     * sleep. Under A: a1, then {a2 -> a1 a2 b1 b2}; {b1 with a2 asleep -> b2 -> only a2 left,
     * asleep: pruned}. Under B symmetrically: 1 schedule, 1 pruned. Total 2 schedules, 2 pruned.
     * All four steps writing one target: b1 wakes a2, nothing is pruned: 6.
     * Reads of one target commute: as independent targets, 2 and 2.
     * Preemption bound 0 without reduction: who starts, then run to completion: 2.
     * A: a1 a2, B: b1, independent, with reduction: under A, {a1 a2 b1} and {a1 b1, a2 asleep:
     * pruned}; under B, {b1 a1 a2}: 2 schedules, 1 pruned; without: C(3,1) = 3.
     */
    @Test
    void scheduleCountsMatchTheHandCount() {
        String[][] independent = {{"a", "b"}, {"c", "d"}};
        String[][] shared = {{"x", "x"}, {"x", "x"}};
        String[][] uneven = {{"a", "b"}, {"c"}};
        ExploreOptions unbounded = EXH.withPreemptionBound(-1).withShrink(false);

        assertCount(TinyPrograms.steps(Access.WRITE, independent), unbounded.withPor(false), 6, 0);
        assertCount(TinyPrograms.steps(Access.WRITE, independent), unbounded, 2, 2);
        assertCount(TinyPrograms.steps(Access.WRITE, shared), unbounded.withPor(false), 6, 0);
        assertCount(TinyPrograms.steps(Access.WRITE, shared), unbounded, 6, 0);
        assertCount(TinyPrograms.steps(Access.READ, shared), unbounded, 2, 2);
        assertCount(TinyPrograms.steps(Access.WRITE, independent), unbounded.withPor(false).withPreemptionBound(0), 2, 0);
        assertCount(TinyPrograms.steps(Access.WRITE, uneven), unbounded.withPor(false), 3, 0);
        assertCount(TinyPrograms.steps(Access.WRITE, uneven), unbounded, 2, 1);
    }

    private static void assertCount(Program p, ExploreOptions o, long schedules, long pruned) {
        ExploreResult r = Explorer.explore(p, o);
        assertThat(r.complete()).isTrue();
        assertThat(r.schedules()).as("schedules").isEqualTo(schedules);
        assertThat(r.pruned()).as("pruned").isEqualTo(pruned);
    }

    @Test
    void reductionFindsWhatTheFullSearchFinds() {
        Program p = TinyPrograms.lostUpdate(3, 1);
        ExploreOptions o = EXH.withPreemptionBound(2).withShrink(false);
        ExploreResult full = Explorer.explore(p, o.withPor(false));
        ExploreResult reduced = Explorer.explore(p, o);
        assertThat(reduced.schedules()).isLessThan(full.schedules());
        assertThat(reduced.countsByKind().keySet()).isEqualTo(full.countsByKind().keySet());
        assertThat(reduced.findings()).extracting(ExploreResult::classOf)
                .containsExactlyElementsOf(full.findings().stream().map(ExploreResult::classOf).toList());
    }

    @Test
    void aFindingsScheduleIsShrunkAndStillReproducesIt() {
        Program p = TinyPrograms.lostUpdate(2, 2);
        // a roundabout way to lose the update: five switches where one will do
        String roundabout = "any:d1,1,0,1,0,1x2,0";
        assertThat(Explorer.replay(p, roundabout).findings()).extracting(Finding::kind)
                .containsExactly(FindingKind.ACCOUNTING);
        ExploreResult r = Explorer.explore(p, EXH.withPolicy("replay").withSchedule(roundabout));
        String shrunk = r.findings().get(0).schedule();
        assertThat(Schedule.parse(shrunk).departures()).isLessThan(Schedule.parse(roundabout).departures());
        assertThat(shrunk).isEqualTo("any:d3,1");
        assertThat(Explorer.replay(p, shrunk).findings()).extracting(Finding::kind)
                .containsExactly(FindingKind.ACCOUNTING);
        ExploreResult unshrunk = Explorer.explore(p, EXH.withPolicy("replay").withSchedule(roundabout).withShrink(false));
        assertThat(unshrunk.findings().get(0).schedule()).isEqualTo(Explorer.replay(p, roundabout).schedule());
    }

    @Test
    void replayReproducesTheTraceHashEveryTime() {
        Program p = TinyPrograms.lostUpdate(2, 2);
        ExploreResult r = Explorer.explore(p, EXH.withPreemptionBound(1));
        String schedule = r.findings().get(0).schedule();
        String hash = r.firstTrace().hash();
        int same = 0;
        for (int i = 0; i < 100; i++) {
            RunResult again = Explorer.replay(p, schedule);
            if (again.trace().hash().equals(hash) && again.schedule().equals(schedule)) {
                same++;
            }
        }
        assertThat(same).isEqualTo(100);
    }

    @Test
    void traceHashIsPinned() {
        // a golden hash: a change to the rows' text, or to the schedule's meaning, shows here
        RunResult r = Explorer.replay(TinyPrograms.lostUpdateOnPage(), "any:d2,1");
        System.out.println(r.trace().format());
        assertThat(r.trace().size()).isEqualTo(6);
        // the watched pages after each row: cpu1's store is lost under cpu0's
        assertThat(r.trace().rows()).extracting(x -> x.pages().get(0).count()).containsExactly(0, 0, 0, 0, 1, 1);
        assertThat(r.trace().rows().get(5).toString())
                .isEqualTo("5 cpu0      step  counter_inc: counter = v + 1 [WRITE page 0] | p0=1 p1=0");
        assertThat(r.trace().hash()).isEqualTo(PINNED_HASH);
        RunResult other = Explorer.replay(TinyPrograms.lostUpdateOnPage(), "any:d1,1");
        assertThat(other.trace().hash()).isNotEqualTo(PINNED_HASH);
    }

    private static final String PINNED_HASH = "ee6d249b30d96016"; // FarmHash fingerprint since the library change (was FNV-1a 427b5752d17ef8c4)

    @Test
    void deadlockIsReportedWithTheHolders() {
        ExploreResult r = Explorer.explore(TinyPrograms.abba(), EXH.withPreemptionBound(1));
        assertThat(r.verdict()).isEqualTo(ExploreResult.Verdict.FOUND);
        assertThat(r.complete()).isTrue();
        assertThat(r.countsByKind()).containsKey(FindingKind.DEADLOCK);
        Finding f = r.findings().get(0);
        assertThat(f.kind()).isEqualTo(FindingKind.DEADLOCK);
        assertThat(f.message()).contains("cpu0 waits for lock_b held by cpu1", "cpu1 waits for lock_a held by cpu0");
        RunResult replay = Explorer.replay(TinyPrograms.abba(), f.schedule());
        assertThat(replay.outcome()).isEqualTo(RunResult.Outcome.DEADLOCK);

        ExploreResult without = Explorer.explore(TinyPrograms.abba(), EXH.withPreemptionBound(0));
        assertThat(without.verdict()).isEqualTo(ExploreResult.Verdict.NONE);
    }

    @Test
    void boundsThatAreHitMakeTheResultIncomplete() {
        ExploreResult steps = Explorer.explore(TinyPrograms.endless(), EXH.withMaxSteps(50).withPreemptionBound(0));
        assertThat(steps.verdict()).isEqualTo(ExploreResult.Verdict.INCOMPLETE);
        assertThat(steps.incompleteRuns()).isEqualTo(steps.schedules()).isPositive();
        assertThat(steps.complete()).isFalse();
        RunResult one = Explorer.replay(TinyPrograms.endless(), "any:", EXH.withMaxSteps(50));
        assertThat(one.outcome()).isEqualTo(RunResult.Outcome.STEP_LIMIT);
        assertThat(one.incomplete()).isTrue();

        ExploreResult schedules = Explorer.explore(TinyPrograms.lostUpdate(3, 1),
                EXH.withPreemptionBound(-1).withPor(false).withMaxSchedules(5).withShrink(false));
        assertThat(schedules.schedules()).isEqualTo(5);
        assertThat(schedules.complete()).isFalse();

        ExploreResult time = Explorer.explore(TinyPrograms.endless(),
                EXH.withMaxSteps(Long.MAX_VALUE).withTimeLimit(Duration.ofMillis(50)));
        assertThat(time.verdict()).isEqualTo(ExploreResult.Verdict.INCOMPLETE);
    }

    @Test
    void shardsAndThreadsMergeToTheUnshardedResult() {
        Program p = TinyPrograms.lostUpdate(2, 3);
        // unbounded, so that the whole search does not deepen (a sharded one never does)
        ExploreOptions o = EXH.withPreemptionBound(-1);
        ExploreResult whole = Explorer.explore(p, o);
        ExploreResult merged = ExploreResult.merge(List.of(
                Explorer.explore(p, o.withShard(0, 3)),
                Explorer.explore(p, o.withShard(1, 3)),
                Explorer.explore(p, o.withShard(2, 3))));
        ExploreResult threaded = Explorer.explore(p, o.withThreads(2));
        for (ExploreResult r : List.of(merged, threaded)) {
            assertThat(r.schedules()).isEqualTo(whole.schedules());
            assertThat(r.pruned()).isEqualTo(whole.pruned());
            assertThat(r.complete()).isEqualTo(whole.complete()).isTrue();
            assertThat(r.countsByKind()).isEqualTo(whole.countsByKind());
            assertThat(r.findings()).extracting(Finding::schedule)
                    .containsExactlyElementsOf(whole.findings().stream().map(Finding::schedule).toList());
            assertThat(r.firstTrace().hash()).isEqualTo(whole.firstTrace().hash());
        }
    }

    @Test
    void setUpAndQuiescentChecksMayStepButLeaveNoRows() {
        org.mmemu.core.emu.Site setup = org.mmemu.core.emu.Site.of("setup", "step at boot");
        org.mmemu.core.emu.Site check = org.mmemu.core.emu.Site.of("check", "step at quiescence");
        Program inner = TinyPrograms.lostUpdate(2, 0);
        Program p = new Program() {
            @Override
            public org.mmemu.core.Machine boot(org.mmemu.core.emu.StepGate gate) {
                org.mmemu.core.Machine m = inner.boot(gate);
                m.cpu(0).local(setup);
                return m;
            }

            @Override
            public void run(org.mmemu.core.Machine m, org.mmemu.core.emu.Cpu cpu) {
                inner.run(m, cpu);
            }

            @Override
            public void atQuiescence(org.mmemu.core.Machine m) {
                m.cpu(1).step(check, TinyPrograms.counter(m), Access.READ);
                inner.atQuiescence(m);
            }
        };
        RunResult r = Explorer.replay(p, "any:");
        assertThat(r.outcome()).isEqualTo(RunResult.Outcome.COMPLETED);
        assertThat(r.trace().rows()).hasSize(4).noneMatch(x -> x.site().equals(setup) || x.site().equals(check));
    }

    @Test
    void noCpuThreadOutlivesAnExploration() {
        Explorer.explore(TinyPrograms.abba(), EXH.withThreads(2));
        Explorer.explore(TinyPrograms.endless(), EXH.withMaxSteps(20).withPreemptionBound(0));
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("mmemu-"));
    }
}
