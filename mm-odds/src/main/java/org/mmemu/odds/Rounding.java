package org.mmemu.odds;

/**
 * Directed rounding for the four basic operations on doubles, from the hardware's round-to-nearest.
 *
 * <p>Java has no rounding modes. IEEE 754 rounds each basic operation correctly, so the true real
 * result lies within half an ulp of the rounded one; stepping one ulp out ({@link Math#nextDown},
 * {@link Math#nextUp}) always encloses it. Better, the rounding error of a sum, product or quotient
 * is itself exactly representable and can be computed (Knuth's TwoSum; a fused multiply-add for
 * products and quotients), and its sign says on which side the true value lies: the bound steps
 * out only on that side, and not at all when the operation was exact. That keeps a chain of
 * operations within an ulp or so of the truth instead of two per step.
 *
 * <p>The error terms are exact only while nothing overflows or underflows (Boyd, Ogita, Rump and
 * Oishi, "Accurate sum and dot product", SIAM J. Sci. Comput. 26(6), 2005, §2). Where a result is
 * zero, subnormal, infinite or near the overflow threshold the bound steps out on both sides
 * (infinities stay as they are), which is always safe.
 */
final class Rounding {
    /** Below this magnitude an error term may have underflowed: step out on both sides. */
    private static final double TINY = 0x1p-900;
    /** Above this magnitude an error term may have overflowed: step out on both sides. */
    private static final double HUGE = 0x1p900;

    private Rounding() {
    }

    /** A lower bound of the real a + b. */
    static double addDown(double a, double b) {
        if (a == 0 || b == 0) {
            return a + b; // exact
        }
        double s = a + b;
        return unsafe(s, a, b) ? Math.nextDown(s) : twoSumError(a, b, s) < 0 ? Math.nextDown(s) : s;
    }

    /** An upper bound of the real a + b. */
    static double addUp(double a, double b) {
        if (a == 0 || b == 0) {
            return a + b;
        }
        double s = a + b;
        return unsafe(s, a, b) ? Math.nextUp(s) : twoSumError(a, b, s) > 0 ? Math.nextUp(s) : s;
    }

    /** A lower bound of the real a · b. */
    static double mulDown(double a, double b) {
        if ((a == 0 && Double.isFinite(b)) || (b == 0 && Double.isFinite(a))) {
            return 0; // exact
        }
        double p = a * b;
        return unsafe(p, a, b) ? Math.nextDown(p) : Math.fma(a, b, -p) < 0 ? Math.nextDown(p) : p;
    }

    /** An upper bound of the real a · b. */
    static double mulUp(double a, double b) {
        if ((a == 0 && Double.isFinite(b)) || (b == 0 && Double.isFinite(a))) {
            return 0; // exact
        }
        double p = a * b;
        return unsafe(p, a, b) ? Math.nextUp(p) : Math.fma(a, b, -p) > 0 ? Math.nextUp(p) : p;
    }

    /** A lower bound of the real a / b (b ≠ 0). */
    static double divDown(double a, double b) {
        if (a == 0) {
            return 0;
        }
        double q = a / b;
        return unsafe(q, a, b) ? Math.nextDown(q) : quotientError(a, b, q) < 0 ? Math.nextDown(q) : q;
    }

    /** An upper bound of the real a / b (b ≠ 0). */
    static double divUp(double a, double b) {
        if (a == 0) {
            return 0;
        }
        double q = a / b;
        return unsafe(q, a, b) ? Math.nextUp(q) : quotientError(a, b, q) > 0 ? Math.nextUp(q) : q;
    }

    /** The sign of (a + b) − s, exactly (TwoSum). */
    private static double twoSumError(double a, double b, double s) {
        double bb = s - a;
        return (a - (s - bb)) + (b - bb);
    }

    /** The sign of a/b − q: the residual a − q·b is exact (fma), and a/b − q = residual / b. */
    private static double quotientError(double a, double b, double q) {
        double residual = Math.fma(-q, b, a);
        return b > 0 ? residual : -residual;
    }

    /** Whether the error term of an operation with these operands and result may be inexact. */
    private static boolean unsafe(double result, double a, double b) {
        if (Double.isInfinite(result) || Double.isNaN(result)) {
            return true;
        }
        double r = Math.abs(result);
        return r < TINY || r > HUGE || nonzeroTiny(a) || nonzeroTiny(b) || Math.abs(a) > HUGE || Math.abs(b) > HUGE;
    }

    private static boolean nonzeroTiny(double x) {
        return x != 0 && Math.abs(x) < TINY;
    }
}
