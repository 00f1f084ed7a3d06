package org.mmemu.odds.exact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;
import org.mmemu.odds.HandlerDuration;
import org.mmemu.odds.TimingProfile;

/**
 * The likelihood ratio of the importance sampler's draws ({@link TiltedDraws}), against the
 * closed form of one CPU whose rate is raised κ-fold in one window of its exposure.
 */
class TiltedDrawsTest {
    private static final double RATE = 1e6;   // per second: λ = 1/2,200 per cycle at 2.2 GHz
    private static final double LAMBDA = RATE / OddsFixtures.CLOCK;
    private static final double KAPPA = 8;
    private static final double[] WINDOW = {1_000, 3_000};

    private static TiltedDraws draws(HandlerDuration d, double shortest, long seed) {
        TimingProfile p = new TimingProfile("one", "one source", OddsFixtures.CLOCK, 2, OddsFixtures.COSTS, null,
                List.of(new TimingProfile.InterruptSource("irq0", List.of(0), RATE, d)),
                new TimingProfile.Workload(20_000, 20_000, 450_000, 0.0625, 0.5));
        TiltedDraws.Tilt[] tilt = {new TiltedDraws.Tilt(List.of(WINDOW), KAPPA, shortest), TiltedDraws.Tilt.NONE};
        return new TiltedDraws(p, tilt, new SplittableRandom(seed));
    }

    @Test
    void aRunWithNoArrivalInTheWindowWeighsTheRaisedRateItEscaped() {
        TiltedDraws d = draws(new HandlerDuration.Fixed(100), 0, 1);
        // nothing delivered, cpu0 looked at up to 2,000 cycles of exposure: half the window
        assertThat(d.ratio(new double[] {2_000, 0})).isCloseTo(Math.exp((KAPPA - 1) * LAMBDA * 1_000),
                Percentage.withPercentage(1e-9));
        assertThat(d.ratio(new double[] {500, 0})).isEqualTo(1.0);
    }

    @Test
    void anArrivalDeliveredPastTheLastBoundaryCountsUpToItself() {
        // draw until the first arrival falls in the window, deliver it, and stop the run there
        for (long seed = 1; seed < 200; seed++) {
            TiltedDraws d = draws(new HandlerDuration.Fixed(100), 0, seed);
            double at = d.gap(0);
            if (at <= WINDOW[0] || at > WINDOW[1]) {
                continue;
            }
            d.duration(0);
            // the run stopped in the handler: the last boundary's exposure is below the arrival
            double expected = (1 / KAPPA) * Math.exp((KAPPA - 1) * LAMBDA * (at - WINDOW[0]));
            assertThat(d.ratio(new double[] {WINDOW[0] - 10, 0})).isCloseTo(expected, Percentage.withPercentage(1e-9));
            return;
        }
        throw new AssertionError("no arrival fell in the window");
    }

    @Test
    void aLongDrawInTheWindowWeighsTheDefensiveMixture() {
        HandlerDuration exp = new HandlerDuration.Exponential(5_000);
        double shortest = 20_000;
        double tail = Math.exp(-shortest / 5_000);
        for (long seed = 1; seed < 2_000; seed++) {
            TiltedDraws d = draws(exp, shortest, seed);
            double at = d.gap(0);
            if (at <= WINDOW[0] || at > WINDOW[1]) {
                continue;
            }
            double dur = d.duration(0);
            double r = d.ratio(new double[] {at, 0}) / Math.exp((KAPPA - 1) * LAMBDA * (at - WINDOW[0]));
            double expected = (1 / KAPPA) / (0.5 + (dur > shortest ? 0.5 / tail : 0));
            assertThat(r).as("duration %s", dur).isCloseTo(expected, Percentage.withPercentage(1e-6));
            if (dur > shortest) {
                return;   // both branches seen, or the long one at least
            }
        }
        throw new AssertionError("no long draw in the window");
    }
}
