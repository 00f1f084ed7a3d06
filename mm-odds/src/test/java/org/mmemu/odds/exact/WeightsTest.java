package org.mmemu.odds.exact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmemu.odds.HandlerDuration;
import org.mmemu.odds.Interval;
import org.mmemu.odds.Poisson;

/** The weights against closed forms and numeric integrals. */
class WeightsTest {
    private static final List<HandlerDuration> DURATIONS = List.of(new HandlerDuration.Fixed(4_400),
            new HandlerDuration.Uniform(4_400, 13_200), new HandlerDuration.Exponential(22_000),
            new HandlerDuration.Table(List.of(new HandlerDuration.Table.Entry(4_400, 0.9),
                    new HandlerDuration.Table.Entry(22_000, 0.1))));

    @Test
    void theExcessIsTheTailIntegratedFromX() {
        for (HandlerDuration d : DURATIONS) {
            for (double x : new double[] {-500, 0, 1000, 4_399.5, 5_000, 13_000, 30_000}) {
                double sum = 0;
                double step = 0.5;
                for (double y = x + step / 2; y < 400_000; y += step) {
                    sum += d.tail(y).mid() * step;
                }
                Interval e = d.excess(x);
                assertThat(Math.abs(e.mid() - sum)).as("%s at %s: %s vs %s", d, x, e, sum)
                        .isLessThan(1e-6 * Math.max(1, sum) + 1);
                assertThat(e.ulps()).isLessThan(16);
            }
        }
    }

    /**
     * Issue 22, item 5b, through the sweep's own weights: one window of k cycles with Poisson
     * arrivals and a fixed handler of h cycles that must outlast s cycles, P = (1 − e^{−λk})·[h > s];
     * over a slab of L cycles of t, W = L·P. The weights enclose it within a few ulps.
     */
    @Test
    void theToyClosedFormThroughTheWeights() {
        double clock = 2.2e9;
        for (double rate : new double[] {1e3, 8e3, 1e6}) {
            for (long k : new long[] {4, 500, 20_000}) {
                for (long h : new long[] {1_000, 22_000}) {
                    long s = 10_000;
                    long length = 394;
                    Poisson p = Poisson.of(rate, clock);
                    Box slab = Box.of(0, length, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, true);
                    Interval first = Weights.firstIn(p, Form.ZERO, new Form(k, 0, 0), slab);
                    // the handler begins at t + k and must end after t + k + s: u − t ≥ k + s
                    Interval handler = Weights.handler(new HandlerDuration.Fixed(h), new Form(k, 1, 0), 0, length,
                            new Weights.Edge(-(k + s), true), new Weights.Edge(Double.POSITIVE_INFINITY, false));
                    Interval w = first.multiply(handler);
                    double exact = length * -Math.expm1(-rate / clock * k) * (h > s ? 1 : 0);
                    assertThat(w.lo() <= exact && exact <= w.hi() || Math.abs(w.mid() - exact) <= 4 * Math.ulp(exact))
                            .as("λ %s k %s h %s: %s vs %s", rate, k, h, w, exact).isTrue();
                    assertThat(w.ulps()).isLessThan(32);
                }
            }
        }
    }

    @Test
    void aHandlerWhoseStartMovesWithTIsTheIntegratedTail() {
        HandlerDuration.Exponential d = new HandlerDuration.Exponential(22_000);
        // begin = t + 100, u in [50_000, ∞), t in [0, 1000): ∫ e^{−(50_000 − t − 100.5)/m} dt
        Interval w = Weights.handler(d, new Form(100, 1, 0), 0, 1000, new Weights.Edge(50_000, false),
                new Weights.Edge(Double.POSITIVE_INFINITY, false));
        double m = 22_000;
        double exact = m * Math.exp(-(50_000 - 100.5) / m) * Math.expm1(1000 / m);
        assertThat(w.contains(exact) || Math.abs(w.mid() - exact) < 1e-12 * exact).as("%s vs %s", w, exact).isTrue();
        assertThat(w.width()).isLessThan(1e-9 * exact);
    }
}
