package org.mmemu.odds;

/**
 * A Poisson process of arrivals (an interrupt source on one CPU) measured in cycles of the
 * profile's clock: rate λ per second becomes λ / clock per cycle. Every probability is an
 * {@link Interval} that encloses the exact value for the exact rate and window.
 *
 * <p>Why Poisson: a source of independent arrivals (packets, disk completions) at a known mean
 * rate is the textbook model, and the timer, periodic in truth, is one too for a window placed
 * at a uniformly random phase as long as the window is shorter than its period (the probability of
 * a tick in a window of w cycles is then w / period, which the Poisson value 1 − e^{−w/period}
 * bounds from below within (w/period)²/2; docs/ODDS.md, "Assumptions").
 */
public final class Poisson {
    private final Interval perCycle;

    private Poisson(Interval perCycle) {
        this.perCycle = perCycle;
    }

    /** Arrivals at {@code ratePerSecond} on a clock of {@code clockHz}. */
    public static Poisson of(double ratePerSecond, double clockHz) {
        if (!(ratePerSecond >= 0) || !(clockHz > 0) || Double.isInfinite(ratePerSecond) || Double.isInfinite(clockHz)) {
            throw new IllegalArgumentException("a rate must be finite and not negative, a clock positive");
        }
        return new Poisson(Interval.point(ratePerSecond).divide(Interval.point(clockHz)));
    }

    /** λ per cycle. */
    public Interval perCycle() {
        return perCycle;
    }

    /** The mean number of arrivals in a window of {@code cycles} cycles: λ · w. */
    public Interval mean(double cycles) {
        return perCycle.multiply(Interval.point(checked(cycles)));
    }

    /** P(exactly k arrivals in {@code cycles}) = e^{−μ} μ^k / k!, by the recurrence p_k = p_{k−1} μ / k. */
    public Interval exactly(int k, double cycles) {
        if (k < 0) {
            throw new IllegalArgumentException("k must not be negative");
        }
        Interval mu = mean(cycles);
        Interval p = mu.negate().exp();
        for (int i = 1; i <= k; i++) {
            p = p.multiply(mu).divide(Interval.point(i));
        }
        return p.asProbability();
    }

    /**
     * P(more than k arrivals in {@code cycles}), the mass a sum over 0..k arrivals cuts off. Two
     * enclosures are intersected: 1 − Σ_{i≤k} p_i, and p_{k+1} · 1/(1 − μ/(k+2)) (when μ &lt; k+2),
     * which holds because p_{j+1}/p_j = μ/(j+1) ≤ μ/(k+2) for every j &gt; k, so the tail is at
     * most a geometric series; the second stays tight where the first cancels.
     */
    public Interval moreThan(int k, double cycles) {
        Interval mu = mean(cycles);
        Interval p = mu.negate().exp();
        Interval sum = p;
        for (int i = 1; i <= k; i++) {
            p = p.multiply(mu).divide(Interval.point(i));
            sum = sum.add(p);
        }
        Interval next = p.multiply(mu).divide(Interval.point(k + 1.0)).asProbability();
        Interval byComplement = Interval.ONE.subtract(sum).asProbability();
        double lo = Math.max(byComplement.lo(), next.lo());
        double hi = byComplement.hi();
        Interval ratio = mu.divide(Interval.point(k + 2.0));
        if (ratio.hi() < 1) {
            hi = Math.min(hi, next.divide(Interval.ONE.subtract(ratio)).hi());
        }
        return Interval.of(Math.min(lo, hi), hi);
    }

    /** P(at least one arrival in [a, b)) = 1 − e^{−λ(b−a)}; 0 for an empty range. */
    public Interval anyIn(double a, double b) {
        if (b <= a) {
            return Interval.ZERO;
        }
        return perCycle.multiply(Interval.point(checked(b)).subtract(Interval.point(checked(a))))
                .oneMinusExpNegative().asProbability();
    }

    /**
     * P(the first arrival after time 0 falls in [a, b)) = e^{−λa} (1 − e^{−λ(b−a)}), 0 ≤ a: no
     * arrival before a, then at least one before b.
     */
    public Interval firstIn(double a, double b) {
        if (b <= a) {
            return Interval.ZERO;
        }
        Interval none = perCycle.multiply(Interval.point(checked(a))).negate().exp();
        return none.multiply(anyIn(a, b)).asProbability();
    }

    private static double checked(double cycles) {
        if (!(cycles >= 0) || Double.isInfinite(cycles)) {
            throw new IllegalArgumentException("a time in cycles must be finite and not negative: " + cycles);
        }
        return cycles;
    }
}
