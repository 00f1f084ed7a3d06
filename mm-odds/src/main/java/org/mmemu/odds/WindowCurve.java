package org.mmemu.odds;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * P(finding | t) of one kind as a step function of the offset CPU's start t, in cycles: the window
 * that {@code --html} draws (issue 22, item 6). It is built from the pieces the exact computation
 * weighs (a class's t range and its ∫ P dt over it), summed where pieces overlap; each step's value
 * encloses the mean of P over the step. Kept small for the result: adjacent steps of equal value
 * are one, and beyond {@code cap} steps neighbours are averaged (their ∫ P dt added), so the area
 * under the curve is still the enumerated part of W while the page stays a few kilobytes.
 *
 * @param steps contiguous or gapped steps in increasing t; no step has an infinite end
 */
public record WindowCurve(List<Step> steps) {
    /** No curve: the computation drew none (a stand-in, or a kind with W = 0). */
    public static final WindowCurve NONE = new WindowCurve(List.of());

    public WindowCurve {
        steps = List.copyOf(steps);
    }

    /**
     * P over [from, to) encloses {@code p} on average.
     *
     * @param from the step's lower end, cycles (inclusive)
     * @param to   the step's upper end, cycles (exclusive)
     * @param p    the mean probability of the finding for t in the step, enclosed
     */
    public record Step(double from, double to, Interval p) {
    }

    /**
     * The curve of pieces {@code {t0, t1, massLo, massHi}} (∫ P dt over [t0, t1) enclosed), at
     * most {@code cap} steps; pieces with an infinite end are left out (they carry no finding).
     */
    public static WindowCurve of(List<double[]> pieces, int cap) {
        List<double[]> finite = new ArrayList<>();
        for (double[] p : pieces) {
            if (Double.isFinite(p[0]) && Double.isFinite(p[1]) && p[1] > p[0] && p[3] > 0) {
                finite.add(p);
            }
        }
        finite.sort(Comparator.comparingDouble(p -> p[0]));
        return new WindowCurve(capped(merged(sum(finite)), Math.max(1, cap)));
    }

    /** The sum of the pieces' densities over each stretch between consecutive ends (a sweep with the pieces open). */
    private static List<Step> sum(List<double[]> sorted) {
        List<Step> out = new ArrayList<>();
        PriorityQueue<double[]> open = new PriorityQueue<>(Comparator.comparingDouble(p -> p[1]));
        int next = 0;
        double at = sorted.isEmpty() ? 0 : sorted.get(0)[0];
        while (next < sorted.size() || !open.isEmpty()) {
            if (open.isEmpty() && sorted.get(next)[0] > at) {
                at = sorted.get(next)[0];
            }
            while (next < sorted.size() && sorted.get(next)[0] <= at) {
                open.add(sorted.get(next++));
            }
            double end = open.peek()[1];
            if (next < sorted.size()) {
                end = Math.min(end, sorted.get(next)[0]);
            }
            Interval p = Interval.ZERO;
            for (double[] q : open) {
                p = p.add(Interval.of(q[2], q[3]).divide(Interval.point(q[1]).subtract(Interval.point(q[0]))));
            }
            out.add(new Step(at, end, p.asProbability()));
            at = end;
            while (!open.isEmpty() && open.peek()[1] <= at) {
                open.poll();
            }
        }
        return out;
    }

    /** Adjacent steps of equal value as one. */
    private static List<Step> merged(List<Step> steps) {
        List<Step> out = new ArrayList<>();
        for (Step s : steps) {
            Step last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last.to() == s.from() && last.p().equals(s.p())) {
                out.set(out.size() - 1, new Step(last.from(), s.to(), s.p()));
            } else {
                out.add(s);
            }
        }
        return out;
    }

    /** At most {@code cap} steps: runs of neighbours averaged by length (gaps between them count as P = 0). */
    private static List<Step> capped(List<Step> steps, int cap) {
        if (steps.size() <= cap) {
            return steps;
        }
        int per = (steps.size() + cap - 1) / cap;
        List<Step> out = new ArrayList<>();
        for (int i = 0; i < steps.size(); i += per) {
            List<Step> run = steps.subList(i, Math.min(steps.size(), i + per));
            Interval mass = Interval.ZERO;
            for (Step s : run) {
                mass = mass.add(s.p().multiply(Interval.point(s.to()).subtract(Interval.point(s.from()))));
            }
            double from = run.get(0).from();
            double to = run.get(run.size() - 1).to();
            out.add(new Step(from, to, mass.divide(Interval.point(to).subtract(Interval.point(from))).asProbability()));
        }
        return out;
    }

    /** The area under the curve, cycles: the enumerated part of W that the curve draws. */
    public Interval area() {
        Interval a = Interval.ZERO;
        for (Step s : steps) {
            a = a.add(s.p().multiply(Interval.point(s.to()).subtract(Interval.point(s.from()))));
        }
        return a;
    }
}
