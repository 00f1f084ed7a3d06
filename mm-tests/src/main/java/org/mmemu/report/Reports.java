package org.mmemu.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.scenario.run.Exploration;
import org.mmemu.scenario.run.ScenarioProgram;
import org.mmemu.scenario.run.Verdict;
import org.mmemu.scenario.EngineSettings;

/** Builds {@link RunReport}s and writes them as text and JSON. */
public final class Reports {
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final TraceFormatter traces = new TraceFormatter();

    /** The report of {@code exploration} of {@code program} under {@code settings}. */
    public RunReport report(ScenarioProgram program, EngineSettings settings, Exploration exploration) {
        Verdict v = Verdict.of(program.expect(), exploration);
        String policy = exploration.engine().equals("free") ? "free" : settings.policy();
        return new RunReport(program.scenario().name(), program.scenario().source(), program.protocol(),
                exploration.engine(), policy, settings.seed(), exploration.schedules(), exploration.complete(),
                exploration.incompleteReason(), exploration.elapsedMillis(),
                program.expect().stream().map(FindingKind::id).toList(), v.holdsOrNull(), v.summary(),
                exploration.findings().stream().map(f -> FindingReport.of(f, program)).toList(),
                exploration.trace());
    }

    /** The text output: a header line, each finding, the trace, and the verdict. */
    public String text(RunReport r, ScenarioProgram program, Exploration exploration) {
        StringBuilder b = new StringBuilder();
        b.append(r.scenario()).append(" [").append(r.protocol()).append(", ").append(r.engine());
        if (!r.engine().equals("free")) {
            b.append(' ').append(r.policy()).append(", seed ").append(r.seed());
        }
        b.append("]: ").append(String.format("%,d", r.schedules()))
                .append(r.engine().equals("free") ? " run" : " schedule").append(r.schedules() == 1 ? "" : "s")
                .append(!r.complete() ? "" : r.policy().equals("replay") ? " (the schedule replayed to its end)"
                        : " (bounded space covered)")
                .append(", ").append(r.elapsedMillis()).append(" ms\n");
        for (Finding f : exploration.findings()) {
            b.append(findingText(f, program));
        }
        if (exploration.findings().isEmpty()) {
            b.append("no findings\n");
        }
        if (!r.trace().isEmpty()) {
            b.append('\n').append(traces.format(r.trace(), program.scenario().machine().cpus(),
                    program.scenario().watch())).append('\n');
        } else if (!exploration.findings().isEmpty() && r.engine().equals("free")) {
            b.append("(the free engine records no step trace; 'mmemu explore' gives one with its schedule)\n");
        }
        if (!r.complete()) {
            b.append("INCOMPLETE: ").append(r.incompleteReason()).append('\n');
        }
        b.append(r.verdict()).append('\n');
        return b.toString();
    }

    /** A finding in the manner of KASAN, with the page by its scenario name. */
    public static String findingText(Finding f, ScenarioProgram program) {
        StringBuilder b = new StringBuilder();
        b.append("BUG: ").append(f.kind().id());
        if (f.pfn() >= 0) {
            String name = program.pageName(f.pfn());
            b.append(" of page ").append(name);
            if (!name.startsWith("pfn ")) {
                b.append(" (pfn ").append(f.pfn()).append(')');
            }
        }
        if (f.cpu() >= 0) {
            b.append(" on cpu").append(f.cpu());
        }
        b.append("\n  ").append(f.message()).append('\n');
        if (f.site() != null) {
            b.append("  at ").append(f.site()).append('\n');
        }
        f.related().forEach(rel -> b.append("  ").append(rel).append('\n'));
        if (!f.schedule().isEmpty()) {
            b.append("  schedule: ").append(f.schedule()).append('\n');
        }
        return b.toString();
    }

    /** Writes {@code value} (a report, or a list of them) as JSON to {@code file}. */
    public void writeJson(Path file, Object value) throws IOException {
        json.writeValue(file.toFile(), value);
    }

    /** {@code value} as JSON text. */
    public String toJson(Object value) throws IOException {
        return json.writeValueAsString(value);
    }
}
