package org.mmemu.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Medians and the small formatting the benchmark tables need. */
public final class Stats {
    private Stats() {
    }

    /** The median of {@code xs} (the mean of the middle two for an even count); NaN when empty. */
    public static double median(List<Double> xs) {
        if (xs.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /** {@code v} with thousands separators and no decimals. */
    public static String count(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%,.0f", v);
    }

    /** {@code v} with {@code d} decimals. */
    public static String fixed(double v, int d) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%." + d + "f", v);
    }
}
