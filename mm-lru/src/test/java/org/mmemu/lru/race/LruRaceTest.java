package org.mmemu.lru.race;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.Site;
import org.mmemu.engine.DelayModel;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.ExploreResult;
import org.mmemu.engine.control.Explorer;
import org.mmemu.engine.InterruptSpec;
import org.mmemu.engine.Program;
import org.mmemu.engine.RunResult;
import org.mmemu.engine.TraceRow;
import org.mmemu.lru.protocol.Mm1Protocol;
import org.mmemu.lru.race.LruRace.Release;

/**
 * Two CPUs calling the protocols directly (no reclaim module), under the controlled engine's
 * {@code irq} delay model (docs/ARCHITECTURE.md §3): lock-step CPUs whose start offsets are explored, no
 * slips, and at most one interrupt on the releasing CPU A, at every point where its irqs are on.
 * Which protocols free a page twice, under which interleaving, and which come out clean over
 * the whole bounded space.
 */
class LruRaceTest {
    /** An interrupt that outlasts B's shrink_list() and put-back (footnote condition 4). */
    private static final int LONG_IRQ = 64;
    /** Shorter than B's shrink_list(): explored at every duration from 1 to this. */
    private static final int SHORT_IRQ = 8;
    private static final Site HANDLER = Site.of("do_IRQ", "handler");
    private static final Site CLI = Site.of("local_irq_disable", "cli");
    private static final Site PUSHF_CLI = Site.of("local_irq_save", "pushf; cli");

    private static final ExploreOptions IRQ = ExploreOptions.defaults().withDelays(DelayModel.IRQ)
            .withPreemptionBound(0).withSkew(0).withMaxSchedules(1_000_000).withTimeLimit(Duration.ofSeconds(120))
            .withThreads(2);

    /** An interrupt on A whose handler runs {@link #LONG_IRQ} local steps (one duration, every arrival point). */
    private static InterruptSpec longIrq() {
        return fixedIrq(LONG_IRQ);
    }

    /** An interrupt on A whose handler runs {@code steps} local steps: one duration, explored at every arrival point. */
    private static InterruptSpec fixedIrq(int steps) {
        return new InterruptSpec(0, steps, 1, (m, cpu) -> {
            for (int k = 0; k < steps; k++) {
                cpu.local(HANDLER);
            }
        });
    }

    private static ExploreResult explore(Program p) {
        ExploreResult r = Explorer.search(p, IRQ);
        System.out.println(r);
        assertThat(r.complete()).as("bounded space fully covered").isTrue();
        return r;
    }

    private static Finding only(ExploreResult r, FindingKind kind) {
        return r.findings().stream().filter(f -> f.kind() == kind).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " in " + r));
    }

    /** Replays the finding's shrunk schedule twice: the same finding on the same page, the same trace. */
    private static RunResult replayed(Program p, Finding f) {
        RunResult a = Explorer.replay(p, f.schedule());
        RunResult b = Explorer.replay(p, f.schedule());
        assertThat(a.findings()).anySatisfy(g -> {
            assertThat(g.kind()).isEqualTo(f.kind());
            assertThat(g.pfn()).isEqualTo(f.pfn());
        });
        assertThat(a.trace().hash()).isEqualTo(b.trace().hash());
        System.out.println(f.report() + a.trace().format());
        return a;
    }

    private static long pfnOfP(Program p) {
        return LruRace.pageP(p.boot((cpu, site, target, field, access) -> { })).pfn();
    }

    private static int rowOf(List<TraceRow> rows, int cpu, Site site) {
        for (TraceRow r : rows) {
            if (r.cpu() == cpu && r.kind() == TraceRow.Kind.STEP && r.site().equals(site)) {
                return r.index();
            }
        }
        throw new AssertionError("no step of cpu" + cpu + " at " + site);
    }

    private static void assertDoubleFreeOfPRootedInReclaimsGet(Program p, Finding df) {
        assertThat(df.pfn()).isEqualTo(pfnOfP(p));
        assertThat(df.related()).anySatisfy(rel -> assertThat(rel.label()).isEqualTo("first free"));
        assertThat(df.rootCause()).as("root cause: a get from zero").isNotNull();
        assertThat(df.rootCause().cpu()).isEqualTo(1);
    }

    /** The step A was about to take when the interrupt arrived. */
    private static Site interruptedBefore(List<TraceRow> rows) {
        boolean after = false;
        for (TraceRow r : rows) {
            if (r.cpu() == 0 && r.kind() == TraceRow.Kind.IRQ_EXIT) {
                after = true;
            } else if (after && r.cpu() == 0 && r.kind() == TraceRow.Kind.STEP) {
                return r.site();
            }
        }
        throw new AssertionError("no interrupt in the trace");
    }

    // ---- no-tests (constructed): no interrupt needed ----------------------------------------

    @Test
    void noTestsDoubleFreesWithoutAnyInterrupt() {
        Program p = LruRace.section3("no-tests", Release.PAGEVEC_P, List.of());
        Finding df = only(explore(p), FindingKind.DOUBLE_FREE);
        assertDoubleFreeOfPRootedInReclaimsGet(p, df);
        RunResult r = replayed(p, df);
        assertThat(r.trace().rows()).noneMatch(row -> row.kind() == TraceRow.Kind.IRQ_ENTER);
        // the other side: one CPU after the other, the same code frees P exactly once
        RunResult sequential = Explorer.replay(p, "irq:0x200");
        assertThat(sequential.outcome()).isEqualTo(RunResult.Outcome.COMPLETED);
        assertThat(sequential.findings()).isEmpty();
    }

    // ---- mm1: only the footnote's interleaving ---------------------------------------------

    @Test
    void mm1IsCleanWithoutAnInterrupt() {
        ExploreResult r = explore(LruRace.section3("mm1", Release.PAGEVEC_P, List.of()));
        assertThat(r.verdict()).isEqualTo(ExploreResult.Verdict.NONE);
        assertThat(r.schedules()).isGreaterThan(50);
        // clean for the right reason: A's decrement did land in B's window in some executions
        // (B's get took P from 0 to 1, the "rescue"), and the recheck under the lock saved them
        assertThat(r.warningCounts()).as("executions with a get from zero, none of them a double free")
                .containsKey(FindingKind.REFCOUNT_FROM_ZERO);
        assertThat(r.warningCounts().get(FindingKind.REFCOUNT_FROM_ZERO)).isPositive();
        assertThat(r.countsByKind()).doesNotContainKey(FindingKind.DOUBLE_FREE);
    }

    @Test
    void mm1DoubleFreesWithALongInterruptBeforeTheLockWhenThePageIsFirstInThePagevec() {
        Program p = LruRace.section3("mm1", Release.PAGEVEC_P, List.of(longIrq()));
        Finding df = only(explore(p), FindingKind.DOUBLE_FREE);
        assertDoubleFreeOfPRootedInReclaimsGet(p, df);
        List<TraceRow> rows = replayed(p, df).trace().rows();
        // row 8: the interrupt arrived in the 3-4 step window, before the cli
        assertThat(interruptedBefore(rows)).isIn(Mm1Protocol.PV_TEST_RESULT, Mm1Protocol.PV_PAGE_ZONE,
                Mm1Protocol.PV_ZONE_CMP, CLI);
        // rows 4-7: A's decrement landed after B's page_count() load and before its get
        int load = rowOf(rows, 1, Mm1Protocol.ISOLATE_COUNT);
        int dec = rowOf(rows, 0, Mm1Protocol.PV_TESTZERO);
        int get = rowOf(rows, 1, Mm1Protocol.ISOLATE_GET);
        assertThat(load).isLessThan(dec);
        assertThat(dec).isLessThan(get);
        // free #1 is B's (row 11), free #2 A's (row 15)
        assertThat(df.cpu()).isEqualTo(0);
        assertThat(df.related()).anySatisfy(rel -> assertThat(rel.cpu()).isEqualTo(1));
    }

    @Test
    void mm1PageCacheReleaseDoublefreesTheSameWay() {
        Program p = LruRace.section3("mm1", Release.PAGE_CACHE_RELEASE, List.of(longIrq()));
        Finding df = only(explore(p), FindingKind.DOUBLE_FREE);
        assertThat(interruptedBefore(replayed(p, df).trace().rows())).isIn(Mm1Protocol.PCR_TEST_RESULT,
                Mm1Protocol.PCR_CALL, Mm1Protocol.PCR_PAGE_ZONE, Mm1Protocol.PCR_BUG_ON, PUSHF_CLI);
    }

    @Test
    void mm1IsCleanWhenEveryInterruptIsShorterThanShrinkList() {
        ExploreResult r = explore(LruRace.section3("mm1", Release.PAGEVEC_P,
                List.of(InterruptSpec.busy(0, SHORT_IRQ, 1))));
        assertThat(r.verdict()).isEqualTo(ExploreResult.Verdict.NONE);
    }

    /**
     * Footnote condition 4 as a number: the shortest interrupt (a busy handler of d steps, every
     * arrival point, every offset) that lets mm1 free twice, by bisection over d (a longer
     * interrupt only keeps A away longer). It must outlast B's shrink_list(), and exactly: A
     * must come back and reach the LRU lock only after B has taken it for the put-back (row
     * 11); earlier, A's recheck sees B's reference and backs off. Measured on the minimal
     * double free's own trace, that is B's steps from the interrupt's arrival to its put-back
     * lock less A's steps from the interrupt's exit to its lock attempt (±1 for the row the
     * interrupt's entry takes). Not "to B's free #1": in that trace A frees first, having got
     * the lock after B's put-back but before B's own release took it.
     */
    @Test
    void mm1NeedsAnInterruptLongerThanShrinkList() {
        int lo = 0;              // known clean
        int hi = LONG_IRQ;       // known to double-free (see above)
        while (hi - lo > 1) {
            int mid = (lo + hi) / 2;
            ExploreResult r = explore(LruRace.section3("mm1", Release.PAGEVEC_P, List.of(fixedIrq(mid))));
            if (r.countsByKind().containsKey(FindingKind.DOUBLE_FREE)) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        int shrinkList = LruRace.shrinkListSteps();
        // what the interrupt must cover, measured on the double free's own trace: B's steps
        // from the row where the interrupt arrived on A to B's free #1 (inclusive)
        Program p = LruRace.section3("mm1", Release.PAGEVEC_P, List.of(fixedIrq(hi)));
        Finding df = only(explore(p), FindingKind.DOUBLE_FREE);
        List<TraceRow> rows = Explorer.replay(p, df.schedule()).trace().rows();
        int bSteps = bStepsFromIrqToPutbackLock(rows);
        int aSteps = aStepsFromIrqExitToLockAttempt(rows);
        System.out.println("mm1: shortest interrupt that frees twice: " + hi + " steps; shrink_list(): "
                + shrinkList + " steps; on its trace, B's steps from the interrupt's arrival to its put-back lock: "
                + bSteps + ", A's steps from the interrupt's exit to its lock attempt: " + aSteps);
        assertThat(hi).isGreaterThan(shrinkList);
        // the exact bound: A's lock attempt must come after B took the lock for the put-back
        // (row 11); earlier, A would recheck while B still holds its reference (condition 4)
        assertThat(hi).as("the minimal interrupt is what B needs to reach its put-back lock")
                .isBetween(bSteps - aSteps - 1, bSteps - aSteps + 1);
    }

    private static boolean lruLockAttempt(TraceRow r) {
        return r.access() == org.mmemu.core.emu.Access.LOCK && r.target().contains("lru_lock");
    }

    /** B's steps from A's IRQ_ENTER row to B's next acquisition of the LRU lock (the put-back's), inclusive. */
    private static int bStepsFromIrqToPutbackLock(List<TraceRow> rows) {
        int n = 0;
        boolean counting = false;
        for (TraceRow r : rows) {
            if (!counting) {
                counting = r.cpu() == 0 && r.kind() == TraceRow.Kind.IRQ_ENTER;
                continue;
            }
            if (r.cpu() == 1 && r.kind() == TraceRow.Kind.STEP) {
                n++;
                if (lruLockAttempt(r)) {
                    return n;
                }
            }
        }
        throw new AssertionError("no interrupt followed by B's put-back lock in the trace");
    }

    /** A's steps from its IRQ_EXIT row to its first attempt at the LRU lock, exclusive. */
    private static int aStepsFromIrqExitToLockAttempt(List<TraceRow> rows) {
        int n = 0;
        boolean counting = false;
        for (TraceRow r : rows) {
            if (!counting) {
                counting = r.cpu() == 0 && r.kind() == TraceRow.Kind.IRQ_EXIT;
                continue;
            }
            if (r.cpu() == 0 && (r.kind() == TraceRow.Kind.STEP || r.kind() == TraceRow.Kind.SPIN)) {
                if (lruLockAttempt(r)) {
                    return n;
                }
                n++;
            }
        }
        throw new AssertionError("no lock attempt of A after the interrupt");
    }

    @Test
    void mm1IsCleanWhenThePageIsNotTheFirstInThePagevec() {
        ExploreResult r = explore(LruRace.section3("mm1", Release.PAGEVEC_Q_P, List.of(longIrq())));
        assertThat(r.verdict()).isEqualTo(ExploreResult.Verdict.NONE);
    }

    /**
     * The other side of condition 5: Q comes first but keeps a reference (count 2), so its put
     * does not reach zero, the lock is not yet taken, and P is still the first page to hit zero.
     */
    @Test
    void mm1DoubleFreesWhenAnEarlierPageInThePagevecDoesNotReachZero() {
        Program p = LruRace.section3("mm1", Release.PAGEVEC_Q2_P, List.of(longIrq()));
        Finding df = only(explore(p), FindingKind.DOUBLE_FREE);
        assertDoubleFreeOfPRootedInReclaimsGet(p, df);
    }

    // ---- count-one: leaks, never double-frees ----------------------------------------------

    @Test
    void countOneLeavesAZeroRefPageOnTheLruAfterTwoConcurrentReleases() {
        Program p = LruRace.twoReleases("count-one");
        ExploreResult r = explore(p);
        Finding leak = only(r, FindingKind.LEAK);
        assertThat(leak.pfn()).isEqualTo(pfnOfP(p));
        assertThat(r.countsByKind()).doesNotContainKey(FindingKind.DOUBLE_FREE);
        RunResult replay = replayed(p, leak);
        assertThat(replay.outcome()).isEqualTo(RunResult.Outcome.COMPLETED);
        assertThat(replay.machine().detectors().isFree(leak.pfn())).isFalse();
        assertThat(replay.machine().page(leak.pfn()).count()).isZero();
        // the other side: one after the other, the second release frees the page
        RunResult sequential = Explorer.replay(p, "irq:0x200");
        assertThat(sequential.findings()).isEmpty();
        assertThat(sequential.machine().detectors().isFree(leak.pfn())).isTrue();
    }

    // ---- the correct ones ---------------------------------------------------------------------

    /**
     * Clean for the right reason: in some executions A's put reached zero while P was still on
     * the LRU, and B's isolation saw that and refused the page (the path that replaces mm1's
     * window), without any get from zero.
     */
    @ParameterizedTest
    @ValueSource(strings = {"testone", "unless-zero"})
    void testoneAndUnlessZeroRefuseAZeroCountPage(String protocol) {
        LongAdder refusals = new LongAdder();
        ExploreResult r = explore(LruRace.section3(protocol, Release.PAGEVEC_P, List.of(longIrq()), refusals));
        assertThat(r.verdict()).isEqualTo(ExploreResult.Verdict.NONE);
        System.out.println(protocol + ": executions in which B refused P: " + refusals.sum());
        assertThat(refusals.sum()).as("B's isolation refused a zero-count page").isPositive();
        assertThat(r.warningCounts()).doesNotContainKey(FindingKind.REFCOUNT_FROM_ZERO);
    }

    @ParameterizedTest
    @ValueSource(strings = {"always-lock", "dec-and-lock", "testone", "unless-zero"})
    void correctProtocolsAreCleanOverTheWholeBoundedSpace(String protocol) {
        for (Release release : new Release[] {Release.PAGEVEC_P, Release.PAGE_CACHE_RELEASE}) {
            ExploreResult r = explore(LruRace.section3(protocol, release, List.of(longIrq())));
            assertThat(r.verdict()).as("%s, %s", protocol, release).isEqualTo(ExploreResult.Verdict.NONE);
            assertThat(r.schedules()).isGreaterThan(100);
        }
        assertThat(explore(LruRace.twoReleases(protocol)).verdict()).isEqualTo(ExploreResult.Verdict.NONE);
    }
}
