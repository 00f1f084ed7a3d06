package org.mmemu.odds.exact;

/**
 * A time in cycles as an affine function of the two free parameters of one timed run:
 * {@code c + a·t + b·u}, where t is the offset CPU's start and u the time the one interrupt's
 * handler ends (see {@link TimedRun}). A CPU's clock starts as {@code t} (the offset CPU) or
 * {@code 0}, grows by constant step costs, becomes {@code u} when its handler returns, and takes
 * another CPU's form when it waits for that CPU's lock; so a and b are 0 or 1, and a difference
 * of two times has coefficients in {−1, 0, 1}. Keeping the times symbolic is what lets one run
 * tell the whole class of (t, u) in which every comparison it made comes out the same.
 *
 * @param c the constant part, in cycles (an integer, a sum of step costs, in the exact computation)
 * @param a the coefficient of t
 * @param b the coefficient of u
 */
public record Form(double c, int a, int b) {
    /** The constant {@code 0}. */
    public static final Form ZERO = new Form(0, 0, 0);
    /** {@code t}. */
    public static final Form T = new Form(0, 1, 0);
    /** {@code u}. */
    public static final Form U = new Form(0, 0, 1);

    /** This plus {@code cycles}. */
    public Form plus(double cycles) {
        return cycles == 0 ? this : new Form(c + cycles, a, b);
    }

    /** This plus {@code o}. */
    public Form plus(Form o) {
        return new Form(c + o.c, a + o.a, b + o.b);
    }

    /** This minus {@code o}. */
    public Form minus(Form o) {
        return new Form(c - o.c, a - o.a, b - o.b);
    }

    /** The value at ({@code t}, {@code u}); a zero coefficient ignores its parameter (which may be infinite). */
    public double at(double t, double u) {
        double v = c;
        if (a != 0) {
            v += a * t;
        }
        if (b != 0) {
            v += b * u;
        }
        return v;
    }

    /** The least value over the box's (t, u) ranges; may be −∞. */
    public double min(Box box) {
        return c + (a > 0 ? a * box.tLo() : a < 0 ? a * box.tHi() : 0) + (b > 0 ? b * box.uLo() : b < 0 ? b * box.uHi() : 0);
    }

    /** The greatest value over the box's (t, u) ranges; may be +∞. */
    public double max(Box box) {
        return c + (a > 0 ? a * box.tHi() : a < 0 ? a * box.tLo() : 0) + (b > 0 ? b * box.uHi() : b < 0 ? b * box.uLo() : 0);
    }
}
