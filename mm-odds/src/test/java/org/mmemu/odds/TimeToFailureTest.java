package org.mmemu.odds;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/** findings/s = (R · I / N) · share · W; the mean time to the first is its reciprocal, over n for a fleet. */
class TimeToFailureTest {
    private static TimingProfile profile(double r, double i, long n) {
        return new TimingProfile("t", "test", 2e9, 2, new TimingProfile.Costs(1, 2, 3, 4, 5, 6, 7), null, List.of(),
                new TimingProfile.Workload(r, i, n, 0.0625, 0.5));
    }

    @Test
    void theRateAndMeanTimesEncloseTheFormula() {
        TimingProfile p = profile(20000, 20000, 450000);
        TimeToFailure t = TimeToFailure.of(p, Interval.point(30), ReleasePath.PAGEVEC_FIRST, 1_000_000);
        MathContext mc = new MathContext(40);
        // 20000 · 20000 / 450000 · 0.0625 · 30 / 2e9 per second
        BigDecimal rate = new BigDecimal(20000 * 20000L).divide(new BigDecimal(450000), mc).multiply(new BigDecimal("0.0625"))
                .multiply(new BigDecimal(30)).divide(new BigDecimal("2e9"), mc);
        assertThat(t.findingsPerSecond().contains(rate)).isTrue();
        assertThat(t.meanSeconds().contains(BigDecimal.ONE.divide(rate, mc))).isTrue();
        assertThat(t.fleetMeanSeconds().contains(BigDecimal.ONE.divide(rate.multiply(new BigDecimal(1_000_000)), mc)))
                .isTrue();
        assertThat(t.meanSeconds().ulps()).isLessThanOrEqualTo(16);
    }

    @Test
    void theSharesSelectTheReleasePath() {
        TimingProfile p = profile(1000, 1000, 1000);
        Interval w = Interval.point(2e9); // one second of window
        assertThat(TimeToFailure.of(p, w, ReleasePath.ANY, 1).findingsPerSecond()).isEqualTo(Interval.point(1000));
        assertThat(TimeToFailure.of(p, w, ReleasePath.PLAIN, 1).findingsPerSecond()).isEqualTo(Interval.point(500));
        assertThat(TimeToFailure.of(p, w, ReleasePath.PAGEVEC_FIRST, 1).findingsPerSecond()).isEqualTo(Interval.point(62.5));
    }

    @Test
    void aWindowThatMayBeZeroHasNoUpperBoundOnItsTimeToFailure() {
        TimingProfile p = profile(1000, 1000, 1000);
        TimeToFailure none = TimeToFailure.of(p, Interval.ZERO, ReleasePath.ANY, 10);
        assertThat(none.meanSeconds().lo()).isEqualTo(Double.POSITIVE_INFINITY);
        TimeToFailure maybe = TimeToFailure.of(p, Interval.of(0, 2e9), ReleasePath.ANY, 10);
        assertThat(maybe.meanSeconds().contains(0.001)).isTrue();
        assertThat(maybe.meanSeconds().ulps()).isEqualTo(Long.MAX_VALUE);
        assertThat(maybe.meanSeconds().hi()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(maybe.fleetMeanSeconds().lo()).isCloseTo(0.0001, org.assertj.core.data.Offset.offset(1e-15));
    }
}
