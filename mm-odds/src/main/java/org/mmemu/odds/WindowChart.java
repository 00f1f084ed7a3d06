package org.mmemu.odds;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mmemu.report.html.Html;

/**
 * The inline SVG of P(finding | t) against t for one protocol's kinds: the window the seed mail
 * could only describe, drawn (issue 22, item 6). One step-line (a polyline) per kind; the x axis
 * in cycles of the offset CPU's start with nanoseconds under each tick, the y axis logarithmic
 * when the drawn values span more than two orders of magnitude (a value of 0 then sits on the
 * bottom edge). Kinds after the first are dashed, so a curve that lies on another (the seed race's
 * double free and use-after-free come from the same runs) still shows. Plain SVG, no script, so the page is readable from a file with nothing else.
 */
final class WindowChart {
    private static final int W = 760;
    private static final int H = 320;
    private static final int L = 80;
    private static final int R = 20;
    private static final int T = 20;
    private static final int B = 60;
    private static final String[] COLOURS = {"#c0392b", "#2471a3", "#1e8449", "#7d3c98", "#b9770e"};

    private WindowChart() {
    }

    /** The chart, or a sentence when no kind has a curve. */
    static String svg(List<OddsResult.FindingOdds> findings, double clockHz, int offsetCpu) {
        List<OddsResult.FindingOdds> drawn = findings.stream().filter(f -> !f.curve().steps().isEmpty()).toList();
        if (drawn.isEmpty()) {
            return "<p>No curve to draw: no kind has an enumerated class with a finding.</p>\n";
        }
        double x0 = Double.POSITIVE_INFINITY;
        double x1 = Double.NEGATIVE_INFINITY;
        double yMax = 0;
        double yMin = Double.POSITIVE_INFINITY;
        for (OddsResult.FindingOdds f : drawn) {
            for (WindowCurve.Step s : f.curve().steps()) {
                x0 = Math.min(x0, s.from());
                x1 = Math.max(x1, s.to());
                yMax = Math.max(yMax, s.p().mid());
                if (s.p().mid() > 0) {
                    yMin = Math.min(yMin, s.p().mid());
                }
            }
        }
        double pad = Math.max(1, (x1 - x0) * 0.05);
        Axis x = new Axis(x0 - pad, x1 + pad, false);
        boolean log = yMin < yMax / 100;
        Axis y = log ? new Axis(Math.pow(10, Math.floor(Math.log10(yMin))), Math.pow(10, Math.ceil(Math.log10(yMax))), true)
                : new Axis(0, yMax * 1.1, false);
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" role=\"img\">\n", W, H, W, H));
        b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\""
                + " stroke=\"#888\"/>\n", L, T, W - L - R, H - T - B));
        xTicks(b, x, clockHz);
        yTicks(b, y);
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\">t, cpu%d's"
                + " start offset: cycles (ns below)</text>\n", L + (W - L - R) / 2, H - 8, offsetCpu));
        b.append(String.format(Locale.ROOT, "<text transform=\"translate(14 %d) rotate(-90)\" text-anchor=\"middle\""
                + " font-size=\"12\">P(finding | t)%s</text>\n", T + (H - T - B) / 2, log ? ", log scale" : ""));
        for (int i = 0; i < drawn.size(); i++) {
            OddsResult.FindingOdds f = drawn.get(i);
            String colour = COLOURS[i % COLOURS.length];
            b.append("<polyline class=\"curve\" fill=\"none\" stroke=\"").append(colour)
                    .append(i == 0 ? "" : "\" stroke-dasharray=\"" + (4 + 2 * i) + " 4")
                    .append("\" stroke-width=\"1.5\" points=\"").append(points(f.curve(), x, y)).append("\">")
                    .append("<title>").append(Html.text(f.kind())).append("</title></polyline>\n");
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"%s\">%s</text>\n",
                    L + 10, T + 16 + 14 * i, colour, Html.text(f.kind())));
        }
        return b.append("</svg>\n").toString();
    }

    /** The step line: each step's two ends at its value, dropping to 0 across a gap between steps. */
    private static String points(WindowCurve c, Axis x, Axis y) {
        List<String> pts = new ArrayList<>();
        double last = Double.NaN;
        for (WindowCurve.Step s : c.steps()) {
            if (Double.isNaN(last) || s.from() > last) {
                if (!Double.isNaN(last)) {
                    pts.add(pt(x, last, y, 0));
                }
                pts.add(pt(x, s.from(), y, 0));
            }
            pts.add(pt(x, s.from(), y, s.p().mid()));
            pts.add(pt(x, s.to(), y, s.p().mid()));
            last = s.to();
        }
        pts.add(pt(x, last, y, 0));
        return String.join(" ", pts);
    }

    private static String pt(Axis x, double xv, Axis y, double yv) {
        return String.format(Locale.ROOT, "%.1f,%.1f", L + x.frac(xv) * (W - L - R), H - B - y.frac(yv) * (H - T - B));
    }

    private static void xTicks(StringBuilder b, Axis x, double clockHz) {
        double step = nice((x.hi - x.lo) / 6);
        for (double v = Math.ceil(x.lo / step) * step; v <= x.hi; v += step) {
            double px = L + x.frac(v) * (W - L - R);
            b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ccc\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\">%s</text>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"10\" fill=\"#666\">%s ns</text>\n",
                    px, T, px, H - B, px, H - B + 14, cycles(v), px, H - B + 27, Html.num(v * 1e9 / clockHz)));
        }
    }

    private static void yTicks(StringBuilder b, Axis y) {
        List<Double> ticks = new ArrayList<>();
        if (y.log) {
            for (double v = y.lo; v <= y.hi * 1.0001; v *= 10) {
                ticks.add(v);
            }
        } else {
            double step = nice(y.hi / 5);
            for (double v = 0; v <= y.hi; v += step) {
                ticks.add(v);
            }
        }
        for (double v : ticks) {
            double py = H - B - y.frac(v) * (H - T - B);
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" font-size=\"11\">%s</text>\n",
                    L, py, W - R, py, L - 6, py + 4, Html.num(v)));
        }
    }

    /** A tick in cycles: a whole number as such (ticks are round), else three digits. */
    private static String cycles(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e12 ? String.format(Locale.ROOT, "%d", (long) v) : Html.num(v);
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double nice(double raw) {
        if (!(raw > 0)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double m = raw / p;
        return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
    }

    /** A linear or logarithmic axis over [lo, hi]; {@link #frac} clamps to [0, 1] (0 on a log axis sits at the bottom). */
    private record Axis(double lo, double hi, boolean log) {
        double frac(double v) {
            double f = log ? (v <= 0 ? 0 : (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)))
                    : (v - lo) / (hi - lo);
            return hi > lo ? Math.min(1, Math.max(0, f)) : 0;
        }
    }
}
