package org.mmemu.scenario.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.mmemu.core.emu.Finding;
import org.mmemu.engine.control.Explorer;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.RunResult;
import org.mmemu.engine.Trace;
import org.mmemu.engine.TraceRow;
import org.mmemu.scenario.run.TraceLine;

/**
 * Traces as reports show them: a schedule replayed by the controlled engine (which reproduces
 * it exactly) with the pages of its findings watched besides the scenario's, its rows named by
 * the scenario's pages, and the finding's failing and root-cause rows marked.
 */
public final class Traces {
    private Traces() {
    }

    /**
     * Replays {@code schedule} of {@code program} with a trace, and again watching the pages of
     * its findings if the first run did not watch them all.
     */
    public static RunResult replay(ScenarioProgram program, String schedule, ExploreOptions o) {
        RunResult r = Explorer.replay(program, schedule, o);
        List<Long> pfns = r.findings().stream().map(Finding::pfn).filter(p -> p >= 0).distinct().toList();
        boolean allWatched = r.machine() == null || pfns.stream().allMatch(p ->
                r.machine().watched().stream().anyMatch(w -> w.pfn() == p));
        return allWatched ? r : Explorer.replay(program.watching(pfns), schedule, o);
    }

    /** The rows of {@code finding}'s schedule (null: of {@code schedule}), marked for the run's findings. */
    public static List<TraceLine> of(ScenarioProgram program, Finding finding, String schedule) {
        String s = finding != null && !finding.schedule().isEmpty() ? finding.schedule() : schedule;
        if (s == null) {
            return List.of();
        }
        RunResult r = replay(program, s, ExploreOptions.defaults());
        return lines(program, r.trace(), r.findings());
    }

    /**
     * {@code trace}'s rows as report lines, numbered from 1, each finding's failing row and
     * root-cause row marked (a row that is both for two findings says both).
     */
    public static List<TraceLine> lines(ScenarioProgram program, Trace trace, List<Finding> findings) {
        if (trace == null) {
            return List.of();
        }
        List<TraceRow> rows = trace.rows();
        java.util.Map<Integer, List<String>> marks = new java.util.TreeMap<>();
        for (Finding f : findings) {
            int failing = lastAt(rows, f.cpu(), f.site(), rows.size());
            if (failing < 0) {
                // The failing site is a call whose steps are inside it: the finding stopped the
                // run at the failing CPU's last row.
                failing = lastAt(rows, f.cpu(), null, rows.size());
            }
            if (failing < 0) {
                continue;
            }
            String what = f.kind().id() + (f.pfn() >= 0 ? " of " + program.pageName(f.pfn()) : "");
            marks.computeIfAbsent(failing, k -> new ArrayList<>()).add("BUG: " + what);
            Finding.Related cause = f.rootCause();
            int root = cause == null ? -1 : lastAt(rows, cause.cpu(), cause.site(), failing);
            if (root >= 0) {
                marks.computeIfAbsent(root, k -> new ArrayList<>()).add("root cause of the " + what);
            }
        }
        List<TraceLine> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            TraceRow x = rows.get(i);
            TraceLine l = TraceLine.of(x.index(), x.cpu(), x.kind().name(), x.site(), x.inInterrupt(),
                    x.pages().stream().map(p -> new TraceLine.PageState(program.pageName(p.pfn()), p.count(), p.lru()))
                            .toList());
            List<String> m = marks.get(i);
            out.add(m == null ? l : l.marked(String.join("; ", m)));
        }
        return out;
    }

    /** The last step row before {@code end} made by {@code cpu} at {@code site} (null: anywhere), or -1. */
    private static int lastAt(List<TraceRow> rows, int cpu, org.mmemu.core.emu.Site site, int end) {
        for (int i = end - 1; i >= 0; i--) {
            TraceRow r = rows.get(i);
            if (r.cpu() == cpu && r.kind() == TraceRow.Kind.STEP && (site == null || Objects.equals(r.site(), site))) {
                return i;
            }
        }
        return -1;
    }
}
