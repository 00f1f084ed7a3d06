package org.mmemu.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.engine.control.Explorer;
import org.mmemu.engine.search.Policies;

/** PCT, random walk, the policy registry and schedule strings. */
class SamplingTest {
    private static final long SEED = 20020818L;

    @Test
    void pctFindsADepthTwoBugAtLeastAsOftenAsItsGuarantee() {
        Program p = TinyPrograms.lostUpdate(2, 5);
        int n = 2;
        long k = Explorer.replay(p, "any:").steps();
        assertThat(k).isEqualTo(24);
        int runs = 1000;
        System.out.println("pct seed " + SEED + ", " + runs + " runs, n=" + n + ", k=" + k);
        ExploreResult r = Explorer.explore(p, ExploreOptions.defaults().withPolicy("pct").withPctDepth(2)
                .withSeed(SEED).withMaxSchedules(runs).withShrink(false));
        long hits = r.countsByKind().getOrDefault(FindingKind.ACCOUNTING, 0L);
        double guarantee = 1.0 / (n * Math.pow(k, 2 - 1));
        System.out.println("pct hits " + hits + "/" + runs + ", guarantee " + guarantee);
        assertThat(r.schedules()).isEqualTo(runs);
        assertThat((double) hits / runs).isGreaterThanOrEqualTo(guarantee);
        assertThat(r.verdict()).isEqualTo(ExploreResult.Verdict.FOUND);
        // deterministic: the same seed gives the same count
        ExploreResult again = Explorer.explore(p, ExploreOptions.defaults().withPolicy("pct").withPctDepth(2)
                .withSeed(SEED).withMaxSchedules(runs).withShrink(false).withThreads(2));
        assertThat(again.countsByKind()).isEqualTo(r.countsByKind());
    }

    @Test
    void pctAtDepthOneCannotPreemptAndNeverFindsIt() {
        Program p = TinyPrograms.lostUpdate(2, 5);
        ExploreResult r = Explorer.explore(p, ExploreOptions.defaults().withPolicy("pct").withPctDepth(1)
                .withSeed(SEED).withMaxSchedules(200).withShrink(false));
        assertThat(r.verdict()).isEqualTo(ExploreResult.Verdict.INCOMPLETE);
    }

    @Test
    void randomWalkIsSeededAndNeverClaimsCompleteness() {
        Program p = TinyPrograms.lostUpdate(2, 1);
        ExploreOptions o = ExploreOptions.defaults().withPolicy("random").withSeed(SEED).withMaxSchedules(200);
        System.out.println("random seed " + SEED);
        ExploreResult a = Explorer.explore(p, o);
        ExploreResult b = Explorer.explore(p, o);
        assertThat(a.verdict()).isEqualTo(ExploreResult.Verdict.FOUND);
        assertThat(a.complete()).isFalse();
        assertThat(a.countsByKind()).isEqualTo(b.countsByKind());
        assertThat(a.findings().get(0).schedule()).isEqualTo(b.findings().get(0).schedule());
        ExploreResult clean = Explorer.explore(TinyPrograms.abba(), o.withMaxSchedules(1).withSeed(1));
        assertThat(clean.verdict()).isNotEqualTo(ExploreResult.Verdict.NONE);
    }

    @Test
    void posIsSeededFindsTheLostUpdateAndNeverClaimsCompleteness() {
        Program p = TinyPrograms.lostUpdate(2, 5);
        ExploreOptions o = ExploreOptions.defaults().withPolicy("pos").withSeed(SEED).withMaxSchedules(200)
                .withShrink(false);
        System.out.println("pos seed " + SEED);
        ExploreResult a = Explorer.explore(p, o);
        ExploreResult b = Explorer.explore(p, o.withThreads(2));
        assertThat(a.verdict()).isEqualTo(ExploreResult.Verdict.FOUND);
        assertThat(a.complete()).isFalse();
        assertThat(a.countsByKind()).isEqualTo(b.countsByKind());
        // the loads and stores race, so their priorities are redrawn: both orders of the stores occur
        assertThat(a.countsByKind().get(FindingKind.ACCOUNTING)).isBetween(1L, 199L);
    }

    @Test
    void registryAndReplayPolicy() {
        assertThat(Policies.names()).contains("dpor", "exhaustive", "pct", "pos", "random", "replay").isSorted();
        assertThatThrownBy(() -> Policies.create("chess", ExploreOptions.defaults()))
                .hasMessageContaining(String.join(", ", Policies.names()));
        ExploreResult r = Explorer.explore(TinyPrograms.lostUpdate(2, 1),
                ExploreOptions.defaults().withPolicy("replay").withSchedule("any:d2,1"));
        assertThat(r.schedules()).isEqualTo(1);
        assertThat(r.verdict()).isEqualTo(ExploreResult.Verdict.FOUND);
    }

    @Test
    void schedulesParseAndPrintBack() {
        for (String s : new String[] {"any:", "irq:", "any:d2,1,d3,0", "irq:0x3,i0,i1/7,1x2"}) {
            assertThat(Schedule.parse(s).toString()).isEqualTo(s);
        }
        assertThat(Schedule.parse("any:d2,1x3,i0").departures()).isEqualTo(4);
        assertThatThrownBy(() -> Schedule.parse("any:1,q")).hasMessageContaining("bad token 'q'");
        assertThatThrownBy(() -> Schedule.parse("0,1")).hasMessageContaining("model prefix");
        assertThatThrownBy(() -> Schedule.parse("any:d0")).hasMessageContaining("bad token 'd0'");
    }
}
