package org.mmemu.odds.exact;

import org.mmemu.odds.HandlerDuration;
import org.mmemu.odds.Interval;
import org.mmemu.odds.Poisson;

/**
 * The probability weights of one class of the timed model, each an {@link Interval} that encloses
 * the exact value (docs/ODDS.md, "Method"). A factor that varies over a class's box (an exposure
 * whose length moves with t) is enclosed by its values at the box's ends, which is sound because
 * every factor is monotone in the length it depends on and all factors are non-negative.
 */
final class Weights {
    private static final Interval INF = Interval.of(0, Double.POSITIVE_INFINITY);

    private Weights() {
    }

    /** P(no arrival of {@code p} in an exposure of {@code e} cycles), for e anywhere in [min, max] over the box. */
    static Interval none(Poisson p, Form e, Box box) {
        double lo = Math.max(0, e.min(box));
        double hi = Math.max(0, e.max(box));
        double low = Double.isInfinite(hi) ? 0 : p.exactly(0, hi).lo();
        double high = Double.isInfinite(lo) ? 0 : p.exactly(0, lo).hi();
        return Interval.of(Math.min(low, high), high);
    }

    /** P(the first arrival of {@code p} falls in (from, to]) of the exposure, over the box. */
    static Interval firstIn(Poisson p, Form from, Form to, Box box) {
        double fLo = Math.max(0, from.min(box));
        double fHi = Math.max(0, from.max(box));
        double tLo = Math.max(0, to.min(box));
        double tHi = Math.max(0, to.max(box));
        double high = Double.isInfinite(fLo) ? 0 : Double.isInfinite(tHi) ? p.exactly(0, fLo).hi()
                : p.firstIn(fLo, tHi).hi();
        double low = Double.isInfinite(fHi) || Double.isInfinite(tLo) || tLo <= fHi ? 0 : p.firstIn(fHi, tLo).lo();
        return Interval.of(Math.min(low, high), high);
    }

    /**
     * One side of a class at a given t: the line u = x (horizontal) or u = t − x (diagonal, x a bound
     * on t − u). x may be ±∞ for a horizontal edge.
     */
    record Edge(double x, boolean diagonal) {
        /** u on this edge at {@code t}. */
        double at(double t) {
            return diagonal ? t - x : x;
        }
    }

    /**
     * ∫ over t in [t0, t1) of P(the handler, begun at {@code begin(t)}, ends at a u between the
     * edges {@code low(t)} and {@code high(t)}) dt, for durations {@code d}. The handler takes its
     * duration plus {@link TimedRun#ENTRY}. With y(t) = edge(t) − begin(t) = y0 + s·t, s in {−1, 0, 1},
     * the integral of the tail F̄ is a length times a tail when s = 0 and a difference of
     * {@link HandlerDuration#excess} values otherwise. +∞ when the region is unbounded where the
     * integrand is not 0.
     */
    static Interval handler(HandlerDuration d, Form begin, double t0, double t1, Edge low, Edge high) {
        double beta = begin.c() + TimedRun.ENTRY;
        int aB = begin.a();
        if (!high.diagonal() && high.x() == Double.NEGATIVE_INFINITY) {
            return Interval.ZERO;
        }
        // where the high edge is before the handler could end (y ≤ 0), the integrand is 0
        if (high.diagonal() || !Double.isInfinite(high.x())) {
            double y0 = high.diagonal() ? -high.x() - beta : high.x() - beta;
            int sl = high.diagonal() ? 1 - aB : -aB;
            if (sl < 0) {
                t1 = Math.min(t1, y0);
            } else if (sl > 0) {
                t0 = Math.max(t0, -y0);
            } else if (y0 <= 0) {
                return Interval.ZERO;
            }
        }
        if (t1 <= t0) {
            return Interval.ZERO;
        }
        Interval w = term(d, low, beta, aB, t0, t1);
        Interval h = term(d, high, beta, aB, t0, t1);
        if (Double.isInfinite(w.hi())) {
            return INF;
        }
        w = w.subtract(h);
        return Interval.of(Math.max(0, w.lo()), Math.max(0, w.hi()));
    }

    /** ∫_{t0}^{t1} F̄(edge(t) − β − aB·t) dt. */
    private static Interval term(HandlerDuration d, Edge e, double beta, int aB, double t0, double t1) {
        if (!e.diagonal() && Double.isInfinite(e.x())) {
            if (e.x() > 0) {
                return Interval.ZERO;
            }
            return Double.isInfinite(t1 - t0) ? INF : Interval.point(t1).subtract(Interval.point(t0));
        }
        double y0 = e.diagonal() ? -e.x() - beta : e.x() - beta;
        int sl = e.diagonal() ? 1 - aB : -aB;
        if (sl == 0) {
            Interval p = d.tail(y0);
            if (p.hi() == 0) {
                return Interval.ZERO;
            }
            return Double.isInfinite(t1 - t0) ? INF : p.multiply(Interval.point(t1).subtract(Interval.point(t0)));
        }
        if (sl < 0) {
            // ∫ F̄(y0 − t) dt = G(y0 − t1) − G(y0 − t0)
            if (Double.isInfinite(t1)) {
                return INF;
            }
            Interval g = d.excess(y0 - t1);
            return Double.isInfinite(t0) ? g : g.subtract(d.excess(y0 - t0));
        }
        // ∫ F̄(y0 + t) dt = G(y0 + t0) − G(y0 + t1)
        if (Double.isInfinite(t0)) {
            return INF;
        }
        Interval g = d.excess(y0 + t0);
        return Double.isInfinite(t1) ? g : g.subtract(d.excess(y0 + t1));
    }
}
