package org.mmemu.scenario.run;

import java.util.List;
import org.mmemu.engine.TraceRow;

/**
 * How reports number and fold a trace's rows, the same in the text and the HTML: rows are
 * numbered 1, 2, 3, ... as shown, and a stretch in which a CPU only idles (a busy interrupt
 * handler's {@code handler work}, or spinning on a lock) is one row that says how many steps it
 * stood for. An idle step of that CPU between other CPUs' steps joins the CPU's open fold row
 * (it is the handler's length, not its content); a run of two or more idle steps after other
 * CPUs' rows opens a new fold row, so that a stretch where only the handler advances shows where
 * it happens. Marked rows are never folded.
 *
 * @param number per row of the trace, its number as shown (from 1), or 0 when folded into another
 * @param steps  per shown row, how many of the trace's rows it stands for (1 for most)
 */
public record TraceFold(int[] number, int[] steps) {

    /** What the fold needs of a row: its CPU, and what it idles at (null when it does work). */
    public interface RowView {
        int cpu(int i);

        /** {@code "interrupt: handler work"}, {@code "spin_lock: ... (spins)"}, or null for a row that does work. */
        String idle(int i);

        boolean marked(int i);
    }

    /** The fold of {@code n} rows seen through {@code v}. */
    public static TraceFold of(int n, RowView v) {
        int[] number = new int[n];
        int[] steps = new int[n];
        java.util.Map<Integer, Integer> open = new java.util.HashMap<>();
        int lastShown = -1;
        int shown = 0;
        for (int i = 0; i < n; i++) {
            int c = v.cpu(i);
            String key = v.marked(i) ? null : v.idle(i);
            Integer fold = open.get(c);
            if (key != null && fold != null && key.equals(v.idle(fold))
                    && (lastShown == fold || single(v, i, c, n))) {
                steps[fold]++;
                continue;
            }
            number[i] = ++shown;
            steps[i] = 1;
            lastShown = i;
            if (key != null) {
                open.put(c, i);
            } else {
                open.remove(c);
            }
        }
        return new TraceFold(number, steps);
    }

    /** Whether row {@code i} is a lone idle step of {@code cpu} between rows of others. */
    private static boolean single(RowView v, int i, int cpu, int n) {
        boolean prevIdle = i > 0 && v.cpu(i - 1) == cpu && v.idle(i - 1) != null;
        boolean nextIdle = i + 1 < n && v.cpu(i + 1) == cpu && v.idle(i + 1) != null;
        return !prevIdle && !nextIdle;
    }

    /** The fold of report lines (text traces). */
    public static TraceFold ofLines(List<TraceLine> rows) {
        return of(rows.size(), new RowView() {
            @Override
            public int cpu(int i) {
                return rows.get(i).cpu();
            }

            @Override
            public String idle(int i) {
                TraceLine r = rows.get(i);
                boolean work = r.inInterrupt() && "interrupt".equals(r.function()) && "handler work".equals(r.statement());
                return work || r.statement().endsWith(" (spins)") ? r.function() + ": " + r.statement() : null;
            }

            @Override
            public boolean marked(int i) {
                return !rows.get(i).mark().isEmpty();
            }
        });
    }

    /** The fold of an engine's rows (the HTML's lanes), {@code marked} the rows that carry a mark. */
    public static TraceFold ofRows(List<TraceRow> rows, java.util.Set<Integer> marked) {
        return of(rows.size(), new RowView() {
            @Override
            public int cpu(int i) {
                return rows.get(i).cpu();
            }

            @Override
            public String idle(int i) {
                TraceRow r = rows.get(i);
                if (r.site() == null) {
                    return null;
                }
                if (r.kind() == TraceRow.Kind.SPIN) {
                    return r.site().function() + ": " + r.site().statement() + " (spins)";
                }
                boolean work = r.kind() == TraceRow.Kind.STEP && r.inInterrupt()
                        && "interrupt".equals(r.site().function()) && "handler work".equals(r.site().statement());
                return work ? "interrupt: handler work" : null;
            }

            @Override
            public boolean marked(int i) {
                return marked.contains(i);
            }
        });
    }
}
