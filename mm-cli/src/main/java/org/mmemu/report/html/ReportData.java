package org.mmemu.report.html;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.mmemu.core.emu.Finding;
import org.mmemu.engine.ExploreResult;
import org.mmemu.engine.control.Explorer;
import org.mmemu.engine.Program;
import org.mmemu.engine.RunResult;
import org.mmemu.engine.Trace;

/**
 * Everything the report page shows, as values: the scenario's name, one section per protocol
 * (its verdict and findings, each finding with the trace that led to it), and figures (the
 * timed engine's rate grid, and any benchmark tables). Built from what the command line already
 * has (an {@link ExploreResult} or {@link RunResult} per protocol); nothing here is escaped yet,
 * {@link HtmlReport} escapes it all.
 *
 * @param title    the page's heading, e.g. {@code mmemu demo}
 * @param scenario the scenario's name as the file gave it (escaped on output)
 * @param sections one per protocol, in the order run
 * @param rates    the timed engine's double-free rates, or null
 * @param tables   further figures (benchmarks), in order
 */
public record ReportData(String title, String scenario, List<Section> sections, RateGrid rates,
                         List<Table> tables) {

    public ReportData {
        sections = List.copyOf(sections);
        tables = List.copyOf(tables);
    }

    /** An empty report for {@code scenario}. */
    public static ReportData of(String title, String scenario) {
        return new ReportData(title, scenario, List.of(), null, List.of());
    }

    /** This report with {@code s} added. */
    public ReportData with(Section s) {
        List<Section> l = new ArrayList<>(sections);
        l.add(s);
        return new ReportData(title, scenario, l, rates, tables);
    }

    /** This report with the timed engine's figures. */
    public ReportData withRates(RateGrid r) {
        return new ReportData(title, scenario, sections, r, tables);
    }

    /** This report with {@code t} added to the figures. */
    public ReportData with(Table t) {
        List<Table> l = new ArrayList<>(tables);
        l.add(t);
        return new ReportData(title, scenario, sections, rates, l);
    }

    /**
     * One protocol's result.
     *
     * @param protocol  the protocol's name
     * @param verdict   {@code FOUND}, {@code NONE}, {@code INCOMPLETE}, or the command's own word
     * @param summary   one line: schedules, coverage, time
     * @param findings  each finding with its trace (the trace may be null when not recorded)
     * @param pageNames the scenario's name of a page frame, e.g. {@code P}
     * @param expected  what the scenario expects of this protocol, e.g. {@code [double-free]}, or ""
     *                  when the row is not judged (information only)
     * @param outcome   {@code holds}, {@code FAILS} or {@code INCOMPLETE} against {@code expected}, or ""
     */
    public record Section(String protocol, String verdict, String summary, List<Shown> findings,
                          LongFunction<String> pageNames, String expected, String outcome) {
        public Section {
            findings = List.copyOf(findings);
            pageNames = pageNames == null ? pfn -> "pfn " + pfn : pageNames;
            expected = expected == null ? "" : expected;
            outcome = outcome == null ? "" : outcome;
        }

        /** A section with no expectation to judge it by. */
        public Section(String protocol, String verdict, String summary, List<Shown> findings,
                       LongFunction<String> pageNames) {
            this(protocol, verdict, summary, findings, pageNames, "", "");
        }

        /**
         * A protocol explored: its verdict and findings; the first finding gets the result's
         * trace, and the others a trace replayed from their schedule when {@code program} is
         * given (null: no trace for them).
         */
        public static Section explored(String protocol, ExploreResult r, Program program,
                                       LongFunction<String> pageNames) {
            List<Shown> shown = new ArrayList<>();
            for (int i = 0; i < r.findings().size(); i++) {
                Finding f = r.findings().get(i);
                Trace t = i == 0 ? r.firstTrace() : null;
                if (t == null && program != null && !f.schedule().isEmpty()) {
                    t = Explorer.replay(program, f.schedule()).trace();
                }
                shown.add(new Shown(f, t));
            }
            return new Section(protocol, r.verdict().name(), r.toString(), shown, pageNames);
        }

        /** One run (replay, run, or the free engine): {@code FOUND} or {@code NONE}, and its trace if recorded. */
        public static Section ran(String protocol, RunResult r, LongFunction<String> pageNames) {
            List<Shown> shown = r.findings().stream().map(f -> new Shown(f, r.trace())).toList();
            String verdict = !r.findings().isEmpty() ? "FOUND" : r.incomplete() ? "INCOMPLETE" : "NONE";
            return new Section(protocol, verdict, r.outcome() + ", " + r.steps() + " steps, " + r.elapsedMillis()
                    + " ms", shown, pageNames);
        }
    }

    /** A finding and the trace of the execution that found it (null when not recorded). */
    public record Shown(Finding finding, Trace trace) {
    }

    /**
     * The timed engine's estimated rate of a finding per operation, over a grid of interrupt
     * rates (columns) and durations (rows).
     *
     * @param title        what is estimated, e.g. {@code double frees per release, mm1}
     * @param meanIntervals the mean cycles between interrupts of each column
     * @param durations    the mean handler length in steps of each row
     * @param cells        {@code cells[row][column]}
     */
    public record RateGrid(String title, long[] meanIntervals, int[] durations, Cell[][] cells) {
        /** One estimate: hits in runs, the rate per operation and its 95% interval. */
        public record Cell(long runs, long hits, double perOp, double low, double high) {
        }
    }

    /**
     * A table of figures.
     *
     * @param title   the caption
     * @param header  the column names
     * @param rows    the cells, row by row
     * @param note    a line under the table (the command that made it), or ""
     */
    public record Table(String title, List<String> header, List<List<String>> rows, String note) {
        public Table {
            header = List.copyOf(header);
            rows = rows.stream().map(List::copyOf).toList();
            note = note == null ? "" : note;
        }
    }
}
