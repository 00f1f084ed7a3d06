package org.mmemu.odds;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.mmemu.report.html.Html;

/**
 * {@code mmemu odds --html OUT.html}: one self-contained page (inline CSS and SVG, no script, no
 * external resource) with, per protocol, the chart of P(finding | t) ({@link WindowChart}), the
 * table of W and the mean time to failure, and the report's notes, the footnote's factor chain
 * among them, exactly as the text prints them. The numbers are {@link OddsReport}'s, so the page
 * and the text cannot disagree. Every string from outside (a scenario's or a kind's name) goes
 * through {@link Html#text}.
 */
final class OddsPage {
    private static final String CSS = "body{font-family:sans-serif;margin:2em;max-width:64em}"
            + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}"
            + "pre{background:#f6f6f6;padding:.8em;overflow-x:auto}.incomplete{color:#b03a2e;font-weight:bold}\n";

    private OddsPage() {
    }

    /** Writes the page of {@code reports} (one per protocol) to {@code file}. */
    static void write(Path file, List<OddsReport> reports) throws IOException {
        Files.writeString(file, page(reports));
    }

    /** The page's text. */
    static String page(List<OddsReport> reports) {
        OddsReport first = reports.get(0);
        String title = "mmemu odds " + first.scenario() + " on " + first.profile().name();
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(Html.text(title)).append("</title>\n<style>").append(CSS).append("</style>\n</head>\n<body>\n")
                .append("<h1>").append(Html.text(title)).append("</h1>\n<p>").append(Html.text(first.profile().description()))
                .append("; fleet of ").append(first.fleet()).append(" machines.</p>\n");
        for (OddsReport r : reports) {
            section(b, r);
        }
        return b.append("<footer><p>P(finding | t) is drawn from the classes the exact computation enumerated (no"
                + " interrupt, or one); the mean over each drawn step, neighbours averaged where there were too many to"
                + " draw. Its area is the enumerated part of W; runs with two or more interrupts are only bounded"
                + " (on the upper end of W) and are not drawn. See docs/ODDS.md.</p></footer>\n</body>\n</html>\n")
                .toString();
    }

    private static void section(StringBuilder b, OddsReport r) {
        OddsResult res = r.result();
        b.append("<section class=\"protocol\">\n<h2>").append(Html.text(r.scenario())).append(" [")
                .append(Html.text(res.protocol())).append("]</h2>\n");
        if (!res.complete()) {
            b.append("<p class=\"incomplete\">INCOMPLETE (").append(Html.text(res.incompleteReason()))
                    .append("): upper ends include what was cut</p>\n");
        }
        b.append("<h3>P(finding | t)</h3>\n").append(WindowChart.svg(res.findings(), r.profile().clockHz(),
                r.offsetCpu()));
        b.append("<h3>Effective window and time to failure</h3>\n<table>\n<tr><th>kind</th><th>W, cycles</th>"
                + "<th>W, ns</th><th>W enumerated, cycles</th><th>findings/s</th><th>mean time to the first, one"
                + " machine, s</th><th>on the fleet, s</th></tr>\n");
        for (OddsResult.FindingOdds f : res.findings()) {
            TimeToFailure t = r.ttf(f);
            b.append("<tr><td>").append(Html.text(f.kind())).append("</td>");
            for (Interval i : List.of(f.windowCycles(), r.windowNs(f), f.enumerated(), t.findingsPerSecond(),
                    t.meanSeconds(), t.fleetMeanSeconds())) {
                b.append("<td>").append(Html.text(i.shortText())).append("</td>");
            }
            b.append("</tr>\n");
        }
        if (res.findings().isEmpty()) {
            b.append("<tr><td colspan=\"7\">").append(res.complete() ? "none: W = 0 exactly for every kind"
                    : "not computed").append("</td></tr>\n");
        }
        b.append("</table>\n");
        if (!res.sampled().isEmpty()) {
            b.append("<h3>Estimated with every interrupt (a statistical estimate, not a bound)</h3>\n<pre class=\"estimate\">");
            for (SampledWindow e : res.sampled()) {
                b.append(Html.text(r.estimate(e).strip())).append('\n');
            }
            b.append("</pre>\n");
        }
        if (!res.notes().isEmpty()) {
            b.append("<h3>How it was computed; the footnote, factor by factor</h3>\n<pre class=\"notes\">");
            for (String n : res.notes()) {
                b.append(Html.text(n)).append('\n');
            }
            b.append("</pre>\n");
        }
        b.append(String.format(Locale.ROOT, "</section>\n"));
    }
}
