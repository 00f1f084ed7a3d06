package org.mmemu.odds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Random;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The enclosure property: for doubles a and b (exact reals), each operation's interval contains
 * the exact real result, computed in BigDecimal, at many points of many magnitudes; and it is
 * tight (a point where the result is exact, at most two ulps otherwise).
 */
class IntervalTest {
    private static final long SEED = 22L;
    private static final int POINTS = 20_000;

    /** A double of random sign and magnitude 1e-30..1e30, or a small integer, or a round value. */
    private static double sample(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> r.nextInt(2001) - 1000;
            case 1 -> (r.nextBoolean() ? 1 : -1) * Math.pow(10, r.nextDouble() * 60 - 30);
            case 2 -> r.nextDouble();
            default -> (r.nextBoolean() ? 1 : -1) * r.nextDouble() * 1e6;
        };
    }

    @Test
    void theBasicOperationsEncloseTheExactResult() {
        System.out.println("IntervalTest seed " + SEED);
        Random r = new Random(SEED);
        for (int i = 0; i < POINTS; i++) {
            double a = sample(r);
            double b = sample(r);
            BigDecimal x = Exact.of(a);
            BigDecimal y = Exact.of(b);
            check("add", a, b, Interval::add, x.add(y));
            check("subtract", a, b, Interval::subtract, x.subtract(y));
            check("multiply", a, b, Interval::multiply, x.multiply(y));
            if (b != 0) {
                check("divide", a, b, Interval::divide, quotient(x, y));
            }
        }
    }

    /** x / y exactly when it terminates (a double divided by a power of two), else to 60 digits. */
    private static BigDecimal quotient(BigDecimal x, BigDecimal y) {
        try {
            return x.divide(y);
        } catch (ArithmeticException e) {
            return x.divide(y, Exact.MC);
        }
    }

    private static void check(String op, double a, double b, BinaryOperator<Interval> f, BigDecimal exact) {
        Interval got = f.apply(Interval.point(a), Interval.point(b));
        assertThat(got.contains(exact)).as("%s(%s, %s) = %s must hold %s", op, a, b, got, exact).isTrue();
        assertThat(got.ulps()).as("%s(%s, %s) = %s is tight", op, a, b, got).isLessThanOrEqualTo(1);
    }

    @Test
    void anExactOperationGivesAPoint() {
        assertThat(Interval.point(3).add(Interval.point(4))).isEqualTo(Interval.point(7));
        assertThat(Interval.point(1.5).multiply(Interval.point(4))).isEqualTo(Interval.point(6));
        assertThat(Interval.point(1).divide(Interval.point(4))).isEqualTo(Interval.point(0.25));
        // 1/3 is not a double: the interval is the two doubles around it
        Interval third = Interval.point(1).divide(Interval.point(3));
        assertThat(third.ulps()).isEqualTo(1);
        assertThat(third.contains(BigDecimal.ONE.divide(BigDecimal.valueOf(3), Exact.MC))).isTrue();
    }

    @Test
    void expAndExpm1EncloseTheExactValue() {
        Random r = new Random(SEED + 1);
        for (int i = 0; i < 2_000; i++) {
            double x = i % 2 == 0 ? r.nextDouble() * 80 - 40 : (r.nextBoolean() ? 1 : -1) * Math.pow(10, -r.nextDouble() * 15);
            Interval e = Interval.point(x).exp();
            Interval m = Interval.point(x).expm1();
            assertThat(e.contains(Exact.exp(Exact.of(x)))).as("exp(%s) = %s", x, e).isTrue();
            assertThat(m.contains(Exact.expm1(Exact.of(x)))).as("expm1(%s) = %s", x, m).isTrue();
            assertThat(e.ulps()).isLessThanOrEqualTo(2);
            assertThat(m.ulps()).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void operationsOnWideIntervalsEncloseEveryResult() {
        Interval a = Interval.of(-2, 3);
        Interval b = Interval.of(-5, 7);
        assertThat(a.multiply(b)).isEqualTo(Interval.of(-15, 21));
        assertThat(a.subtract(b)).isEqualTo(Interval.of(-9, 8));
        assertThat(Interval.of(1, 2).divide(Interval.of(-4, -2))).isEqualTo(Interval.of(-1, -0.25));
        assertThatThrownBy(() -> a.divide(b)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void theReciprocalOfARateThatMayBeZeroIsUnboundedAbove() {
        assertThat(Interval.of(0, 4).reciprocal()).isEqualTo(Interval.of(0.25, Double.POSITIVE_INFINITY));
        assertThat(Interval.ZERO.reciprocal()).isEqualTo(Interval.of(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY));
        assertThat(Interval.of(2, 4).reciprocal()).isEqualTo(Interval.of(0.25, 0.5));
    }

    @Test
    void aCutTailRaisesOnlyTheUpperEnd() {
        BoundedSum s = new BoundedSum().add(Interval.point(0.25)).add(Interval.point(0.5));
        assertThat(s.cut()).isFalse();
        assertThat(s.value()).isEqualTo(Interval.point(0.75));
        s.cutOff(Interval.of(0.001, 0.01));
        assertThat(s.cut()).isTrue();
        assertThat(s.value().lo()).isEqualTo(0.75);
        assertThat(s.value().hi()).isGreaterThanOrEqualTo(0.76);
    }

    @Test
    void notAnInterval() {
        assertThatThrownBy(() -> Interval.of(2, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Interval.of(Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
