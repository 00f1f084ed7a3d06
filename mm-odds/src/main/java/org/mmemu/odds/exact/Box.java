package org.mmemu.odds.exact;

/**
 * The class of one timed run: the rectangle of (t, u) around the run's sample point in which
 * every comparison the run made (the order of two CPUs' steps on one target, whether a waiting
 * CPU's clock is behind the holder's) comes out as it did at the sample. In it the run is the
 * same run, its times the same {@link Form}s; so its outcome is constant there.
 *
 * <p>A comparison that involves both t and u (possible only when a CPU took over another's clock by
 * waiting for its lock) bounds t − u: the class is the rectangle cut by two diagonals. A sample on a
 * breakpoint (which the sweeps' choice of samples avoids) marks the box {@link #exact() inexact},
 * and the computation counts such a box's weight on the upper end only.
 * Built by {@link TimedRun} while the run goes, then frozen; not shared between threads.
 */
public final class Box {
    private final double t;
    private final double u;
    private double tLo = Double.NEGATIVE_INFINITY;
    private double tHi = Double.POSITIVE_INFINITY;
    private double uLo = Double.NEGATIVE_INFINITY;
    private double uHi = Double.POSITIVE_INFINITY;
    private double vLo = Double.NEGATIVE_INFINITY;
    private double vHi = Double.POSITIVE_INFINITY;
    private boolean exact = true;

    /** The box of the run at ({@code t}, {@code u}), as yet unbounded. */
    Box(double t, double u) {
        this.t = t;
        this.u = u;
    }

    /** The rectangle [tLo, tHi) × [uLo, uHi), exact or not: a class put together from runs' boxes. */
    static Box of(double tLo, double tHi, double uLo, double uHi, boolean exact) {
        Box b = new Box(tLo, uLo);
        b.tLo = tLo;
        b.tHi = tHi;
        b.uLo = uLo;
        b.uHi = uHi;
        b.exact = exact;
        return b;
    }

    /** Records that {@code x} compared as it does at the sample point with {@code y}. */
    void keep(Form x, Form y) {
        Form d = x.minus(y);
        if (d.a() == 0 && d.b() == 0) {
            return;
        }
        if (d.a() != 0 && d.b() != 0 && d.a() != -d.b()) {
            exact = false;
            return;
        }
        double v = d.at(t, u);
        if (v == 0) {
            exact = false;    // the sample lies on a breakpoint: its class has measure zero
            return;
        }
        // d = c + k·p with k = ±1 keeps its sign for p on the sample's side of −c/k (p is t, u or t − u)
        int k = d.a() != 0 ? d.a() : d.b();
        double edge = -d.c() / k;
        boolean above = (v > 0) == (k > 0);   // p > edge keeps the sign
        if (d.a() != 0 && d.b() != 0) {
            // c + k·(t − u): a bound on v = t − u
            if (above) {
                vLo = Math.max(vLo, edge);
            } else {
                vHi = Math.min(vHi, edge);
            }
        } else if (d.a() != 0) {
            if (above) {
                tLo = Math.max(tLo, edge);
            } else {
                tHi = Math.min(tHi, edge);
            }
        } else if (above) {
            uLo = Math.max(uLo, edge);
        } else {
            uHi = Math.min(uHi, edge);
        }
    }

    /** Marks the box as not a class of its own (its run cannot be trusted to stand for it). */
    void inexact() {
        exact = false;
    }

    public double tLo() {
        return tLo;
    }

    public double tHi() {
        return tHi;
    }

    public double uLo() {
        return uLo;
    }

    public double uHi() {
        return uHi;
    }

    /** The least t − u of the class (−∞ when no comparison bounded it). */
    public double vLo() {
        return vLo;
    }

    /** The greatest t − u of the class. */
    public double vHi() {
        return vHi;
    }

    /** The u range of the class at {@code t}: [max(uLo, t − vHi), min(uHi, t − vLo)). */
    double uFrom(double t) {
        return Math.max(uLo, t - vHi);
    }

    /** See {@link #uFrom}. */
    double uTo(double t) {
        return Math.min(uHi, t - vLo);
    }

    /** Whether every comparison bounded the rectangle: the run stands for every point of it. */
    public boolean exact() {
        return exact;
    }

    /** The length of the t range (may be +∞). */
    public double tLength() {
        return tHi - tLo;
    }

    @Override
    public String toString() {
        return "t in [" + tLo + ", " + tHi + "), u in [" + uLo + ", " + uHi + "), t - u in [" + vLo + ", " + vHi + ")"
                + (exact ? "" : " inexact");
    }
}
