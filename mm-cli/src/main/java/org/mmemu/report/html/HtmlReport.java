package org.mmemu.report.html;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.mmemu.core.emu.Finding;
import org.mmemu.report.html.ReportData.RateGrid;
import org.mmemu.report.html.ReportData.Section;
import org.mmemu.report.html.ReportData.Shown;
import org.mmemu.report.html.ReportData.Table;

/**
 * The report a person looks at: one self-contained HTML page (inline CSS and SVG, no scripts,
 * no links to anything outside it), with the verdict of each protocol, each finding drawn as
 * lanes ({@link LaneDiagram}), and the figures (the timed engine's rate grid as a table and a
 * chart, and benchmark tables).
 *
 * <p><b>Escaping.</b> Every string in {@link ReportData} may come from a scenario file, so
 * every one goes through {@link Html#text} on its way out; the page's own markup is the only
 * unescaped text. A scenario named {@code <script>} shows as that text.
 *
 * <p>Command-line use: {@code HtmlReport.write(path, data)}.
 */
public final class HtmlReport {
    private HtmlReport() {
    }

    /** Writes the page for {@code data} to {@code out} (UTF-8), creating its directory. */
    public static void write(Path out, ReportData data) {
        try {
            Path dir = out.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            Files.writeString(out, render(data), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the HTML report to " + out, e);
        }
    }

    /** The page for {@code data}. */
    public static String render(ReportData data) {
        StringBuilder b = new StringBuilder(64 * 1024);
        String heading = data.title() + (data.scenario() == null || data.scenario().isEmpty() ? "" : " \u2014 " + data.scenario());
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(Html.text(heading)).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        b.append("<h1>").append(Html.text(heading)).append("</h1>\n");
        verdicts(b, data.sections());
        // Each interleaving is drawn once: a finding whose trace was drawn already links to it.
        java.util.Map<String, String> drawn = new java.util.HashMap<>();
        for (Section s : data.sections()) {
            section(b, s, drawn);
        }
        if (data.rates() != null || !data.tables().isEmpty()) {
            b.append("<section id=\"figures\">\n<h2>Figures</h2>\n");
            if (data.rates() != null) {
                rates(b, data.rates());
            }
            for (Table t : data.tables()) {
                table(b, t);
            }
            b.append("</section>\n");
        }
        b.append("<footer>Written by mmemu. Lanes: one per CPU, time going down; bars at a lane's left edge are"
                + " lock hold spans, shaded spans are interrupt handlers, the column on the right is each watched page's"
                + " count (L: PG_lru set); \u2716 marks the failing step, \u25B2 the root cause, \u25CF the other sites"
                + " the finding names; rows are numbered as the text report numbers them, and a row that says"
                + " (N steps) stands for a stretch where only a busy handler or a spinning CPU advanced.</footer>\n</body>\n</html>\n");
        return b.toString();
    }

    private static void verdicts(StringBuilder b, List<Section> sections) {
        if (sections.isEmpty()) {
            return;
        }
        b.append("<section id=\"verdicts\">\n<h2>Verdicts</h2>\n<table class=\"verdicts\">\n"
                + "<tr><th>protocol</th><th>verdict</th><th>findings</th><th>expected</th><th>exploration</th></tr>\n");
        for (Section s : sections) {
            StringBuilder kinds = new StringBuilder();
            for (Shown f : s.findings()) {
                kinds.append(kinds.length() > 0 ? ", " : "").append(f.finding().kind().id());
            }
            // A judged row is coloured by its expectation (an expected leak is not a red bug), else by what was found.
            String css = s.outcome().isEmpty() ? "verdict-" + cssWord(s.verdict()) : "outcome-" + cssWord(s.outcome());
            String expected = s.expected().isEmpty() ? "not judged" : s.expected() + ": " + s.outcome();
            b.append("<tr class=\"").append(css).append("\"><td>").append(Html.text(s.protocol()))
                    .append("</td><td class=\"verdict\">").append(Html.text(s.verdict())).append("</td><td>")
                    .append(Html.text(kinds.length() == 0 ? "none" : kinds.toString()))
                    .append("</td><td class=\"expected\">").append(Html.text(expected)).append("</td><td>")
                    .append(Html.text(s.summary())).append("</td></tr>\n");
        }
        b.append("</table>\n</section>\n");
    }

    private static void section(StringBuilder b, Section s, java.util.Map<String, String> drawn) {
        if (s.findings().isEmpty()) {
            return;
        }
        b.append("<section class=\"protocol\">\n<h2>").append(Html.text(s.protocol())).append(": ")
                .append(Html.text(s.verdict())).append("</h2>\n");
        int n = 0;
        for (Shown shown : s.findings()) {
            Finding f = shown.finding();
            String id = "finding-" + cssWord(s.protocol()) + "-" + n++;
            b.append("<article class=\"finding\" id=\"").append(id)
                    .append("\">\n<h3>").append(Html.text(f.kind().id()));
            if (f.pfn() >= 0) {
                b.append(" of page ").append(Html.text(s.pageNames().apply(f.pfn())));
            }
            if (f.cpu() >= 0) {
                b.append(" on cpu").append(f.cpu());
            }
            b.append("</h3>\n<p class=\"message\">").append(Html.text(f.message())).append("</p>\n<ul class=\"sites\">\n");
            if (f.site() != null) {
                b.append("<li class=\"site-fail\">\u2716 failing step: cpu").append(f.cpu()).append(" at <code>")
                        .append(Html.text(f.site().toString())).append("</code></li>\n");
            }
            for (Finding.Related r : f.related()) {
                boolean root = Finding.ROOT_CAUSE.equals(r.label());
                b.append("<li class=\"").append(root ? "site-root" : "site-related").append("\">")
                        .append(root ? "\u25B2 " : "\u25CF ").append(Html.text(r.label())).append(": cpu").append(r.cpu())
                        .append(" at <code>").append(Html.text(String.valueOf(r.site()))).append("</code></li>\n");
            }
            b.append("</ul>\n");
            if (!f.schedule().isEmpty()) {
                b.append("<p class=\"schedule\">schedule (replay with <code>mmemu replay</code>): <code>")
                        .append(Html.text(f.schedule())).append("</code></p>\n");
            }
            String seen = shown.trace() == null ? null : drawn.get(shown.trace().hash());
            if (seen != null) {
                b.append("<p class=\"same-trace\">The interleaving is the one drawn with <a href=\"#").append(seen)
                        .append("\">").append(Html.text(seen)).append("</a> above.</p>\n");
            } else if (shown.trace() != null && shown.trace().size() > 0) {
                drawn.put(shown.trace().hash(), id);
                // every finding of this interleaving marked on its one drawing
                List<Finding> same = s.findings().stream().filter(x -> x.trace() != null
                        && x.trace().hash().equals(shown.trace().hash())).map(Shown::finding).toList();
                b.append("<div class=\"diagram\">\n").append(LaneDiagram.svg(shown.trace(), same, s.pageNames()))
                        .append("</div>\n");
            } else {
                b.append("<p class=\"no-trace\">No trace was recorded for this finding.</p>\n");
            }
            b.append("</article>\n");
        }
        b.append("</section>\n");
    }

    private static void rates(StringBuilder b, RateGrid g) {
        b.append("<h3>").append(Html.text(g.title())).append("</h3>\n<table class=\"rates\">\n<tr><th>duration \\ rate</th>");
        for (long m : g.meanIntervals()) {
            b.append("<th>1 irq / ").append(String.format(Locale.ROOT, "%,d", m)).append(" cycles</th>");
        }
        b.append("</tr>\n");
        for (int i = 0; i < g.durations().length; i++) {
            b.append("<tr><th>").append(g.durations()[i]).append(" steps</th>");
            for (RateGrid.Cell c : g.cells()[i]) {
                b.append("<td title=\"95% interval ").append(Html.num(c.low())).append(" .. ").append(Html.num(c.high()))
                        .append("\">").append(Html.num(c.perOp())).append(" <small>(").append(c.hits()).append('/')
                        .append(c.runs()).append(")</small></td>");
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n<div class=\"diagram\">\n").append(RateChart.svg(g)).append("</div>\n");
    }

    private static void table(StringBuilder b, Table t) {
        b.append("<h3>").append(Html.text(t.title())).append("</h3>\n<table class=\"figures\">\n<tr>");
        t.header().forEach(h -> b.append("<th>").append(Html.text(h)).append("</th>"));
        b.append("</tr>\n");
        for (List<String> row : t.rows()) {
            b.append("<tr>");
            row.forEach(c -> b.append("<td>").append(Html.text(c)).append("</td>"));
            b.append("</tr>\n");
        }
        b.append("</table>\n");
        if (!t.note().isEmpty()) {
            b.append("<p class=\"note\">").append(Html.text(t.note())).append("</p>\n");
        }
    }

    /** A word safe in a class or id: letters, digits and '-' only. */
    static String cssWord(String s) {
        String w = s == null ? "" : s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        return w.isEmpty() ? "x" : w;
    }

    private static final String CSS = """
            body { font-family: sans-serif; margin: 1.5em; color: #222; }
            h1 { font-size: 1.4em; } h2 { font-size: 1.2em; margin-top: 1.6em; } h3 { font-size: 1.05em; }
            table { border-collapse: collapse; margin: .5em 0; }
            th, td { border: 1px solid #bbb; padding: 3px 8px; text-align: left; font-size: 13px; }
            tr.verdict-found td.verdict { color: #b00; font-weight: bold; }
            tr.verdict-none td.verdict { color: #070; font-weight: bold; }
            tr.verdict-incomplete td.verdict { color: #a60; font-weight: bold; }
            tr.outcome-holds td.verdict, tr.outcome-holds td.expected { color: #070; font-weight: bold; }
            tr.outcome-fails td.verdict, tr.outcome-fails td.expected { color: #b00; font-weight: bold; }
            tr.outcome-incomplete td.verdict, tr.outcome-incomplete td.expected { color: #a60; font-weight: bold; }
            code { font-size: 12px; background: #f4f4f4; padding: 0 2px; }
            .site-fail { color: #b00; } .site-root { color: #c60; } .site-related { color: #709; }
            .diagram { overflow-x: auto; border: 1px solid #ddd; margin: .5em 0; }
            svg text { font-family: monospace; font-size: 11px; }
            .lane-bg { fill: #fafafa; stroke: #ccc; }
            .lane-title { font-weight: bold; font-size: 13px; text-anchor: middle; }
            .row-no { fill: #888; text-anchor: end; }
            .step rect { fill: #e8f0fe; stroke: #7a9cd6; }
            .step.access-lock rect, .step.access-unlock rect { fill: #fff0d0; stroke: #c90; }
            .step.access-write rect { fill: #e4f6e4; stroke: #5a5; }
            .step.spin rect { fill: #eee; stroke: #aaa; stroke-dasharray: 3 2; }
            .step.irq-enter rect, .step.irq-exit rect, .step.handler rect, .step.folded rect { fill: #fde2e2; stroke: #d88; }
            .step.mark-fail rect { fill: #ffd6d6; stroke: #c00; stroke-width: 3; }
            .step.mark-root rect { fill: #ffe7c2; stroke: #e67e00; stroke-width: 3; }
            .step.mark-related rect { stroke: #8e44ad; stroke-width: 3; }
            .irq-span { fill: #f7c6c6; opacity: .45; }
            .lock-span { fill: #c90; }
            .axis { stroke: #888; } .grid { stroke: #eee; }
            .count-line { fill: none; stroke: #1f77b4; stroke-width: 2; }
            .count-value { fill: #1f77b4; } .count-value.lru { font-weight: bold; }
            .series { fill: none; stroke-width: 2; } .whisker { stroke-width: 1; }
            footer { margin-top: 2em; color: #666; font-size: 12px; }
            """;
}
