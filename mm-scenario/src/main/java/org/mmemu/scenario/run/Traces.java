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

    /** A mark on a row: {@code fail} (the failing step), {@code root} (the root cause) or {@code related}, and its words. */
    public record Mark(String kind, String text) {
    }

    /**
     * The rows of {@code rows} that {@code findings} name, the same for the text and the HTML
     * report: each finding's failing row (BUG), its root cause, and its other related sites
     * ({@code freed}, {@code first free}), each on the last row before the failing one of the
     * site's CPU at the site. A site that never shows as a row is a call whose steps are inside
     * it ({@code pagevec_free(&pages_to_free)}): its mark goes on the callee's first row, the
     * CPU's first row after its last row in the caller's function that is neither the caller's
     * nor a lock or interrupt-flag helper's ({@code spin_unlock}, {@code local_irq_enable}).
     */
    public static java.util.Map<Integer, List<Mark>> marks(List<TraceRow> rows, List<Finding> findings,
                                                           java.util.function.LongFunction<String> pageName) {
        java.util.Map<Integer, List<Mark>> marks = new java.util.TreeMap<>();
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
            String what = f.kind().id() + (f.pfn() >= 0 ? " of " + pageName.apply(f.pfn()) : "");
            marks.computeIfAbsent(failing, k -> new ArrayList<>()).add(new Mark("fail", "BUG: " + what));
            for (Finding.Related r : f.related()) {
                boolean root = Finding.ROOT_CAUSE.equals(r.label());
                int at = rowOf(rows, r.cpu(), r.site(), failing);
                if (at >= 0) {
                    marks.computeIfAbsent(at, k -> new ArrayList<>()).add(root
                            ? new Mark("root", "root cause of the " + what)
                            : new Mark("related", r.label() + " (" + what + ")"));
                }
            }
        }
        return marks;
    }

    /**
     * {@code trace}'s rows as report lines, numbered from 1, each finding's failing row, root
     * cause and related sites marked (see {@link #marks}; a row marked for two findings says both).
     */
    public static List<TraceLine> lines(ScenarioProgram program, Trace trace, List<Finding> findings) {
        if (trace == null) {
            return List.of();
        }
        List<TraceRow> rows = trace.rows();
        java.util.Map<Integer, List<Mark>> marks = marks(rows, findings, program::pageName);
        List<TraceLine> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            TraceRow x = rows.get(i);
            TraceLine l = TraceLine.of(x.index(), x.cpu(), x.kind().name(), x.site(), x.inInterrupt(),
                    x.pages().stream().map(p -> new TraceLine.PageState(program.pageName(p.pfn()), p.count(), p.lru()))
                            .toList());
            List<Mark> m = marks.get(i);
            out.add(m == null ? l : l.marked(String.join("; ", m.stream().map(Mark::text).toList())));
        }
        return out;
    }

    /** The row of {@code cpu}'s {@code site} before {@code end}, a call's site on its callee's first row; or -1. */
    private static int rowOf(List<TraceRow> rows, int cpu, org.mmemu.core.emu.Site site, int end) {
        int at = lastAt(rows, cpu, site, end);
        if (at >= 0 || site == null) {
            return at;
        }
        int caller = -1;
        for (int i = end - 1; i >= 0 && caller < 0; i--) {
            TraceRow r = rows.get(i);
            if (r.cpu() == cpu && r.kind() == TraceRow.Kind.STEP && r.site() != null
                    && r.site().function().equals(site.function())) {
                caller = i;
            }
        }
        for (int i = caller + 1; caller >= 0 && i < end; i++) {
            TraceRow r = rows.get(i);
            if (r.cpu() == cpu && r.kind() == TraceRow.Kind.STEP && r.site() != null
                    && !r.site().function().equals(site.function()) && !helper(r.site().function())) {
                return i;
            }
        }
        return lastAt(rows, cpu, null, end);
    }

    private static boolean helper(String function) {
        return function.startsWith("spin_") || function.startsWith("local_irq_") || function.startsWith("_raw_");
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
