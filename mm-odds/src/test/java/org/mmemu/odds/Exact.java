package org.mmemu.odds;

import java.math.BigDecimal;
import java.math.MathContext;

/** Reference values in BigDecimal, to 60 digits, against which the intervals are checked. */
final class Exact {
    static final MathContext MC = new MathContext(60);

    private Exact() {
    }

    static BigDecimal of(double x) {
        return new BigDecimal(x);
    }

    /** e^x by halving the argument until it is small, a Taylor series, and squaring back. */
    static BigDecimal exp(BigDecimal x) {
        int halvings = 0;
        BigDecimal r = x;
        while (r.abs().compareTo(new BigDecimal("0.001")) > 0) {
            r = r.divide(BigDecimal.valueOf(2), MC);
            halvings++;
        }
        BigDecimal sum = BigDecimal.ONE;
        BigDecimal term = BigDecimal.ONE;
        for (int k = 1; k < 40; k++) {
            term = term.multiply(r, MC).divide(BigDecimal.valueOf(k), MC);
            sum = sum.add(term, MC);
        }
        for (int i = 0; i < halvings; i++) {
            sum = sum.multiply(sum, MC);
        }
        return sum;
    }

    /** e^x − 1, by the series directly for small x (no cancellation). */
    static BigDecimal expm1(BigDecimal x) {
        if (x.abs().compareTo(new BigDecimal("0.5")) > 0) {
            return exp(x).subtract(BigDecimal.ONE, MC);
        }
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal term = BigDecimal.ONE;
        for (int k = 1; k < 80; k++) {
            term = term.multiply(x, MC).divide(BigDecimal.valueOf(k), MC);
            sum = sum.add(term, MC);
        }
        return sum;
    }

    /**
     * P(N &gt; k) for a Poisson N of mean μ: for μ &lt; 1 summed directly (1 − Σ would cancel
     * most digits of a tiny tail), else 1 − Σ_{j≤k} p_j.
     */
    static BigDecimal poissonTail(BigDecimal mu, int k) {
        if (mu.compareTo(BigDecimal.ONE) < 0) {
            BigDecimal sum = BigDecimal.ZERO;
            for (int j = k + 1; j <= k + 60; j++) {
                sum = sum.add(poisson(mu, j), MC);
            }
            return sum;
        }
        BigDecimal enumerated = BigDecimal.ZERO;
        for (int j = 0; j <= k; j++) {
            enumerated = enumerated.add(poisson(mu, j), MC);
        }
        return BigDecimal.ONE.subtract(enumerated, MC);
    }

    /** e^{−μ} μ^k / k!. */
    static BigDecimal poisson(BigDecimal mu, int k) {
        BigDecimal p = exp(mu.negate());
        for (int i = 1; i <= k; i++) {
            p = p.multiply(mu, MC).divide(BigDecimal.valueOf(i), MC);
        }
        return p;
    }
}
