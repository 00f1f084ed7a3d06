package org.mmemu.lru.race;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.Site;
import org.mmemu.core.engine.InterruptSpec;
import org.mmemu.core.engine.Program;
import org.mmemu.core.engine.RunResult;
import org.mmemu.lru.protocol.Mm1Protocol;
import org.mmemu.lru.race.Lockstep.Choice;
import org.mmemu.lru.race.Lockstep.Exploration;
import org.mmemu.lru.race.Lockstep.Run;
import org.mmemu.lru.race.LruRace.Release;

/**
 * Two CPUs, the protocols called directly, every schedule of the bounded lock-step space
 * explored (see {@link Lockstep}): which protocols free a page twice, under which interleaving,
 * and which come out clean.
 */
class LruRaceTest {
    private static final int MAX_TURNS = 2_000;
    /** An interrupt shorter than B's rows 9-11, and one that outlasts them (footnote condition 4). */
    private static final int SHORT_IRQ = 8;
    private static final int LONG_IRQ = 64;
    private static final Site CLI = Site.of("local_irq_disable", "cli");
    private static final Site PUSHF_CLI = Site.of("local_irq_save", "pushf; cli");

    private static Exploration explore(Program p) {
        Exploration e = new Lockstep(p, MAX_TURNS).explore();
        assertThat(e.complete()).as("bounded space fully covered (no run hit the step bound)").isTrue();
        return e;
    }

    /** The smallest schedule that found {@code kind}, replayed: same finding, same trace. */
    private static Run shrunkAndReplayed(Program p, Exploration e, FindingKind kind) {
        List<Run> found = e.found(kind);
        assertThat(found).as("a schedule with %s", kind).isNotEmpty();
        Run shrunk = found.get(0);
        Run replay = new Lockstep(p, MAX_TURNS).run(Choice.parse(shrunk.choice().toString()));
        assertThat(replay.has(kind)).isTrue();
        assertThat(replay.first(kind).pfn()).isEqualTo(shrunk.first(kind).pfn());
        assertThat(replay.trace()).isEqualTo(shrunk.trace());
        assertThat(replay.first(kind).schedule()).isEqualTo(shrunk.choice().toString());
        return shrunk;
    }

    private static long pfnOfP(Program p) {
        return LruRace.pageP(p.boot((cpu, site, target, access) -> { })).pfn();
    }

    private static void assertDoubleFreeOfPCausedByTheGetFromZero(Program p, Run r) {
        Finding df = r.first(FindingKind.DOUBLE_FREE);
        assertThat(df.pfn()).isEqualTo(pfnOfP(p));
        assertThat(df.related()).anySatisfy(rel -> assertThat(rel.label()).isEqualTo("first free"));
        assertThat(df.rootCause()).as("root cause: reclaim's get from zero").isNotNull();
        assertThat(df.rootCause().cpu()).isEqualTo(1);
    }

    // ---- pre-fix: no interrupt needed --------------------------------------------------

    @Test
    void preFixDoubleFreesWithoutAnyInterrupt() {
        Program p = LruRace.section3("pre-fix", Release.PAGEVEC_P, List.of());
        Exploration e = explore(p);
        Run shrunk = shrunkAndReplayed(p, e, FindingKind.DOUBLE_FREE);
        System.out.println("pre-fix double free: " + shrunk.choice() + "\n" + shrunk.first(FindingKind.DOUBLE_FREE).report());
        assertThat(shrunk.choice().hasIrq()).isFalse();
        assertDoubleFreeOfPCausedByTheGetFromZero(p, shrunk);
        // the other side: run one after the other, the same code frees P exactly once
        Run sequential = new Lockstep(p, MAX_TURNS).run(Choice.of(1, 500));
        assertThat(sequential.outcome()).isEqualTo(RunResult.Outcome.COMPLETED);
        assertThat(sequential.findings()).isEmpty();
    }

    // ---- mm1: only the footnote's interleaving ----------------------------------------------

    @Test
    void mm1IsCleanWithoutAnInterrupt() {
        Exploration e = explore(LruRace.section3("mm1", Release.PAGEVEC_P, List.of()));
        assertThat(e.withFindings()).as("findings without an interrupt").isEmpty();
        assertThat(e.runs()).isGreaterThan(50);
    }

    @Test
    void mm1DoubleFreesWithALongInterruptBeforeTheLockOnTheFirstPage() {
        Program p = LruRace.section3("mm1", Release.PAGEVEC_P,
                List.of(InterruptSpec.busy(0, SHORT_IRQ, 1), InterruptSpec.busy(0, LONG_IRQ, 1)));
        Exploration e = explore(p);
        Run shrunk = shrunkAndReplayed(p, e, FindingKind.DOUBLE_FREE);
        System.out.println("mm1 double free: " + shrunk.choice() + "\n" + shrunk.first(FindingKind.DOUBLE_FREE).report());
        assertDoubleFreeOfPCausedByTheGetFromZero(p, shrunk);
        // every double free needs the long interrupt, arriving in row 8's window, before the cli
        for (Run r : e.found(FindingKind.DOUBLE_FREE)) {
            assertThat(r.choice().irqSteps()).isEqualTo(LONG_IRQ);
            assertThat(r.irqSite()).isIn(Mm1Protocol.PV_TEST_RESULT, Mm1Protocol.PV_ZONE_CMP,
                    Mm1Protocol.PV_CALL_LOCK, CLI);
        }
        // and A's decrement landed in window 1: after B's page_count() load, before its get
        List<String> t = shrunk.trace();
        int load = t.indexOf("cpu1 " + Mm1Protocol.ISOLATE_COUNT);
        int dec = t.indexOf("cpu0 " + Mm1Protocol.PV_TESTZERO);
        int get = t.indexOf("cpu1 " + Mm1Protocol.ISOLATE_GET);
        assertThat(load).isLessThan(dec);
        assertThat(dec).isLessThan(get);
    }

    @Test
    void mm1PageCacheReleaseDoubleFreesTheSameWay() {
        Program p = LruRace.section3("mm1", Release.PAGE_CACHE_RELEASE, List.of(InterruptSpec.busy(0, LONG_IRQ, 1)));
        Run shrunk = shrunkAndReplayed(p, explore(p), FindingKind.DOUBLE_FREE);
        assertThat(shrunk.irqSite()).isIn(Mm1Protocol.PCR_TEST_RESULT, Mm1Protocol.PCR_CALL,
                Mm1Protocol.PCR_PAGE_ZONE, PUSHF_CLI);
    }

    @Test
    void mm1IsCleanWhenTheInterruptIsShorterThanShrinkList() {
        Exploration e = explore(LruRace.section3("mm1", Release.PAGEVEC_P, List.of(InterruptSpec.busy(0, SHORT_IRQ, 1))));
        assertThat(e.found(FindingKind.DOUBLE_FREE)).isEmpty();
        assertThat(e.withFindings()).isEmpty();
    }

    @Test
    void mm1IsCleanWhenThePageIsNotTheFirstInThePagevec() {
        Exploration e = explore(LruRace.section3("mm1", Release.PAGEVEC_Q_P,
                List.of(InterruptSpec.busy(0, SHORT_IRQ, 1), InterruptSpec.busy(0, LONG_IRQ, 1))));
        assertThat(e.withFindings()).isEmpty();
    }

    // ---- count-one: leaks, never double-frees -----------------------------------------------

    @Test
    void countOneLeavesAZeroRefPageOnTheLruAfterTwoConcurrentReleases() {
        Program p = LruRace.twoReleases("count-one");
        Exploration e = explore(p);
        Run shrunk = shrunkAndReplayed(p, e, FindingKind.LEAK);
        System.out.println("count-one leak: " + shrunk.choice() + "\n" + shrunk.first(FindingKind.LEAK).report());
        assertThat(shrunk.first(FindingKind.LEAK).pfn()).isEqualTo(pfnOfP(p));
        assertThat(e.found(FindingKind.DOUBLE_FREE)).isEmpty();
        // the other side: one after the other, the second release frees the page
        Run sequential = new Lockstep(p, MAX_TURNS).run(Choice.of(1, 500));
        assertThat(sequential.findings()).isEmpty();
    }

    // ---- the correct ones -----------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"always-lock", "dec-and-lock", "testone", "unless-zero"})
    void correctProtocolsAreCleanOverTheWholeBoundedSpace(String protocol) {
        for (Release release : new Release[] {Release.PAGEVEC_P, Release.PAGE_CACHE_RELEASE}) {
            Exploration e = explore(LruRace.section3(protocol, release,
                    List.of(InterruptSpec.busy(0, SHORT_IRQ, 1), InterruptSpec.busy(0, LONG_IRQ, 1))));
            assertThat(e.withFindings()).as("%s, %s", protocol, release).isEmpty();
            assertThat(e.runs()).isGreaterThan(100);
            System.out.println(protocol + " " + release + ": " + e.runs() + " schedules, complete " + e.complete());
        }
        Exploration two = explore(LruRace.twoReleases(protocol));
        assertThat(two.withFindings()).isEmpty();
    }
}
