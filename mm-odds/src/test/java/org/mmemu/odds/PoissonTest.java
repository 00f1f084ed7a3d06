package org.mmemu.odds;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The probabilities of arrivals and durations enclose their exact values, computed in BigDecimal. */
class PoissonTest {
    private static final double CLOCK = 2.2e9;

    private static BigDecimal mu(double rate, double cycles) {
        return Exact.of(rate).multiply(Exact.of(cycles)).divide(Exact.of(CLOCK), Exact.MC);
    }

    @Test
    void kArrivalsInAWindowEncloseTheExactWeight() {
        Random r = new Random(2202);
        System.out.println("PoissonTest seed 2202");
        for (int i = 0; i < 500; i++) {
            double rate = Math.rint(Math.pow(10, r.nextDouble() * 7)); // 1 .. 1e7 per second
            double w = Math.rint(Math.pow(10, r.nextDouble() * 10)); // 1 .. 1e10 cycles
            int k = r.nextInt(8);
            Poisson p = Poisson.of(rate, CLOCK);
            Interval got = p.exactly(k, w);
            BigDecimal exact = Exact.poisson(mu(rate, w), k);
            assertThat(got.contains(exact)).as("P(%d arrivals at %s/s in %s cycles) = %s, exact %s", k, rate, w, got,
                    exact).isTrue();
        }
    }

    @Test
    void theTailBeyondKEnclosesOneMinusTheEnumeratedMass() {
        Random r = new Random(2203);
        for (int i = 0; i < 300; i++) {
            double rate = Math.rint(Math.pow(10, r.nextDouble() * 6));
            double w = Math.rint(Math.pow(10, r.nextDouble() * 9));
            int k = r.nextInt(6);
            BigDecimal mu = mu(rate, w);
            Interval tail = Poisson.of(rate, CLOCK).moreThan(k, w);
            BigDecimal exact = Exact.poissonTail(mu, k);
            assertThat(tail.contains(exact)).as("P(N > %d), mu %s: %s, exact %s", k, mu, tail, exact).isTrue();
        }
    }

    @Test
    void theGeometricBoundKeepsATinyTailTight() {
        // one arrival at 1000/s in 1000 cycles: mu ~ 4.5e-4; P(N > 1) ~ mu^2/2 ~ 1e-7, which 1 − Σ cannot resolve
        Interval tail = Poisson.of(1000, CLOCK).moreThan(1, 1000);
        assertThat(tail.width() / tail.hi()).isLessThan(1e-3);
    }

    @Test
    void anArrivalInARangeAndTheFirstArrivalInIt() {
        Poisson p = Poisson.of(8000, CLOCK);
        BigDecimal lambda = Exact.of(8000).divide(Exact.of(CLOCK), Exact.MC);
        Interval any = p.anyIn(1000, 5000);
        BigDecimal exactAny = BigDecimal.ONE.subtract(Exact.exp(lambda.multiply(BigDecimal.valueOf(-4000))));
        assertThat(any.contains(exactAny)).isTrue();
        Interval first = p.firstIn(1000, 5000);
        BigDecimal exactFirst = Exact.exp(lambda.multiply(BigDecimal.valueOf(-1000))).subtract(
                Exact.exp(lambda.multiply(BigDecimal.valueOf(-5000))));
        assertThat(first.contains(exactFirst)).isTrue();
        assertThat(first.hi()).isLessThan(any.lo());
        assertThat(p.anyIn(5, 5)).isEqualTo(Interval.ZERO);
    }

    @Test
    void durationTailsEncloseTheirExactValues() {
        assertThat(new HandlerDuration.Fixed(100).tail(99)).isEqualTo(Interval.ONE);
        assertThat(new HandlerDuration.Fixed(100).tail(100)).isEqualTo(Interval.ZERO);
        HandlerDuration.Uniform u = new HandlerDuration.Uniform(100, 400);
        assertThat(u.tail(50)).isEqualTo(Interval.ONE);
        assertThat(u.tail(200).contains(new BigDecimal(2).divide(new BigDecimal(3), Exact.MC))).isTrue();
        assertThat(u.tail(400)).isEqualTo(Interval.ZERO);
        HandlerDuration.Exponential e = new HandlerDuration.Exponential(22000);
        for (double d : new double[] {0, 1, 500, 22000, 1e5, 1e6}) {
            BigDecimal exact = Exact.exp(Exact.of(d).divide(Exact.of(22000), Exact.MC).negate());
            assertThat(e.tail(d).contains(exact)).as("exponential tail at %s", d).isTrue();
        }
        HandlerDuration.Table t = new HandlerDuration.Table(List.of(new HandlerDuration.Table.Entry(4400, 0.9),
                new HandlerDuration.Table.Entry(22000, 0.1)));
        assertThat(t.tail(1000).contains(1.0)).isTrue();
        assertThat(t.tail(5000).contains(Exact.of(0.1))).isTrue();
        assertThat(t.tail(22000)).isEqualTo(Interval.ZERO);
    }

    /**
     * Issue 22, item 5b: one window of k cycles, Poisson arrivals of rate λ, a fixed handler of h
     * cycles that must outlast a span of s cycles: P = (1 − e^{−λk}) · [h &gt; s]. The layer's
     * interval holds the formula's value (BigDecimal, 40 digits) and is a few ulps wide.
     */
    @ParameterizedTest
    @CsvSource({
        "1000, 5, 4400, 100", "1000, 5000, 4400, 100", "8000, 37, 22000, 21999", "8000, 37, 22000, 22000",
        "200, 1, 8800, 0", "1e6, 2.2e9, 100, 10", "1000, 2.2e6, 10, 9", "3e5, 123456, 50, 49"})
    void theToyClosedForm(double rate, double k, long h, long s) {
        MathContext mc40 = new MathContext(40);
        BigDecimal lambdaK = Exact.of(rate).multiply(Exact.of(k)).divide(Exact.of(CLOCK), mc40);
        BigDecimal formula = h > s ? Exact.expm1(lambdaK.negate()).negate().round(mc40) : BigDecimal.ZERO;
        Interval p = Poisson.of(rate, CLOCK).anyIn(0, k).multiply(new HandlerDuration.Fixed(h).tail(s));
        assertThat(p.contains(formula)).as("%s holds %s", p, formula).isTrue();
        assertThat(p.ulps()).as("%s is a few ulps wide", p).isLessThanOrEqualTo(4);
    }
}
