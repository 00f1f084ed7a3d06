package org.mmemu.odds.exact;

import org.mmemu.odds.Interval;
import org.mmemu.odds.TimingProfile;

/**
 * The bound on the runs with two or more interrupts, which the {@link Sweep} does not enumerate
 * (docs/ODDS.md, "Method"): where the CPUs meet without an interrupt, each one-interrupt class's
 * runs that take another ({@link #after}); beyond, the handler time that could bring the CPUs
 * together ({@link #apart}). Both go to the upper ends only.
 *
 * <p>Where the CPUs meet is learned from the no-interrupt sweep ({@link #meet}), in the offset
 * CPU's start: from the lowest to the highest bounded no-interrupt class (empty until that sweep
 * has run, or if they never meet).
 */
final class MoreArrivals {
    private final SweepSetup s;
    private final InterruptWeight weight;
    private double meetLo = Double.POSITIVE_INFINITY;
    private double meetHi = Double.NEGATIVE_INFINITY;

    MoreArrivals(SweepSetup setup, InterruptWeight weight) {
        this.s = setup;
        this.weight = weight;
    }

    /** A bounded no-interrupt class (cut to the setup's range): the CPUs meet over its offsets. */
    void meet(Box clipped) {
        meetLo = Math.min(meetLo, clipped.tLo());
        meetHi = Math.max(meetHi, clipped.tHi());
    }

    /** Where the CPUs meet without an interrupt, {lo, hi}. */
    double[] meeting() {
        return new double[] {meetLo, meetHi};
    }

    /** Takes over where the CPUs meet, as another sweep's no-interrupt pass found it. */
    void meeting(double[] span) {
        meetLo = span[0];
        meetHi = span[1];
    }

    /**
     * The runs whose first interrupt is this class's and that take another, where the CPUs meet
     * without an interrupt (c's start t; mirrored for the CPU that does not start at t): to the
     * upper ends ({@link InterruptWeight#more}). Every run with two or more interrupts there has a
     * first one, on some CPU at some boundary, and is that class's run until its second.
     */
    Interval after(int c, TimedRun.Result r, double a, double b, Weights.Edge low, Weights.Edge high, boolean exact) {
        double lo = c == s.offsetCpu() ? Math.max(a, meetLo) : Math.max(a, -meetHi);
        double hi = c == s.offsetCpu() ? Math.min(b, meetHi) : Math.min(b, -meetLo);
        return hi > lo ? weight.more(c, r, lo, hi, low, high, exact) : Interval.ZERO;
    }

    /**
     * An unbounded class of the no-interrupt sweep: at these offsets the CPUs do not meet without
     * an interrupt, but handlers on the CPU that runs first can delay it into the other. Where t is
     * g cycles past the class's edge, that takes handlers of g cycles or more before it meets the
     * other (each of its steps is late by at most its handlers so far, so until then it stands where
     * the run g cycles nearer the edge stands, which does not meet either; the other CPU's handlers
     * only make it later). So ∫ P(they meet) dt over the class is at most ∫₀^∞ P(H ≥ g) dg = E[H],
     * H the handler time of the arrivals in its exposure: λ·T·(E[D] + {@link TimedRun#ENTRY}) summed
     * over its sources. For the upper ends, whole (it covers the runs with one interrupt there
     * too, which the one-interrupt sweep counts exactly: wider, never wrong).
     */
    Interval apart(TimedRun.Result r, Box box) {
        boolean below = box.tLo() == Double.NEGATIVE_INFINITY;
        boolean above = box.tHi() == Double.POSITIVE_INFINITY;
        Interval sum = Interval.ZERO;
        for (int c = 0; c < s.cpus(); c++) {
            // below the first edge the offset CPU starts early and runs first; above the last, the other
            boolean first = c == s.offsetCpu() ? below : above;
            if (!first) {
                continue;
            }
            double exposure = r.exposure()[c].max(box);
            Interval time = Interval.ZERO;
            for (TimingProfile.InterruptSource src : s.profile().sourcesOn(c)) {
                Interval arrivalsIn = Interval.point(src.ratePerSecond()).divide(Interval.point(s.profile().clockHz()))
                        .multiply(Interval.point(Math.max(0, exposure)));
                time = time.add(arrivalsIn.multiply(src.duration().mean().add(Interval.point(TimedRun.ENTRY))));
            }
            sum = sum.add(Double.isInfinite(exposure) ? Interval.of(0, Double.POSITIVE_INFINITY) : time);
        }
        return sum;
    }
}
