package org.mmemu.report.html;

import java.util.Locale;
import org.mmemu.report.html.ReportData.RateGrid;

/**
 * The timed engine's rate grid as a line chart: interrupt duration along x (one tick per row of
 * the grid), the estimated rate per operation up y (linear, from 0), one line per interrupt
 * rate, each point with its 95% interval as a whisker. Inline SVG, labels escaped.
 */
final class RateChart {
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};
    private static final int W = 680;
    private static final int H = 320;
    private static final int L = 80;
    private static final int R = 200;
    private static final int T = 20;
    private static final int B = 50;

    private RateChart() {
    }

    static String svg(RateGrid g) {
        double max = 0;
        for (RateGrid.Cell[] row : g.cells()) {
            for (RateGrid.Cell c : row) {
                max = Math.max(max, c.high());
            }
        }
        if (max <= 0) {
            max = 1;
        }
        int n = g.durations().length;
        int plotW = W - L - R;
        int plotH = H - T - B;
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg class=\"chart\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">%n",
                W, H, W, H));
        b.append("<title>").append(Html.text(g.title())).append("</title>\n");
        b.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>%n", L, T, L, T + plotH));
        b.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>%n", L, T + plotH,
                L + plotW, T + plotH));
        for (int t = 0; t <= 4; t++) {
            double v = max * t / 4;
            int y = T + plotH - (int) Math.round(plotH * t / 4.0);
            b.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                    + "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    L, y, L + plotW, y, L - 6, y + 4, Html.num(v)));
        }
        for (int i = 0; i < n; i++) {
            b.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d</text>%n",
                    x(i, n, plotW), T + plotH + 16, g.durations()[i]));
        }
        b.append(String.format(Locale.ROOT, "<text class=\"axis-label\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">"
                + "mean interrupt duration (steps)</text>%n", L + plotW / 2, H - 10));
        b.append(String.format(Locale.ROOT, "<text class=\"axis-label\" x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" "
                + "text-anchor=\"middle\">rate per op</text>%n", T + plotH / 2, T + plotH / 2));
        for (int c = 0; c < g.meanIntervals().length; c++) {
            String colour = COLOURS[c % COLOURS.length];
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < n; i++) {
                RateGrid.Cell cell = g.cells()[i][c];
                int x = x(i, n, plotW);
                int y = yOf(cell.perOp(), max, plotH);
                pts.append(x).append(',').append(y).append(' ');
                b.append(String.format(Locale.ROOT, "<line class=\"whisker\" stroke=\"%s\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                        + "<circle class=\"point\" fill=\"%s\" cx=\"%d\" cy=\"%d\" r=\"3\"><title>%s</title></circle>%n",
                        colour, x, yOf(cell.low(), max, plotH), x, yOf(cell.high(), max, plotH), colour, x, y,
                        Html.text(cell.hits() + "/" + cell.runs() + " runs: " + Html.num(cell.perOp()) + " per op")));
            }
            b.append(String.format(Locale.ROOT, "<polyline class=\"series\" stroke=\"%s\" points=\"%s\"/>%n", colour,
                    pts.toString().trim()));
            int ly = T + 10 + c * 18;
            b.append(String.format(Locale.ROOT, "<line stroke=\"%s\" stroke-width=\"2\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                    + "<text class=\"legend\" x=\"%d\" y=\"%d\">1 irq / %,d cycles</text>%n",
                    colour, L + plotW + 14, ly, L + plotW + 34, ly, L + plotW + 40, ly + 4, g.meanIntervals()[c]));
        }
        b.append("</svg>\n");
        return b.toString();
    }

    private static int x(int i, int n, int plotW) {
        return L + (n == 1 ? plotW / 2 : 10 + i * (plotW - 20) / (n - 1));
    }

    private static int yOf(double v, double max, int plotH) {
        return T + plotH - (int) Math.round(plotH * Math.max(0, v) / max);
    }
}
