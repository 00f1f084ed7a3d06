package org.mmemu.odds;

import java.math.BigDecimal;

/**
 * A closed interval [lo, hi] of reals that is known to contain a true value which doubles cannot
 * hold exactly: a Poisson weight, an exponential tail, an effective window.
 *
 * <p><b>Invariant.</b> Every operation returns an interval that contains every real result of the
 * operation on reals drawn from its operands: the basic operations round their ends outward
 * ({@link Rounding}), and the transcendental ones step one ulp out on each side of
 * {@link StrictMath}'s result, which its specification keeps within one ulp of the exact value
 * and semi-monotonic. So a chain of operations starting from exact inputs ends in an interval that
 * encloses the exact answer, and its width says how much the floating point cost: that is what
 * lets {@code mmemu odds} print an answer that "never claims more than was computed" (issue 22).
 * The upper end may be {@code +∞} (a mean time to failure when the rate may be zero).
 *
 * @param lo the lower end
 * @param hi the upper end, {@code >= lo}
 */
public record Interval(double lo, double hi) {
    /** [0, 0]. */
    public static final Interval ZERO = new Interval(0, 0);
    /** [1, 1]. */
    public static final Interval ONE = new Interval(1, 1);

    public Interval {
        if (Double.isNaN(lo) || Double.isNaN(hi) || lo > hi) {
            throw new IllegalArgumentException("not an interval: [" + lo + ", " + hi + "]");
        }
    }

    /** The exact value {@code x} (a double is an exact real). */
    public static Interval point(double x) {
        return new Interval(x, x);
    }

    /** [lo, hi]. */
    public static Interval of(double lo, double hi) {
        return new Interval(lo, hi);
    }

    /** Whether the real {@code x} lies in this interval. */
    public boolean contains(double x) {
        return lo <= x && x <= hi;
    }

    /** Whether the real {@code x} lies in this interval, compared exactly. */
    public boolean contains(BigDecimal x) {
        return (lo == Double.NEGATIVE_INFINITY || new BigDecimal(lo).compareTo(x) <= 0)
                && (hi == Double.POSITIVE_INFINITY || x.compareTo(new BigDecimal(hi)) <= 0);
    }

    /** hi − lo, rounded up. */
    public double width() {
        return Rounding.addUp(hi, -lo);
    }

    /** The midpoint, for printing only (not a bound). */
    public double mid() {
        return lo == hi ? lo : lo / 2 + hi / 2;
    }

    /** The number of doubles between the ends (0 for a point): the width in units of the last place. */
    public long ulps() {
        if (Double.isInfinite(lo) || Double.isInfinite(hi)) {
            return Long.MAX_VALUE;
        }
        return ordered(hi) - ordered(lo);
    }

    /** Doubles mapped onto longs in the same order, adjacent doubles to adjacent longs. */
    private static long ordered(double x) {
        long bits = Double.doubleToLongBits(x == 0 ? 0.0 : x);
        return bits < 0 ? Long.MIN_VALUE - bits : bits;
    }

    public Interval add(Interval o) {
        return new Interval(Rounding.addDown(lo, o.lo), Rounding.addUp(hi, o.hi));
    }

    public Interval subtract(Interval o) {
        return new Interval(Rounding.addDown(lo, -o.hi), Rounding.addUp(hi, -o.lo));
    }

    public Interval negate() {
        return new Interval(-hi, -lo);
    }

    public Interval multiply(Interval o) {
        if (lo >= 0 && o.lo >= 0) {
            return new Interval(Rounding.mulDown(lo, o.lo), Rounding.mulUp(hi, o.hi));
        }
        return corners(o, Rounding::mulDown, Rounding::mulUp);
    }

    /** This divided by {@code o}, which must not contain 0. */
    public Interval divide(Interval o) {
        if (o.contains(0)) {
            throw new ArithmeticException("division by an interval that contains 0: " + o);
        }
        return corners(o, Rounding::divDown, Rounding::divUp);
    }

    /** The hull of {@code op} over the four pairs of ends, each rounded outward: enough for a monotone op. */
    private Interval corners(Interval o, java.util.function.DoubleBinaryOperator down,
            java.util.function.DoubleBinaryOperator up) {
        double l = Math.min(Math.min(down.applyAsDouble(lo, o.lo), down.applyAsDouble(lo, o.hi)),
                Math.min(down.applyAsDouble(hi, o.lo), down.applyAsDouble(hi, o.hi)));
        double h = Math.max(Math.max(up.applyAsDouble(lo, o.lo), up.applyAsDouble(lo, o.hi)),
                Math.max(up.applyAsDouble(hi, o.lo), up.applyAsDouble(hi, o.hi)));
        return new Interval(l, h);
    }

    /**
     * 1 / this for a non-negative interval, with 1/0 = +∞: the mean time to an event of a rate
     * that may be zero is unbounded above.
     */
    public Interval reciprocal() {
        if (lo < 0) {
            throw new ArithmeticException("reciprocal of an interval with negative values: " + this);
        }
        double down = hi == Double.POSITIVE_INFINITY ? 0 : hi == 0 ? Double.POSITIVE_INFINITY : Rounding.divDown(1, hi);
        double up = lo == 0 ? Double.POSITIVE_INFINITY : Rounding.divUp(1, lo);
        return new Interval(down, up);
    }

    /** e^x, increasing: one ulp out of {@link StrictMath#exp} at each end, never below 0. */
    public Interval exp() {
        return new Interval(Math.max(0, Math.nextDown(StrictMath.exp(lo))), Math.nextUp(StrictMath.exp(hi)));
    }

    /** e^x − 1, increasing, accurate near 0 where {@code exp().subtract(ONE)} would cancel; never below −1. */
    public Interval expm1() {
        return new Interval(Math.max(-1, Math.nextDown(StrictMath.expm1(lo))), Math.nextUp(StrictMath.expm1(hi)));
    }

    /** 1 − e^{−x}: the probability of at least one event of a Poisson process of mean x. */
    public Interval oneMinusExpNegative() {
        return negate().expm1().negate();
    }

    /** The smallest interval holding both. */
    public Interval hull(Interval o) {
        return new Interval(Math.min(lo, o.lo), Math.max(hi, o.hi));
    }

    /** This with its ends clamped to [0, 1], for a probability (which outward rounding may overstep). */
    public Interval asProbability() {
        double l = Math.min(Math.max(lo, 0), 1);
        double h = Math.min(Math.max(hi, 0), 1);
        return new Interval(l, h);
    }

    /** This with its upper end raised by {@code mass}'s upper end: a cut-off tail of at most that mass. */
    public Interval plusCutTail(Interval mass) {
        return new Interval(lo, Rounding.addUp(hi, Math.max(0, mass.hi)));
    }

    /** {@code [lo, hi]} with both ends to six digits, or one number when they print the same. */
    public String shortText() {
        String l = String.format(java.util.Locale.ROOT, "%.6g", lo);
        String h = String.format(java.util.Locale.ROOT, "%.6g", hi);
        return l.equals(h) ? l : "[" + l + ", " + h + "]";
    }

    /** Both ends as a two-element list, for JSON ({@code [low, high]}). */
    public java.util.List<Double> asList() {
        return java.util.List.of(lo, hi);
    }
}
