package org.mmemu.odds.exact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mmemu.odds.HandlerDuration;
import org.mmemu.odds.Interval;
import org.mmemu.odds.TimingProfile;
import org.mmemu.scenario.run.ScenarioProgram;

/**
 * Issue 22, item 5a: Monte Carlo sampling of the timed model agrees with the exact computation.
 * On the shipped seed race, with interrupts raised until a double free happens in some 1e-2 to
 * 1e-1 of the runs, at 12 points: under mm1 (the footnote's race, an interrupt on cpu0 needed) two
 * rates × the four kinds of duration, with t drawn uniformly over window 1 (135..659 under these
 * costs) and some room; under no-tests (no interrupt needed) interrupts on both CPUs, cpu1's with
 * each kind of duration. t is drawn uniformly over the range, arrivals drawn as a Poisson process in each CPU's
 * exposure, durations drawn, each through the same deterministic {@link TimedRun}. Two estimates
 * per point, each checked against the exact interval (over the same range, divided by its length)
 * with its 99.9% Wilson interval:
 * <ul>
 * <li>runs with a double free and at most one interrupt delivered, against the enumerated part
 *     (the interval without the cut-off mass): a two-sided check of everything the sweep
 *     enumerates, its classes and its weights;</li>
 * <li>runs with a double free, however many interrupts, against the whole interval (enumerated
 *     part plus the cut-off mass of two or more interrupts).</li>
 * </ul>
 * Seeded; one fixed seed per point, so a failure replays.
 */
class MonteCarloAgreementTest {
    private static final int RUNS = 2500;
    /** z of a two-sided 99.9% interval. */
    private static final double Z = 3.2905;

    @Test
    void samplingAgreesWithTheExactValueAtTwelvePoints() {
        List<HandlerDuration> durations = List.of(new HandlerDuration.Fixed(110_000),
                new HandlerDuration.Uniform(60_000, 160_000), new HandlerDuration.Exponential(120_000),
                new HandlerDuration.Table(List.of(new HandlerDuration.Table.Entry(20_000, 0.4),
                        new HandlerDuration.Table.Entry(140_000, 0.6))));
        List<String> failures = new ArrayList<>();
        int point = 0;
        // mm1: the double free needs the interrupt on cpu0 in window 2 and a handler longer than reclaim
        ScenarioProgram mm1 = OddsFixtures.program("seed-race", "mm1");
        for (HandlerDuration d : durations) {
            for (double rate : new double[] {1e6, 2e6}) {
                TimingProfile profile = profile(rate, d, 0, null);
                check(failures, ++point, mm1, profile, -65, 859);
            }
        }
        // no-tests: the double free needs no interrupt; interrupts on both CPUs move the window
        ScenarioProgram noTests = OddsFixtures.program("seed-race", "no-tests");
        for (HandlerDuration d : durations) {
            TimingProfile profile = profile(2e5, new HandlerDuration.Exponential(1_500), 3e4, d);
            check(failures, ++point, noTests, profile, -1500, 1500);
        }
        assertThat(point).isEqualTo(12);
        assertThat(failures).isEmpty();
    }

    private static TimingProfile profile(double rate0, HandlerDuration d0, double rate1, HandlerDuration d1) {
        List<TimingProfile.InterruptSource> sources = new ArrayList<>();
        sources.add(new TimingProfile.InterruptSource("irq0", List.of(0), rate0, d0));
        if (rate1 > 0) {
            sources.add(new TimingProfile.InterruptSource("irq1", List.of(1), rate1, d1));
        }
        return new TimingProfile("mc", "raised rates", OddsFixtures.CLOCK, 2, OddsFixtures.COSTS, null, sources,
                new TimingProfile.Workload(20_000, 20_000, 450_000, 0.0625, 0.5));
    }

    private static void check(List<String> failures, int point, ScenarioProgram program, TimingProfile profile,
            double from, double to) {
        SweepTotals exact = new Sweep(new SweepSetup(program, 2, profile.costs().costTable(), 0, 0, profile,
                System.nanoTime() + 60_000_000_000L, 100_000, from, to)).run();
        assertThat(exact.timedOut).isFalse();
        Interval enumerated = exact.windows.get("double-free").value();
        Interval whole = enumerated.plusCutTail(exact.moreArrivals.value()).plusCutTail(exact.unknown.value());
        int[] hits = sample(program, profile, 1000L * point, from, to);
        String what = point + " " + program.protocol() + " " + profile.interrupts();
        check(failures, what + ", at most one interrupt", hits[0], enumerated.divide(Interval.point(to - from)));
        check(failures, what + ", all runs", hits[1], whole.divide(Interval.point(to - from)));
        assertThat(hits[1] / (double) RUNS).as("point %d is in the range the issue asks for", point)
                .isBetween(5e-3, 0.25);
    }

    /** Runs with a double free and at most one interrupt, and with a double free at all. */
    private static int[] sample(ScenarioProgram program, TimingProfile profile, long seed, double from, double to) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] hits = new int[2];
        for (int i = 0; i < RUNS; i++) {
            double t = from + (to - from) * rng.nextDouble();
            TimedRun.Result r = TimedRun.run(program, 2, profile.costs().costTable(), 0, t, 0,
                    TimedRun.Plan.arrivals(OddsFixtures.draws(profile, rng)), 100_000);
            boolean found = r.run().findings().stream().anyMatch(f -> f.kind().id().equals("double-free"));
            if (found) {
                hits[1]++;
                if (r.interrupts() <= 1) {
                    hits[0]++;
                }
            }
        }
        return hits;
    }

    /** Whether the Wilson 99.9% interval of hits/RUNS meets the exact probability. */
    private static void check(List<String> failures, String what, int hits, Interval exact) {
        double n = RUNS;
        double p = hits / n;
        double centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n);
        double half = Z * Math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n);
        double lo = exact.lo();
        double hi = exact.hi();
        if (centre + half < lo || centre - half > hi) {
            failures.add(String.format("%s: sampled %d/%d = %.4f [%.4f, %.4f], exact [%.5f, %.5f]", what, hits, RUNS, p,
                    centre - half, centre + half, lo, hi));
        }
        System.out.printf("%s: sampled %.4f [%.4f, %.4f], exact [%.5f, %.5f]%n", what, p, centre - half, centre + half,
                lo, hi);
    }
}
