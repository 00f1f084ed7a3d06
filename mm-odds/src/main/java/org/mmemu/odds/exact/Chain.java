package org.mmemu.odds.exact;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mmemu.odds.BoundedSum;
import org.mmemu.odds.Interval;
import org.mmemu.odds.TimingProfile;

/**
 * The seed mail's footnote as factors (issue 22, item 3), read off the sweep: the part of the double
 * free's W that comes from one interrupt on the releaser (the first CPU whose program releases a
 * page, whichever CPU starts at t) is W₀ = W1 · P2 · P3, with
 * <ul>
 * <li>W1, window 1: the measure of its start offsets t at which one interrupt on it can make
 *     the double free (there put_page_testzero lands between reclaim's count load and its get);</li>
 * <li>P2 = (∫ over window 1 of P(the first arrival falls between the boundaries where it leads to
 *     the finding) dt) / W1: an interrupt in window 2, given window 1;</li>
 * <li>P3 = W₀ / (W1 · P2): the handler outlasts shrink_list() and the put-back, given both.</li>
 * </ul>
 * Each is an average over the classes, so the product is exactly W₀; the first-in-pagevec and
 * same-page conditions enter through the workload rates (time to failure). Stateless.
 */
final class Chain {
    private static final String KIND = "double-free";

    private Chain() {
    }

    /** The chain's lines for the report, or none when the sweep found no double free with an interrupt on {@code cpu}. */
    static List<String> lines(SweepTotals tot, TimingProfile profile, int cpu) {
        List<double[]> slabs = tot.windowOne.get(KIND);
        BoundedSum two = tot.windowTwo.get(KIND);
        BoundedSum w0 = tot.byCpu.size() <= cpu ? null : tot.byCpu.get(cpu).get(KIND);
        if (slabs == null || two == null || w0 == null) {
            return List.of();
        }
        Interval w1 = measure(slabs);
        Interval p2 = two.value().divide(w1).asProbability();
        Interval p3 = w0.value().divide(two.value()).asProbability();
        List<String> out = new ArrayList<>();
        String name = "cpu" + cpu;
        int other = 1 - cpu;
        out.add("the footnote, factor by factor (double-free, one interrupt on " + name + "):");
        out.add(String.format(Locale.ROOT, "  window 1, put_page_testzero lands between B's count load and its get:"
                + " %s cycles = %s ns of %s's start offset", w1.shortText(), ns(w1, profile).shortText(), name));
        out.add("  x P(an interrupt hits " + name + " in window 2, before the cli of spin_lock_irq | window 1) = "
                + p2.shortText());
        out.add("  x P(the handler outlasts shrink_list() and the put-back | both) = " + p3.shortText());
        out.add("  = " + w0.value().shortText() + " cycles; with no interrupt " + part(tot.noInterrupt)
                + ", with one on cpu" + other + " " + (tot.byCpu.size() > other ? part(tot.byCpu.get(other)) : "0")
                + "; first-in-pagevec and same-page enter through the workload rates below");
        return out;
    }

    private static String part(Map<String, BoundedSum> m) {
        BoundedSum b = m.get(KIND);
        return b == null ? "0" : b.value().shortText();
    }

    private static Interval ns(Interval cycles, TimingProfile p) {
        return cycles.multiply(Interval.point(1e9)).divide(Interval.point(p.clockHz()));
    }

    /** The measure of a union of [t0, t1) ranges (integer ends, so exact in doubles). */
    static Interval measure(List<double[]> ranges) {
        List<double[]> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingDouble(r -> r[0]));
        Interval sum = Interval.ZERO;
        double lo = Double.NaN;
        double hi = Double.NaN;
        for (double[] r : sorted) {
            if (!Double.isNaN(hi) && r[0] <= hi) {
                hi = Math.max(hi, r[1]);
                continue;
            }
            if (!Double.isNaN(hi)) {
                sum = sum.add(Interval.point(hi).subtract(Interval.point(lo)));
            }
            lo = r[0];
            hi = r[1];
        }
        if (!Double.isNaN(hi)) {
            sum = sum.add(Interval.point(hi).subtract(Interval.point(lo)));
        }
        return sum;
    }
}
