package org.mmemu.odds.exact;

import java.util.List;
import org.mmemu.odds.Interval;
import org.mmemu.odds.Poisson;
import org.mmemu.odds.TimingProfile;

/**
 * The weight of one class of the one-interrupt sweep: the region of a slab [t0, t1) between two
 * edges in u, for a run with one interrupt on CPU c (c starting at t). It is
 * <pre>  P(first arrival in c's exposure between its boundaries k−1 and k)
 *   × P(no further arrival on c) × P(no arrival on the other CPUs)
 *   × Σ over c's sources (share of c's arrivals) ∫∫ P(the handler ends at u) du dt</pre>
 * The arrival factors depend on exposures that may move with t or u across the class (a CPU that
 * waits for a lock after the handler waits less the later the handler ends); each is enclosed by
 * its values at the ends of the range, so a class is cut into pieces short enough that the
 * enclosure stays within a relative {@link #STEP} (a piece of δ cycles changes e^{−λx} by at most
 * λδ). Stateless apart from its inputs.
 */
final class InterruptWeight {
    /** The most a factor may change across one piece, relatively: keeps W's interval well within 1%. */
    static final double STEP = 2e-4;
    /** The most pieces one class is cut into. */
    static final int MAX_PIECES = 256;

    private final TimingProfile profile;
    private final Poisson[] arrivals;
    private final double fastest;

    InterruptWeight(TimingProfile profile, Poisson[] arrivals) {
        this.profile = profile;
        this.arrivals = arrivals.clone();
        double f = 0;
        for (Poisson p : arrivals) {
            f = Math.max(f, p.perCycle().hi());
        }
        this.fastest = f;
    }

    /** The weight of run {@code r}'s class over [t0, t1) between {@code low} and {@code high}; exact or its hull. */
    Interval of(int c, TimedRun.Result r, double t0, double t1, Weights.Edge low, Weights.Edge high, boolean exact) {
        return sum(c, r, t0, t1, low, high, exact, false);
    }

    /**
     * The mass of the runs whose first interrupt is this class's and that take at least one more,
     * over [t0, t1) between {@code low} and {@code high}, in the same pieces as {@link #of}. Such a
     * run is this class's run until its second arrival, so "at least one more" is exactly "an
     * arrival within that run's exposures after the first": one minus the factor {@link #of} weighs
     * the class with.
     */
    Interval more(int c, TimedRun.Result r, double t0, double t1, Weights.Edge low, Weights.Edge high, boolean exact) {
        return sum(c, r, t0, t1, low, high, exact, true);
    }

    private Interval sum(int c, TimedRun.Result r, double t0, double t1, Weights.Edge low, Weights.Edge high,
            boolean exact, boolean more) {
        double uMin = Math.min(low.at(t0), low.at(t1));
        double uMax = Math.max(high.at(t0), high.at(t1));
        if (Double.isNaN(uMin) || Double.isInfinite(t0) && low.diagonal()) {
            uMin = Double.NEGATIVE_INFINITY;
        }
        if (Double.isNaN(uMax) || Double.isInfinite(t1) && high.diagonal()) {
            uMax = Double.POSITIVE_INFINITY;
        }
        if (!exact) {
            return piece(c, r, t0, t1, new Weights.Edge(uMin, false), new Weights.Edge(uMax, false), more);
        }
        List<Form> moving = List.of(r.windowFrom(), r.windowTo(), r.after(), r.exposure()[0],
                r.exposure()[r.exposure().length - 1]);
        boolean byT = moving.stream().anyMatch(f -> f.a() != 0) && !Double.isInfinite(t1 - t0);
        boolean byU = moving.stream().anyMatch(f -> f.b() != 0) && !Double.isInfinite(uMax - uMin)
                && !low.diagonal() && !high.diagonal();
        double delta = fastest > 0 ? STEP / fastest : Double.POSITIVE_INFINITY;
        int nt = byT ? pieces(t1 - t0, delta) : 1;
        int nu = byU ? pieces(uMax - uMin, delta) : 1;
        Interval sum = Interval.ZERO;
        for (int i = 0; i < nt; i++) {
            double a = nt == 1 ? t0 : cut(t0, t1, i, nt);
            double b = nt == 1 ? t1 : cut(t0, t1, i + 1, nt);
            for (int j = 0; j < nu; j++) {
                Weights.Edge lo = nu == 1 ? low : new Weights.Edge(cut(uMin, uMax, j, nu), false);
                Weights.Edge hi = nu == 1 ? high : new Weights.Edge(cut(uMin, uMax, j + 1, nu), false);
                sum = sum.add(piece(c, r, a, b, lo, hi, more));
            }
        }
        return sum;
    }

    private static int pieces(double width, double delta) {
        return (int) Math.max(1, Math.min(MAX_PIECES, Math.ceil(width / delta)));
    }

    /** The i-th of n cut points of [a, b]; the ends exactly. */
    private static double cut(double a, double b, int i, int n) {
        return i == 0 ? a : i == n ? b : a + (b - a) * i / n;
    }

    /** One piece: the class's weight, or ({@code more}) that of its runs with another interrupt. */
    private Interval piece(int c, TimedRun.Result r, double t0, double t1, Weights.Edge low, Weights.Edge high,
            boolean more) {
        Box hull = hull(t0, t1, low, high);
        Interval none = none(c, r, hull);
        if (more) {
            Interval another = Interval.ONE.subtract(none);
            none = Interval.of(Math.max(0, another.lo()), another.hi());
        }
        Interval p = first(c, r, hull).multiply(none);
        return p.hi() == 0 ? Interval.ZERO : Sweep.times(handler(c, r, t0, t1, low, high), p);
    }

    private static Box hull(double t0, double t1, Weights.Edge low, Weights.Edge high) {
        double uMin = Math.min(low.at(t0), low.at(t1));
        double uMax = Math.max(high.at(t0), high.at(t1));
        return Box.of(t0, t1, Double.isNaN(uMin) ? Double.NEGATIVE_INFINITY : uMin,
                Double.isNaN(uMax) ? Double.POSITIVE_INFINITY : uMax, true);
    }

    /** Σ over c's sources, by their share of its arrivals, of ∫∫ P(the handler ends at u) du dt over the region. */
    private Interval handler(int c, TimedRun.Result r, double t0, double t1, Weights.Edge low, Weights.Edge high) {
        Form begin = Form.T.plus(r.windowTo());
        double rate = profile.ratePerSecond(c);
        Interval handler = Interval.ZERO;
        for (TimingProfile.InterruptSource src : profile.sourcesOn(c)) {
            Interval share = Interval.point(src.ratePerSecond()).divide(Interval.point(rate));
            handler = handler.add(Sweep.times(Weights.handler(src.duration(), begin, t0, t1, low, high), share));
        }
        return handler;
    }

    /** The first arrival in c's exposure falls between its boundaries k−1 and k. */
    private Interval first(int c, TimedRun.Result r, Box rect) {
        return Weights.firstIn(arrivals[c], r.windowFrom(), r.windowTo(), rect);
    }

    /** No arrival after the first on c, and none on the other CPUs, in the class's run. */
    private Interval none(int c, TimedRun.Result r, Box rect) {
        Interval moreHigh = Weights.none(arrivals[c], r.after(), rect);
        Interval moreLow = Weights.none(arrivals[c], r.after().plus(r.windowTo().minus(r.windowFrom())), rect);
        Interval p = Interval.of(moreLow.lo(), moreHigh.hi());
        for (int o = 0; o < arrivals.length; o++) {
            if (o != c) {
                p = p.multiply(Weights.none(arrivals[o], r.exposure()[o], rect));
            }
        }
        return p;
    }
}
