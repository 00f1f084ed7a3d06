package org.mmemu.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mmemu.core.emu.Finding;
import org.mmemu.engine.Trace;
import org.mmemu.report.html.HtmlReport;
import org.mmemu.report.html.ReportData;
import org.mmemu.scenario.run.Exploration;
import org.mmemu.scenario.Expectations;
import org.mmemu.scenario.run.ScenarioProgram;
import org.mmemu.scenario.run.Verdict;
import picocli.CommandLine.Option;

/**
 * {@code --html OUT.html} of explore, compare and demo: the report helper's page
 * ({@link HtmlReport#write}) with one section per protocol run, each finding drawn with the trace
 * of its schedule (replayed by the controlled engine, which reproduces it exactly).
 */
final class HtmlOption {
    @Option(names = "--html", paramLabel = "FILE", description = "also write an HTML report (lanes per CPU) to FILE")
    Path html;

    private final List<ReportData.Section> sections = new ArrayList<>();

    /** Refuses (exit 2) an {@code --html} file that cannot be written, before anything runs. */
    void check(picocli.CommandLine cl) {
        OutputPath.check(cl, "--html", html);
    }

    /** Adds the section of {@code program}'s exploration, judged by its expectation, if a page was asked for. */
    void add(ScenarioProgram program, Exploration e) {
        add(program.protocol(), program, e, true);
    }

    /**
     * Adds the section of {@code program}'s exploration under {@code label}, if a page was asked
     * for; {@code judged}: whether the scenario's expectation judges it (compare's other rows are
     * information only), shown in the page's expected column.
     */
    void add(String label, ScenarioProgram program, Exploration e, boolean judged) {
        if (html == null) {
            return;
        }
        List<ReportData.Shown> shown = new ArrayList<>();
        for (Finding f : e.findings()) {
            Trace t = f.schedule() == null || f.schedule().isEmpty() ? null
                    : org.mmemu.scenario.run.Traces.replay(program, f.schedule(),
                            org.mmemu.engine.ExploreOptions.defaults()).trace();
            shown.add(new ReportData.Shown(f, t));
        }
        String verdict = !e.findings().isEmpty() ? "FOUND" : e.complete() ? "NONE" : "INCOMPLETE";
        String summary = String.format("%,d schedules, %s, %d ms, %s engine", e.schedules(),
                e.complete() ? "bounded space covered" : "space not covered", e.elapsedMillis(), e.engine());
        String expected = "";
        String outcome = "";
        if (judged) {
            Verdict v = Verdict.of(program.expect(), e);
            expected = "expect " + Expectations.ids(v.expected());
            outcome = switch (v.outcome()) {
                case HOLDS -> "holds";
                case FAILS -> "FAILS";
                case INCONCLUSIVE -> "INCOMPLETE";
            };
        }
        sections.add(new ReportData.Section(label, verdict, summary, shown, program::pageName, expected, outcome));
    }

    /** Writes the page, titled {@code title}, and says where on {@code ctx}'s output. */
    void write(Context ctx, String title, String scenario) {
        if (html == null) {
            return;
        }
        ReportData d = ReportData.of(title, scenario);
        for (ReportData.Section s : sections) {
            d = d.with(s);
        }
        HtmlReport.write(html, d);
        ctx.out.println("HTML report: " + html);
        ctx.out.flush();
    }
}
