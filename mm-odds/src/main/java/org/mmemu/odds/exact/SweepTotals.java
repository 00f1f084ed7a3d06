package org.mmemu.odds.exact;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mmemu.odds.BoundedSum;

/**
 * The sums and counts of one {@link Sweep}, or of several merged ({@link ParallelSweep}): per
 * finding kind the effective window and its parts (no interrupt, one interrupt per CPU, the
 * footnote's windows), the cut-off masses, the curve's pieces, and how many runs and classes
 * made them.
 */
final class SweepTotals {
    /** Per kind, its effective window W: every class whose run found it, by its weight. */
    final Map<String, BoundedSum> windows = new TreeMap<>();
    /** The weight of classes whose box was not exact: added to every upper end. */
    final BoundedSum unknown = new BoundedSum();
    /** The mass of runs with more interrupts than enumerated: added to every upper end. */
    final BoundedSum moreArrivals = new BoundedSum();
    /** Per CPU, the part of each kind's W from runs with one interrupt on that CPU. */
    final List<Map<String, BoundedSum>> byCpu = new ArrayList<>();
    /** The part of each kind's W from runs without an interrupt. */
    final Map<String, BoundedSum> noInterrupt = new TreeMap<>();
    /** Per kind, the t ranges (start of CPU 0) where one interrupt on CPU 0 can make it: the chain's window 1. */
    final Map<String, List<double[]>> windowOne = new TreeMap<>();
    /** Per kind, Σ over those slabs and boundaries of length × P(first arrival there): window 2's share. */
    final Map<String, BoundedSum> windowTwo = new TreeMap<>();
    /**
     * Per kind, pieces {t0, t1, ∫P dt lo, hi} of the offset CPU's start t (the others at 0) from
     * the exact classes: what {@link org.mmemu.odds.WindowCurve} draws. One per no-interrupt
     * class and one per one-interrupt slab (its u-classes summed), so a few per class at most.
     */
    final Map<String, List<double[]>> curve = new TreeMap<>();
    /**
     * Where one interrupt makes a finding, for the importance sampler ({@link ImportanceSampling}):
     * per (CPU, exposure window) the shortest handler seen to make one there, {c, from, to, shortest}.
     */
    final Map<List<Double>, double[]> findingWindows = new TreeMap<>(SweepTotals::compare);
    /** Where the CPUs meet without an interrupt, {lo, hi} in the offset CPU's start (empty: lo > hi). */
    double[] meeting = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};

    /**
     * Records for the importance sampler where a one-interrupt finding class's interrupt arrives
     * (c's exposure window) and the shortest handler that makes it at the slab's sample t (the
     * class's lower edge); c starts at t, its handler at the delivery.
     */
    void findingWindow(int c, TimedRun.Result r, double t, Weights.Edge low) {
        double u = low.at(t);
        if (Double.isFinite(u)) {
            double start = t + r.windowTo().at(t, u);
            findingWindow(c, r.windowFrom().at(t, u), r.windowTo().at(t, u), Math.max(0, u - start - TimedRun.ENTRY));
        }
    }

    /** Records that a handler of {@code shortest} cycles on c, delivered in exposure (from, to], makes a finding. */
    private void findingWindow(int c, double from, double to, double shortest) {
        findingWindows.merge(List.of((double) c, from, to), new double[] {c, from, to, shortest},
                (x, y) -> x[3] <= y[3] ? x : y);
    }

    private static int compare(List<Double> a, List<Double> b) {
        for (int i = 0; i < a.size(); i++) {
            int d = Double.compare(a.get(i), b.get(i));
            if (d != 0) {
                return d;
            }
        }
        return 0;
    }

    /** Adds {@code o}'s sums and counts to these (an added part's cut-off mass stays on the upper end). */
    void merge(SweepTotals o) {
        o.windows.forEach((k, v) -> windows.computeIfAbsent(k, x -> new BoundedSum()).add(v.value()));
        unknown.cutOff(o.unknown.value());
        moreArrivals.cutOff(o.moreArrivals.value());
        for (int c = 0; c < o.byCpu.size(); c++) {
            while (byCpu.size() <= c) {
                byCpu.add(new TreeMap<>());
            }
            Map<String, BoundedSum> mine = byCpu.get(c);
            o.byCpu.get(c).forEach((k, v) -> mine.computeIfAbsent(k, x -> new BoundedSum()).add(v.value()));
        }
        o.noInterrupt.forEach((k, v) -> noInterrupt.computeIfAbsent(k, x -> new BoundedSum()).add(v.value()));
        o.windowOne.forEach((k, v) -> windowOne.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        o.windowTwo.forEach((k, v) -> windowTwo.computeIfAbsent(k, x -> new BoundedSum()).add(v.value()));
        o.curve.forEach((k, v) -> curve.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        o.findingWindows.values().forEach(w -> findingWindow((int) w[0], w[1], w[2], w[3]));
        meeting = new double[] {Math.min(meeting[0], o.meeting[0]), Math.max(meeting[1], o.meeting[1])};
        runs += o.runs;
        noInterruptClasses += o.noInterruptClasses;
        interruptClasses += o.interruptClasses;
        inexact += o.inexact;
        timedOut |= o.timedOut;
    }

    long runs;
    long noInterruptClasses;
    long interruptClasses;
    long inexact;
    boolean timedOut;
}
