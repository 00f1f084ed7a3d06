package org.mmemu.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.engine.ExploreResult;
import org.mmemu.scenario.run.Exploration;
import org.mmemu.scenario.run.ScenarioProgram;
import org.mmemu.scenario.run.Verdict;
import org.mmemu.scenario.EngineSettings;

/** Builds {@link RunReport}s and writes them as text and JSON. */
public final class Reports {
    /** Made at the first JSON written: most commands write none, and Jackson is slow to load. */
    private ObjectMapper json;
    private final TraceFormatter traces = new TraceFormatter();

    /** The report of {@code exploration} of {@code program} under {@code settings}. */
    public RunReport report(ScenarioProgram program, EngineSettings settings, Exploration exploration) {
        return report(program, settings, exploration, null);
    }

    /** The report of {@code exploration}, shard {@code shard} ({@code I/N}, null for the whole search). */
    public RunReport report(ScenarioProgram program, EngineSettings settings, Exploration exploration, String shard) {
        Verdict v = Verdict.of(program.expect(), exploration);
        String policy = exploration.engine().equals("free") ? "free" : settings.policy();
        ExploreResult r = exploration.explored();
        List<FindingReport> findings = new ArrayList<>();
        for (int i = 0; i < exploration.findings().size(); i++) {
            int[] key = r != null && i < r.keys().size() ? r.keys().get(i) : null;
            findings.add(FindingReport.of(exploration.findings().get(i), program, key));
        }
        return new RunReport(program.scenario().name(), program.scenario().source(), program.protocol(),
                exploration.engine(), policy, settings.seed(), exploration.schedules(), exploration.complete(),
                exploration.incompleteReason(), exploration.elapsedMillis(),
                program.expect().stream().map(FindingKind::id).toList(), v.holdsOrNull(), v.summary(), findings,
                exploration.trace(), r == null ? null : search(r, shard, exploration.complete(), settings));
    }

    private static RunReport.Search search(ExploreResult r, String shard, boolean complete, EngineSettings settings) {
        Map<String, Long> counts = new LinkedHashMap<>();
        r.countsByKind().forEach((k, n) -> counts.put(k.id(), n));
        Map<String, Long> warnings = new LinkedHashMap<>();
        r.warningCounts().forEach((k, n) -> warnings.put(k.id(), n));
        return new RunReport.Search(r.steps(), r.pruned(), r.stats().distinctStates(), r.stats().merged(),
                r.incompleteRuns(), r.firstFindingMillis(),
                r.firstFindingSchedules(), complete || r.incompleteReason() == null ? null : r.incompleteReason().id(),
                r.decided(), r.preemptionBound() < 0 ? null : r.preemptionBound(), shard, counts, warnings,
                settings.delays(), "irq".equals(settings.delays()) ? settings.skew() : null,
                "irq".equals(settings.delays()) && "dpor".equals(r.stats().policy()) ? "dpor" : null);
    }

    /**
     * The lines that say how far a search went: its work and first finding, then whether it
     * covered its space, stopped at the verdict, or hit a bound ({@code INCOMPLETE: ...}).
     */
    static String searchText(RunReport r) {
        RunReport.Search s = r.search();
        StringBuilder b = new StringBuilder();
        b.append("search: ").append(count(r.schedules(), "schedule")).append(", ").append(count(s.steps(), "step"))
                .append(", ").append(r.elapsedMillis()).append(" ms");
        if (s.firstFindingSchedules() >= 0) {
            b.append("; first finding after ").append(count(s.firstFindingSchedules(), "schedule")).append(", ")
                    .append(s.firstFindingMillis()).append(" ms");
        }
        if (s.shard() != null) {
            b.append(" (shard ").append(s.shard()).append(')');
        }
        if (s.distinctStates() > 0) {
            b.append("; ").append(count(s.distinctStates(), "distinct state")).append(", ")
                    .append(String.format("%,d", s.merged())).append(" merged");
        }
        b.append('\n');
        ExploreResult.Bound bound = ExploreResult.Bound.byId(s.incompleteReason());
        if (bound != null) {
            b.append("INCOMPLETE: ").append(bound.words()).append(" hit after ").append(count(r.schedules(), "schedule"))
                    .append('\n');
        }
        if (s.decided()) {
            b.append("stopped: the verdict on the expectation was decided (--keep-going explores on)\n");
        } else if (r.complete() && s.coveredBy() != null) {
            b.append("complete within every preemption bound (").append(s.delays())
                    .append(s.skew() == null ? "" : ", skew " + s.skew()).append("): ").append(s.coveredBy())
                    .append(" covered every interleaving, and none has a finding\n");
        } else if (r.complete()) {
            b.append(s.preemptionBound() == null ? "complete: the whole space was covered\n"
                    : "complete within preemption bound " + s.preemptionBound() + (s.delays() == null ? ""
                    : " (" + s.delays() + (s.skew() == null ? "" : ", skew " + s.skew()) + ")") + "\n");
        }
        return b.toString();
    }

    private static String count(long n, String what) {
        return String.format("%,d", n) + " " + what + (n == 1 ? "" : "s");
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
        if (r.search() != null) {
            b.append(searchText(r));
        }
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
        // The search's own INCOMPLETE line names the explorer's bound; any other (the free
        // engine, a sampling policy, a replay cut short) is said here. A search stopped because
        // its verdict was decided is not incomplete in that sense.
        boolean said = r.search() != null && (r.search().incompleteReason() != null || r.search().decided());
        if (!r.complete() && !said) {
            b.append("INCOMPLETE: ").append(r.incomplete()).append('\n');
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
        mapper().writeValue(file.toFile(), value);
    }

    /** {@code value} as JSON text. */
    public String toJson(Object value) throws IOException {
        return mapper().writeValueAsString(value);
    }

    /** A report {@link #writeJson} wrote, read back (unknown fields ignored). */
    public RunReport readReport(Path file) throws IOException {
        return mapper().readerFor(RunReport.class)
                .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .readValue(file.toFile());
    }

    private ObjectMapper mapper() {
        if (json == null) {
            json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        }
        return json;
    }
}
