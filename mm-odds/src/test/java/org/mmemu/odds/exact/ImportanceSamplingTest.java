package org.mmemu.odds.exact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mmemu.odds.HandlerDuration;
import org.mmemu.odds.Interval;
import org.mmemu.odds.Profiles;
import org.mmemu.odds.SampledWindow;
import org.mmemu.odds.TimingProfile;
import org.mmemu.scenario.run.ScenarioProgram;

/**
 * {@code odds --estimate}: the importance-sampled estimate of W with every interrupt is W. Two
 * checks, seeded:
 * <ul>
 * <li>at raised rates, where plain sampling sees the double free in a few percent of the runs, the
 *     estimate of all runs agrees with plain sampling's over the same offsets, and its part from runs
 *     with at most one interrupt with the exact enumerated part, each within 99.9% intervals;</li>
 * <li>at the shipped profile's rates, where plain sampling would need some 10⁷ runs and the sampler
 *     raises cpu0's rate several hundredfold, its part from runs with at most one interrupt still
 *     agrees with the enumerated part, which is exact for those runs: the likelihood ratios are
 *     right where they are far from 1.</li>
 * </ul>
 */
class ImportanceSamplingTest {
    private static final double Z = SampledWindow.Z;
    private static ExecutorService pool;

    @BeforeAll
    static void start() {
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
    }

    @Test
    void atRaisedRatesTheEstimateAgreesWithPlainSamplingAndTheEnumeratedPart() {
        ScenarioProgram mm1 = OddsFixtures.program("seed-race", "mm1");
        TimingProfile profile = OddsFixtures.profile(1e6, new HandlerDuration.Exponential(120_000), 5e4,
                new HandlerDuration.Fixed(4_400));
        double from = -65;
        double to = 859;
        SweepSetup setup = setup(mm1, profile, from, to);
        SweepTotals exact = new Sweep(setup).run();
        SampledWindow est = doubleFree(ImportanceSampling.run(setup, exact, 20_000, 7, pool, 2));
        // plain sampling over the same offsets: a double free in some percent of the runs
        SplittableRandom rng = new SplittableRandom(11);
        int runs = 20_000;
        int hits = 0;
        for (int i = 0; i < runs; i++) {
            double t = from + (to - from) * rng.nextDouble();
            TimedRun.Result r = TimedRun.run(mm1, 2, profile.costs().costTable(), 0, t, 0,
                    TimedRun.Plan.arrivals(OddsFixtures.draws(profile, rng)), 100_000);
            if (r.run().findings().stream().anyMatch(f -> f.kind().id().equals("double-free"))) {
                hits++;
            }
        }
        double p = hits / (double) runs;
        assertThat(p).isBetween(0.01, 0.2);
        double plain = p * (to - from);
        double plainError = Math.sqrt(p * (1 - p) / runs) * (to - from);
        assertThat(Math.abs(est.windowCycles() - plain)).as("all runs: sampled %s, plain %s", est.windowCycles(), plain)
                .isLessThan(Z * Math.hypot(est.stdError(), plainError));
        Interval enumerated = exact.windows.get("double-free").value();
        assertAgrees(est, enumerated);
        // at these rates runs with two or more interrupts are a visible part of W
        assertThat(est.windowCycles()).isGreaterThan(enumerated.hi() + Z * est.stdError());
    }

    @Test
    void atTheShippedRatesItsPartWithAtMostOneInterruptIsTheEnumeratedPart() {
        ScenarioProgram mm1 = OddsFixtures.program("seed-race", "mm1");
        TimingProfile profile = Profiles.shipped("xeon-2002");
        SweepSetup setup = setup(mm1, profile, -2_000, 3_000);
        SweepTotals exact = new Sweep(setup).run();
        SampledWindow est = doubleFree(ImportanceSampling.run(setup, exact, 20_000, 3, pool, 2));
        assertThat(est.hits()).isGreaterThan(1_000);
        assertAgrees(est, exact.windows.get("double-free").value());
    }

    @Test
    void underNoTestsEveryKindsPartWithAtMostOneInterruptIsItsEnumeratedPart() {
        // kinds found with no interrupt, and with one on either CPU; some runs stop on a finding
        // in the middle of the other CPU's handler
        ScenarioProgram noTests = OddsFixtures.program("seed-race", "no-tests");
        SweepSetup setup = setup(noTests, Profiles.shipped("xeon-2002"), -2_000, 3_000);
        SweepTotals exact = new Sweep(setup).run();
        List<SampledWindow> all = ImportanceSampling.run(setup, exact, 20_000, 9, pool, 2);
        for (String kind : List.of("double-free", "kernel-bug", "lock-leak", "data-race")) {
            SampledWindow est = all.stream().filter(e -> e.kind().equals(kind)).findFirst().orElseThrow();
            assertAgrees(est, exact.windows.get(kind).value());
        }
    }

    @Test
    void theEstimateDoesNotDependOnTheThreads() {
        ScenarioProgram mm1 = OddsFixtures.program("seed-race", "mm1");
        SweepSetup setup = setup(mm1, Profiles.shipped("xeon-2002"), -2_000, 3_000);
        SweepTotals exact = new Sweep(setup).run();
        SampledWindow one = doubleFree(ImportanceSampling.run(setup, exact, 3_000, 5, pool, 1));
        SampledWindow two = doubleFree(ImportanceSampling.run(setup, exact, 3_000, 5, pool, 2));
        assertThat(two).isEqualTo(one);
    }

    private static SweepSetup setup(ScenarioProgram p, TimingProfile profile, double from, double to) {
        return new SweepSetup(p, 2, profile.costs().costTable(), 0, 0, profile, System.nanoTime() + 120_000_000_000L,
                100_000, from, to);
    }

    private static SampledWindow doubleFree(List<SampledWindow> estimates) {
        return estimates.stream().filter(e -> e.kind().equals("double-free")).findFirst().orElseThrow();
    }

    private static void assertAgrees(SampledWindow est, Interval enumerated) {
        double gap = Math.max(0, Math.max(enumerated.lo() - est.atMostOne(), est.atMostOne() - enumerated.hi()));
        assertThat(gap).as("at most one interrupt: sampled %s +- %s, enumerated %s", est.atMostOne(),
                est.atMostOneStdError(), enumerated).isLessThanOrEqualTo(Z * est.atMostOneStdError());
    }
}
