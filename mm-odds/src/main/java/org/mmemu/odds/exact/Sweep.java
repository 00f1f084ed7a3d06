package org.mmemu.odds.exact;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mmemu.odds.BoundedSum;
import org.mmemu.odds.Interval;
import org.mmemu.odds.Poisson;

/**
 * The exact effective window of a two-CPU scenario under a timing profile (issue 22, item 2;
 * docs/ODDS.md, "Method"): W = ∫ P(finding | t) dt over the offset CPU's start t, enumerated as
 * classes of deterministic {@link TimedRun}s.
 *
 * <ul>
 * <li><b>No interrupt.</b> t is swept over the reals: each run tells its class [t0, t1) (its
 *     {@link Box}), the next run starts half a cycle past t1; the first and last classes are
 *     unbounded (the CPUs do not meet). A class with a finding weighs its length times the
 *     probability that no interrupt arrives in either CPU's exposure.</li>
 * <li><b>One interrupt</b>, on CPU c, delivered at c's k-th boundary with irqs on, its handler
 *     ending at u. Only the CPUs' relative start matters and W integrates over all of it, so here c
 *     itself is the CPU that starts at t (the others at 0): its clock is then t before the handler
 *     and u after, the others' constant, and a comparison of c's step with another CPU's bounds t
 *     or u alone, never both (unless a CPU waited for c's lock and took over c's clock). For each
 *     (c, k), t is swept in slabs and, at each slab's sample, u is swept over
 *     the reals; the slab is the intersection of the u-classes' t ranges, so every slab × u-class
 *     rectangle is one run's class. Its weight: the first arrival in c's exposure falls between its
 *     boundaries k−1 and k ({@link Weights#firstIn}), no further arrival anywhere, and the handler
 *     ends in the rectangle ({@link Weights#handler}), for each of c's sources by its share of
 *     c's arrivals.</li>
 * <li><b>Two or more interrupts</b> are not enumerated. Where the CPUs meet without an
 *     interrupt, each one-interrupt class adds the mass of its runs that take another
 *     ({@link MoreArrivals#after}); beyond, the handler time that could bring the CPUs
 *     together ({@link MoreArrivals#apart}); both to the upper ends only ({@link BoundedSum#cutOff}).</li>
 * </ul>
 * A box that a comparison of both t and u could not bound is counted on the upper end only. One per
 * computation, on one thread.
 */
final class Sweep {
    /** Where the sweeps start: far enough below any time of a run (half a cycle off the integers). */
    static final double START = -1e15 + 0.5;

    private final SweepSetup s;
    private final Poisson[] arrivals;
    private final SweepTotals totals = new SweepTotals();
    private final InterruptWeight weight;
    /** The bound on the runs with two or more interrupts. */
    private final MoreArrivals more;

    Sweep(SweepSetup setup) {
        this.s = setup;
        for (int c = 0; c < setup.cpus(); c++) {
            totals.byCpu.add(new TreeMap<>());
        }
        arrivals = new Poisson[setup.cpus()];
        for (int c = 0; c < setup.cpus(); c++) {
            arrivals[c] = Poisson.of(setup.profile().ratePerSecond(c), setup.profile().clockHz());
        }
        weight = new InterruptWeight(setup.profile(), arrivals);
        more = new MoreArrivals(setup, weight);
    }

    /** Runs both sweeps; stops early (and says so in the totals) at the deadline. */
    SweepTotals run() {
        noInterrupt();
        for (int c = 0; c < s.cpus() && !totals.timedOut; c++) {
            if (s.profile().sourcesOn(c).isEmpty()) {
                continue;
            }
            for (int k = 1; !totals.timedOut && oneInterrupt(c, k); k++) {
                // each boundary of c in turn, until no run reaches the k-th
            }
        }
        return totals;
    }

    private TimedRun.Result run(int offsetCpu, double t, double u, TimedRun.Plan plan) {
        totals.runs++;
        return TimedRun.run(s.program(), s.cpus(), s.costs(), offsetCpu, t, u, plan, s.maxSteps());
    }

    private boolean late() {
        if (System.nanoTime() - s.deadlineNanos() > 0) {
            totals.timedOut = true;
        }
        return totals.timedOut;
    }

    /**
     * ∫ over the class of P(no interrupt is delivered to any CPU) dt. An exposure that moves with t
     * (a CPU that waits for the other's lock) is enclosed piecewise, in pieces short enough that the
     * enclosure stays within {@link InterruptWeight#STEP} relatively.
     */
    private Interval noneWeight(TimedRun.Result r, Box clipped) {
        boolean moves = false;
        double fastest = 0;
        for (int c = 0; c < s.cpus(); c++) {
            moves |= r.exposure()[c].a() != 0;
            fastest = Math.max(fastest, arrivals[c].perCycle().hi());
        }
        int n = 1;
        if (moves && fastest > 0 && !Double.isInfinite(clipped.tLength())) {
            n = (int) Math.max(1, Math.min(InterruptWeight.MAX_PIECES,
                    Math.ceil(clipped.tLength() * fastest / InterruptWeight.STEP)));
        }
        Interval sum = Interval.ZERO;
        for (int i = 0; i < n; i++) {
            double a = i == 0 ? clipped.tLo() : clipped.tLo() + clipped.tLength() * i / n;
            double b = i == n - 1 ? clipped.tHi() : clipped.tLo() + clipped.tLength() * (i + 1) / n;
            Box piece = Box.of(a, b, clipped.uLo(), clipped.uHi(), true);
            Interval none = Interval.ONE;
            for (int c = 0; c < s.cpus(); c++) {
                none = none.multiply(Weights.none(arrivals[c], r.exposure()[c], piece));
            }
            sum = sum.add(times(length(piece), none));
        }
        return sum;
    }

    /** The first sample of a sweep over c's range: half a cycle into it, or far below every time. */
    private double first(int c) {
        return Double.isInfinite(s.from(c)) ? START : s.from(c) + 0.5;
    }

    /** Where the CPUs meet without an interrupt, {lo, hi} ({@link MoreArrivals#meeting()}). */
    double[] meeting() {
        return more.meeting();
    }

    /** The one-interrupt tasks of {@link ParallelSweep} learn where the CPUs meet from the no-interrupt sweep. */
    void meeting(double[] span) {
        more.meeting(span);
    }

    /** Only the classes without an interrupt (one task of {@link ParallelSweep}). */
    SweepTotals runNoInterrupt() {
        noInterrupt();
        return totals;
    }

    /** Only the one-interrupt classes at c's k-th boundary; whether some run reached it. */
    boolean runOneInterrupt(int c, int k) {
        return oneInterrupt(c, k);
    }

    /** What this sweep has summed so far. */
    SweepTotals totals() {
        return totals;
    }

    private void noInterrupt() {
        double t = first(s.offsetCpu());
        // every t below was counted by an earlier class: boxes are sufficient, not necessary, and
        // two runs of one class may tell boxes that overlap, so each counts from its predecessor's end
        double counted = Double.NEGATIVE_INFINITY;
        while (!late()) {
            TimedRun.Result r = run(s.offsetCpu(), t, 0.5, TimedRun.Plan.NONE);
            Box box = r.box();
            totals.noInterruptClasses++;
            Box clipped = clip(box, s.offsetCpu(), counted);
            counted = box.tHi();
            if (clipped != null) {
                Interval weight = r.run().findings().isEmpty() && box.exact() ? Interval.ZERO : noneWeight(r, clipped);
                count(r, box, weight, totals.noInterrupt);
                if (box.exact()) {
                    for (String k : kinds(r)) {
                        piece(k, clipped.tLo(), clipped.tHi(), weight);
                    }
                }
                if (!Double.isInfinite(box.tLength())) {
                    more.meet(clipped);
                } else {
                    totals.moreArrivals.cutOff(more.apart(r, box));
                }
            }
            if (box.tHi() >= s.to(s.offsetCpu())) {
                totals.meeting = more.meeting();
                return;
            }
            t = box.tHi() + 0.5;
        }
    }

    /** Sweeps (t, u) for one interrupt at c's k-th boundary; false when no run reached it. */
    private boolean oneInterrupt(int c, int k) {
        boolean reached = false;
        double from = Double.NEGATIVE_INFINITY;
        double t = first(c);
        while (!late()) {
            List<TimedRun.Result> classes = uClasses(c, k, t);
            if (totals.timedOut) {
                return false;
            }
            double to = Double.POSITIVE_INFINITY;
            for (TimedRun.Result r : classes) {
                to = Math.min(to, slabEnd(r.box(), t));
            }
            // a class's box is where its run is known to stand (sufficient, not necessary: boxes of
            // neighbours may overlap), so each class is counted from its predecessor's upper edge
            // up to its own; the slab ends where that lower edge would leave the class's box or
            // two upper edges would cross
            int n = classes.size();
            for (int i = 1; i < n; i++) {
                Weights.Edge prev = high(classes.get(i - 1).box(), t);
                to = Math.min(to, crossing(prev, low(classes.get(i).box(), t), t));
                to = Math.min(to, crossing(prev, high(classes.get(i).box(), t), t));
            }
            double a = Math.max(from, s.from(c));
            double b = Math.min(to, s.to(c));
            Map<String, Interval> slab = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                TimedRun.Result r = classes.get(i);
                if (r.delivered()) {
                    reached = true;
                    totals.interruptClasses++;
                }
                if (r.delivered() && b > a) {
                    Weights.Edge lowEdge = i == 0 ? low(r.box(), t) : high(classes.get(i - 1).box(), t);
                    boolean exact = r.box().exact();
                    totals.moreArrivals.cutOff(more.after(c, r, a, b, lowEdge, high(r.box(), t), exact));
                    if (!exact || !r.run().findings().isEmpty()) {
                        Interval w = weight.of(c, r, a, b, lowEdge, high(r.box(), t), exact);
                        count(r, r.box(), w, totals.byCpu.get(c));
                        if (exact) {
                            kinds(r).forEach(kind -> slab.merge(kind, w, Interval::add));
                            if (w.hi() > 0) {
                                totals.findingWindow(c, r, t, lowEdge);
                            }
                        }
                    }
                }
            }
            // in the offset CPU's start: the same slab for it, mirrored for the other (c starts at t, the offset CPU at 0)
            for (Map.Entry<String, Interval> e : slab.entrySet()) {
                if (c == s.offsetCpu()) {
                    piece(e.getKey(), a, b, e.getValue());
                } else {
                    piece(e.getKey(), -b, -a, e.getValue());
                }
            }
            if (c == s.releaser() && b > a) {
                chain(classes, a, b);
            }
            if (to >= s.to(c)) {
                return reached;
            }
            from = to;
            t = to + 0.5;
        }
        return false;
    }

    /**
     * The classes of u at the slab's sample t, from u = −∞ up: samples sit a quarter cycle past
     * each class's end, so they never fall on a breakpoint (integers in u, and t − integer, a half
     * integer, on a diagonal).
     */
    private List<TimedRun.Result> uClasses(int c, int k, double t) {
        List<TimedRun.Result> classes = new ArrayList<>();
        double u = START - 0.25;
        while (!late()) {
            TimedRun.Result r = run(c, t, u, TimedRun.Plan.deliverAt(c, k));
            classes.add(r);
            double end = r.box().uTo(t);
            if (end == Double.POSITIVE_INFINITY) {
                break;
            }
            u = end + 0.25;
        }
        return classes;
    }

    /**
     * Where the slab that starts below {@code t} must end for this class: its own t range, and the
     * points where a side of it changes from horizontal to diagonal (all breakpoints are integers).
     */
    private static double slabEnd(Box b, double t) {
        double end = b.tHi();
        double lowSwitch = b.uLo() + b.vHi();
        double highSwitch = b.uHi() + b.vLo();
        if (!Double.isNaN(lowSwitch) && !Double.isInfinite(lowSwitch) && lowSwitch > t) {
            end = Math.min(end, lowSwitch);
        }
        if (!Double.isNaN(highSwitch) && !Double.isInfinite(highSwitch) && highSwitch > t) {
            end = Math.min(end, highSwitch);
        }
        return end;
    }

    /** Where above {@code t} the edges cross (+∞ if they are parallel or crossed below t). */
    private static double crossing(Weights.Edge a, Weights.Edge b, double t) {
        if (a.diagonal() == b.diagonal() || Double.isInfinite(a.x()) || Double.isInfinite(b.x())) {
            return Double.POSITIVE_INFINITY;
        }
        double at = a.diagonal() ? b.x() + a.x() : a.x() + b.x();   // t − v = x  ⇔  t = x + v
        return at > t ? at : Double.POSITIVE_INFINITY;
    }

    private static Weights.Edge low(Box b, double t) {
        return b.uLo() >= t - b.vHi() ? new Weights.Edge(b.uLo(), false) : new Weights.Edge(b.vHi(), true);
    }

    private static Weights.Edge high(Box b, double t) {
        return b.uHi() <= t - b.vLo() ? new Weights.Edge(b.uHi(), false) : new Weights.Edge(b.vLo(), true);
    }

    /**
     * Records, per kind found in the slab [t0, t1) of the releaser's start (its interrupt's slab), the
     * slab as window 1 and its arrival weight as window 2.
     */
    private void chain(List<TimedRun.Result> classes, double t0, double t1) {
        if (Double.isInfinite(t1 - t0)) {
            return;
        }
        Box slab = Box.of(t0, t1, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, true);
        Set<String> seen = new TreeSet<>();
        for (TimedRun.Result r : classes) {
            if (!r.delivered() || !r.box().exact()) {
                continue;
            }
            for (String kind : kinds(r)) {
                if (seen.add(kind)) {
                    totals.windowOne.computeIfAbsent(kind, x -> new ArrayList<>()).add(new double[] {t0, t1});
                    Interval first = Weights.firstIn(arrivals[s.releaser()], r.windowFrom(), r.windowTo(), slab);
                    totals.windowTwo.computeIfAbsent(kind, x -> new BoundedSum()).add(times(length(slab), first));
                }
            }
        }
    }

    /** Records ∫P dt = {@code mass} over the offset CPU's [t0, t1) for {@code kind}'s curve, if finite and not 0. */
    private void piece(String kind, double t0, double t1, Interval mass) {
        if (Double.isFinite(t0) && Double.isFinite(t1) && t1 > t0 && mass.hi() > 0 && Double.isFinite(mass.hi())) {
            totals.curve.computeIfAbsent(kind, x -> new ArrayList<>()).add(new double[] {t0, t1, mass.lo(), mass.hi()});
        }
    }

    private static List<String> kinds(TimedRun.Result r) {
        return r.run().findings().stream().map(f -> f.kind().id()).distinct().toList();
    }

    /** Adds a class's weight to the kinds its run found (to the unknown mass if the box is not exact). */
    private void count(TimedRun.Result r, Box box, Interval weight, Map<String, BoundedSum> part) {
        if (weight.hi() == 0) {
            return;
        }
        if (!box.exact()) {
            totals.inexact++;
            totals.unknown.cutOff(weight);
            return;
        }
        for (String k : kinds(r)) {
            totals.windows.computeIfAbsent(k, x -> new BoundedSum()).add(weight);
            part.computeIfAbsent(k, x -> new BoundedSum()).add(weight);
        }
    }

    /**
     * The box with its t range cut to the setup's range for CPU c's parametrization and to t at or
     * above {@code counted}, or null if nothing is left.
     */
    private Box clip(Box box, int c, double counted) {
        double a = Math.max(Math.max(box.tLo(), counted), s.from(c));
        double b = Math.min(box.tHi(), s.to(c));
        return b > a ? Box.of(a, b, box.uLo(), box.uHi(), box.exact()) : null;
    }

    private static Interval length(Box box) {
        double l = box.tLength();
        return Double.isInfinite(l) ? Interval.of(0, Double.POSITIVE_INFINITY)
                : Interval.point(box.tHi()).subtract(Interval.point(box.tLo()));
    }

    /** a · b for non-negative intervals, with 0 · ∞ = 0 (an unbounded length of no probability weighs nothing). */
    static Interval times(Interval a, Interval b) {
        if (a.hi() == 0 || b.hi() == 0) {
            return Interval.ZERO;
        }
        if (Double.isInfinite(a.hi()) || Double.isInfinite(b.hi())) {
            double lo = a.lo() <= 0 || b.lo() <= 0 ? 0 : Math.nextDown(a.lo() * b.lo());
            return Interval.of(Math.max(0, lo), Double.POSITIVE_INFINITY);
        }
        return a.multiply(b);
    }
}
